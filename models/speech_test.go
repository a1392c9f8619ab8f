package models_test

import (
	"context"
	"testing"

	"gorm.io/gorm"

	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/models/modelstest"
)

// TestTurnKeepsHowItWasSpoken stores a dictated answer and a typed one,
// grades the dictated one, and reads both back: the grade leaves the
// speech fields as they were, and a typed answer reads as typed.
func TestTurnKeepsHowItWasSpoken(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := models.NewStore(db)
		ctx := context.Background()
		u := localUser(t, s)
		r := newRound(t, s, u.ID)
		insert := func(step int, dictated bool, secs int) {
			t.Helper()
			err := s.ChangeRound(ctx, u.ID, r.ID, func(models.RoundView) (models.RoundChange, error) {
				return models.RoundChange{Insert: &models.Turn{Position: 0, Step: step, QuestionID: "q1", Area: "caching",
					Skill: "caching/ttl", Level: "middle", Prompt: "Q", Answer: "spoken words", Status: models.TurnPending,
					Dictated: dictated, SpeakingSeconds: secs, AnsweredAt: t0}, Now: t0}, nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		insert(0, true, 95)
		err := s.ChangeRound(ctx, u.ID, r.ID, func(models.RoundView) (models.RoundChange, error) {
			return models.RoundChange{Grade: &models.Turn{Position: 0, Step: 0, Status: models.TurnGraded,
				Scores: models.Scores{Overall: 6}, FollowUp: "And then?"}, Now: t0}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		insert(1, false, 0)
		v, err := s.RoundWithTurns(ctx, u.ID, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Turns) != 2 {
			t.Fatalf("%d turns, want 2", len(v.Turns))
		}
		spoken, typed := v.Turns[0], v.Turns[1]
		if !spoken.Dictated || spoken.SpeakingSeconds != 95 || spoken.Status != models.TurnGraded || spoken.Overall != 6 {
			t.Errorf("dictated turn read back as dictated=%v seconds=%d status=%s overall=%v",
				spoken.Dictated, spoken.SpeakingSeconds, spoken.Status, spoken.Overall)
		}
		if typed.Dictated || typed.SpeakingSeconds != 0 {
			t.Errorf("typed turn read back as dictated=%v seconds=%d", typed.Dictated, typed.SpeakingSeconds)
		}
	})
}
