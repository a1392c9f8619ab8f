package models_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/models/modelstest"
)

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// countingReview is a ReviewFunc that adds one rep and schedules a day out.
func countingReview(card models.SkillCard, score float64, now time.Time) (models.SkillCard, models.ReviewLog) {
	card.Reps++
	card.Due = now.Add(24 * time.Hour)
	card.Stability += score
	return card, models.ReviewLog{Rating: 3, Due: card.Due, Stability: card.Stability, ReviewedAt: now}
}

func newRound(t *testing.T, s *models.Store, userID uint) models.Round {
	t.Helper()
	r := models.Round{UserID: userID, Type: "drill", Stack: "go", Level: "middle", Area: "caching", Feedback: "study",
		QuestionIDs: models.StringList{"q1"}, Seed: 1, Status: models.RoundActive, StartedAt: t0}
	if err := s.CreateRound(context.Background(), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestFinishRecordsReviewsOnce(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := models.NewStore(db)
		ctx := context.Background()
		u, _ := s.LocalUser(ctx)
		r := newRound(t, s, u.ID)
		rv := &models.Reviews{Skills: []models.SkillScore{{Skill: "caching/ttl", Score: 7}, {Skill: "caching/pitfalls", Score: 3}}, Apply: countingReview}
		for range 2 { // the second finish is a replay: it must record nothing
			if err := s.FinishRound(ctx, u.ID, r.ID, models.Scores{Overall: 5}, rv, nil, t0); err != nil {
				t.Fatal(err)
			}
		}
		var logs int64
		db.Model(&models.ReviewLog{}).Count(&logs)
		if logs != 2 {
			t.Errorf("%d review logs, want 2", logs)
		}
		c, err := s.Card(ctx, u.ID, "caching/ttl")
		if err != nil {
			t.Fatal(err)
		}
		if c.Reps != 1 || !c.Due.Equal(t0.Add(24*time.Hour)) {
			t.Errorf("card %+v", c)
		}
	})
}

// TestConcurrentFinishesLoseNoReview finishes two rounds of one user at
// once, both reviewing the same skill: both reviews must land on the card.
func TestConcurrentFinishesLoseNoReview(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := models.NewStore(db)
		ctx := context.Background()
		u, _ := s.LocalUser(ctx)
		const n = 6
		rounds := make([]models.Round, n)
		for i := range rounds {
			rounds[i] = newRound(t, s, u.ID)
		}
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range rounds {
			wg.Add(1)
			go func(r models.Round) {
				defer wg.Done()
				rv := &models.Reviews{Skills: []models.SkillScore{{Skill: "caching/ttl", Score: 1}}, Apply: countingReview}
				errs <- s.FinishRound(ctx, u.ID, r.ID, models.Scores{}, rv, nil, t0)
			}(rounds[i])
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		c, err := s.Card(ctx, u.ID, "caching/ttl")
		if err != nil {
			t.Fatal(err)
		}
		if c.Reps != n || c.Stability != n {
			t.Errorf("card after %d concurrent reviews: reps %d stability %v", n, c.Reps, c.Stability)
		}
	})
}

func TestRoundsAreScopedByUser(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := models.NewStore(db)
		ctx := context.Background()
		u, _ := s.LocalUser(ctx)
		other := models.User{Name: "Other"}
		db.Create(&other)
		r := newRound(t, s, u.ID)
		if _, err := s.Round(ctx, other.ID, r.ID); err == nil {
			t.Error("another user loaded the round")
		}
		if err := s.SaveDraft(ctx, other.ID, r.ID, 0, 0, "x", t0); err == nil {
			t.Error("another user saved a draft into the round")
		}
	})
}
