package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/models/modelstest"
)

// TestAdjustTurnKeepsOriginalAndRedoesReview adjusts the final turn of a
// finished round that gave its skill a review, with a later round's
// review after it: the grader's evidence stays, the scores, skill stats,
// the round's review and the card follow the adjusted score.
func TestAdjustTurnKeepsOriginalAndRedoesReview(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := models.NewStore(db)
		ctx := context.Background()
		u, _ := s.LocalUser(ctx)
		apply := u.ReviewFunc()
		const skill = "caching/pitfalls"
		rounds := make([]models.Round, 2)
		for i, score := range []float64{3, 8} {
			at := t0.Add(time.Duration(i*4) * 24 * time.Hour)
			fin := at.Add(time.Hour)
			rounds[i] = models.Round{UserID: u.ID, Type: "drill", Stack: "go", Level: "middle", Area: "caching", Feedback: "study",
				QuestionIDs: models.StringList{"cache-when-slower"}, Seed: 1, Status: models.RoundFinished, StartedAt: at, FinishedAt: &fin,
				Scores: models.Scores{Overall: score}, Answered: 1, Complete: true}
			turns := []models.Turn{{Position: 0, Step: 0, QuestionID: "cache-when-slower", Area: "caching", Skill: skill, Level: "middle",
				Prompt: "When?", Answer: "An answer.", Status: models.TurnGraded, Scores: models.Scores{Overall: score, Dimensions: grader.Dimensions{Accuracy: score}},
				Evidence: `{"overall":3}`, Grader: "rubric", Final: true, AnsweredAt: at}}
			rv := &models.Reviews{Skills: []models.SkillScore{{Skill: skill, Score: score}}, Apply: apply}
			if err := s.InsertFinishedRound(ctx, &rounds[i], turns, rv); err != nil {
				t.Fatal(err)
			}
		}
		before, _ := s.Card(ctx, u.ID, skill)
		adjust := func(d models.Dispute) error {
			return s.ChangeRound(ctx, u.ID, rounds[0].ID, func(v models.RoundView) (models.RoundChange, error) {
				return models.RoundChange{
					Adjust:   &models.Turn{Position: 0, Step: 0, Scores: models.Scores{Overall: 9, Dimensions: grader.Dimensions{Accuracy: 9}}, AdjustedEvidence: `{"overall":9}`},
					Dispute:  &d,
					Rereview: &models.Rereview{Skill: skill, Score: 9, Apply: apply},
					Totals:   &models.Scores{Overall: 9, Dimensions: grader.Dimensions{Accuracy: 9}},
					Position: v.Round.Position, Now: t0.Add(10 * 24 * time.Hour),
				}, nil
			})
		}
		d := models.Dispute{Kind: "missed", Target: "low-hit-rate", TargetText: "Low hit rate", Sentence: "Every request misses."}
		if err := adjust(d); err != nil {
			t.Fatal(err)
		}
		v, err := s.RoundWithTurns(ctx, u.ID, rounds[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		tr := v.Turns[0]
		if tr.Overall != 9 || tr.Accuracy != 9 || tr.AdjustedEvidence != `{"overall":9}` || tr.Evidence != `{"overall":3}` {
			t.Errorf("turn scores %v/%v adjusted %q evidence %q: the adjusted grade is stored, the original kept", tr.Overall, tr.Accuracy, tr.AdjustedEvidence, tr.Evidence)
		}
		if v.Round.Overall != 9 {
			t.Errorf("round overall %v, want 9", v.Round.Overall)
		}
		var stat models.SkillStat
		db.Where("user_id = ? AND skill = ?", u.ID, skill).First(&stat)
		if stat.Sum != 17 || stat.N != 2 {
			t.Errorf("skill stats sum %v n %d, want 17 over 2", stat.Sum, stat.N)
		}
		logs, _ := s.ReviewLogs(ctx, u.ID, skill)
		if len(logs) != 2 || logs[0].Score != 9 || logs[0].Rating != 4 || logs[1].Score != 8 {
			t.Fatalf("review logs %+v: the first round's review is redone as Easy", logs)
		}
		// The card is what two reviews, 9 then 8, give: replayed by hand.
		want := models.SkillCard{UserID: u.ID, Skill: skill}
		for _, l := range logs {
			want, _ = apply(want, l.Score, l.ReviewedAt)
		}
		after, _ := s.Card(ctx, u.ID, skill)
		if after.ID != before.ID || after.Reps != 2 || !after.Due.Equal(want.Due) || after.Stability != want.Stability {
			t.Errorf("card after %+v, want due %v stability %v", after, want.Due, want.Stability)
		}
		if after.Stability <= before.Stability {
			t.Errorf("stability %v → %v: an Easy first review must leave the skill more stable", before.Stability, after.Stability)
		}
		// The same item twice is a conflict; the disputes are listed.
		if err := adjust(d); !errors.Is(err, models.ErrConflict) {
			t.Errorf("second dispute of the same item: %v, want ErrConflict", err)
		}
		all, err := s.AllDisputes(ctx)
		if err != nil || len(all) != 1 || all[0].QuestionID != "cache-when-slower" || all[0].TurnID != tr.ID || all[0].Sentence != d.Sentence {
			t.Errorf("all disputes %+v %v", all, err)
		}
		mine, err := s.RoundDisputes(ctx, u.ID, rounds[0].ID)
		if err != nil || len(mine) != 1 {
			t.Errorf("round disputes %+v %v", mine, err)
		}
		other, _ := s.RoundDisputes(ctx, u.ID+1000, rounds[0].ID)
		if len(other) != 0 {
			t.Errorf("another user sees %d disputes", len(other))
		}
	})
}
