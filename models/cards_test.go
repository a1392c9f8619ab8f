package models_test

import (
	"context"
	"errors"
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

// localUser is the local mode's user, created on first use.
func localUser(t *testing.T, s *models.Store) models.User {
	t.Helper()
	u, err := s.LocalUser(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// screeningRound starts an active screening round of the questions at
// start.
func screeningRound(t *testing.T, s *models.Store, userID uint, start time.Time, questions ...string) models.Round {
	t.Helper()
	r := models.Round{UserID: userID, Type: "screening", Stack: "go", Level: "middle", Feedback: "study",
		QuestionIDs: questions, Seed: 1, Status: models.RoundActive, StartedAt: start}
	if err := s.CreateRound(context.Background(), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// finish ends a round through ChangeRound, marking its first turn final.
func finish(ctx context.Context, s *models.Store, userID, roundID uint, overall float64, rv *models.Reviews) error {
	return s.ChangeRound(ctx, userID, roundID, func(v models.RoundView) (models.RoundChange, error) {
		return models.RoundChange{Finish: &models.Finish{Scores: models.Scores{Overall: overall}, Answered: 1, Complete: true},
			Reviews: rv, Final: []models.Slot{{Position: 0, Step: 0}}, Position: 1, Now: t0}, nil
	})
}

func TestFinishRecordsReviewsOnce(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := models.NewStore(db)
		ctx := context.Background()
		u, _ := s.LocalUser(ctx)
		r := newRound(t, s, u.ID)
		rv := &models.Reviews{Skills: []models.SkillScore{{Skill: "caching/ttl", Score: 7}, {Skill: "caching/pitfalls", Score: 3}}, Apply: countingReview}
		for range 2 { // the second finish is a replay: it must record nothing
			if err := finish(ctx, s, u.ID, r.ID, 5, rv); err != nil {
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
		const n = 10
		rounds := make([]models.Round, n)
		for i := range rounds {
			rounds[i] = newRound(t, s, u.ID)
			// A skipped question to mark final: its skill stats row is
			// shared by every round, as in the deadlock seen on PostgreSQL.
			err := s.ChangeRound(ctx, u.ID, rounds[i].ID, func(models.RoundView) (models.RoundChange, error) {
				return models.RoundChange{Insert: &models.Turn{QuestionID: "q1", Area: "caching", Skill: "caching/ttl",
					Level: "middle", Prompt: "Q", Status: models.TurnSkipped, AnsweredAt: t0}, Now: t0}, nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range rounds {
			wg.Add(1)
			go func(r models.Round) {
				defer wg.Done()
				rv := &models.Reviews{Skills: []models.SkillScore{{Skill: "caching/ttl", Score: 1}}, Apply: countingReview}
				errs <- finish(ctx, s, u.ID, r.ID, 0, rv)
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
		var stat models.SkillStat
		if err := db.Where("user_id = ? AND skill = ?", u.ID, "caching/ttl").First(&stat).Error; err != nil {
			t.Fatal(err)
		}
		if stat.N != n || stat.Sum != 0 {
			t.Errorf("skill stats after %d skipped questions: n %d sum %v, want n %d sum 0", n, stat.N, stat.Sum, n)
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
		err := s.ChangeRound(ctx, other.ID, r.ID, func(models.RoundView) (models.RoundChange, error) {
			return models.RoundChange{Draft: &models.Draft{Text: "x"}, Now: t0}, nil
		})
		if !errors.Is(err, models.ErrNotFound) {
			t.Errorf("another user changed the round: %v", err)
		}
	})
}

func TestSkillStates(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := models.NewStore(db)
		ctx := context.Background()
		u, _ := s.LocalUser(ctx)
		other := models.User{Name: "Other"}
		db.Create(&other)
		first := newRound(t, s, u.ID)
		if err := finish(ctx, s, u.ID, first.ID, 5, &models.Reviews{Skills: []models.SkillScore{{Skill: "caching/ttl", Score: 7}, {Skill: "caching/pitfalls", Score: 3}}, Apply: countingReview}); err != nil {
			t.Fatal(err)
		}
		second := newRound(t, s, u.ID)
		if err := finish(ctx, s, u.ID, second.ID, 5, &models.Reviews{Skills: []models.SkillScore{{Skill: "caching/ttl", Score: 9.5}}, Apply: countingReview}); err != nil {
			t.Fatal(err)
		}
		theirs := newRound(t, s, other.ID)
		if err := finish(ctx, s, other.ID, theirs.ID, 5, &models.Reviews{Skills: []models.SkillScore{{Skill: "apis/rest", Score: 1}}, Apply: countingReview}); err != nil {
			t.Fatal(err)
		}
		got, err := s.SkillStates(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		scores := map[string]float64{}
		for _, st := range got {
			if !st.HasScore || st.Card.UserID != u.ID {
				t.Errorf("%+v: want the user's card with a score", st)
			}
			scores[st.Card.Skill] = st.LastScore
		}
		if len(got) != 2 || scores["caching/ttl"] != 9.5 || scores["caching/pitfalls"] != 3 {
			t.Errorf("skill states %v, want caching/ttl 9.5 (the latest) and caching/pitfalls 3, nothing of the other user", scores)
		}
	})
}
