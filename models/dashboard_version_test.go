package models_test

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/models/modelstest"
)

// TestDashboardVersion changes with every write the dashboard would show,
// even two at the same instant, and not with reads or another user's
// writes.
func TestDashboardVersion(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := models.NewStore(db)
		ctx := context.Background()
		u, _ := s.LocalUser(ctx)
		other := models.User{Name: "Other", Email: "other@example.com"}
		if err := db.Create(&other).Error; err != nil {
			t.Fatal(err)
		}
		version := func(id uint) string {
			t.Helper()
			v, err := s.DashboardVersion(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		last := version(u.ID)
		changed := func(what string) {
			t.Helper()
			v := version(u.ID)
			if v == last {
				t.Errorf("%s: the version did not change (%s)", what, v)
			}
			last = v
		}
		finish := func(userID uint, score float64) models.Round {
			t.Helper()
			fin := t0.Add(time.Hour)
			r := models.Round{UserID: userID, Type: "drill", Stack: "go", Level: "middle", Area: "caching", Feedback: "study",
				QuestionIDs: models.StringList{"cache-when-slower"}, Seed: 1, Status: models.RoundFinished, StartedAt: t0, FinishedAt: &fin,
				Scores: models.Scores{Overall: score}, Answered: 1, Complete: true}
			turns := []models.Turn{{Position: 0, Step: 0, QuestionID: "cache-when-slower", Area: "caching", Skill: "caching/pitfalls", Level: "middle",
				Prompt: "When?", Answer: "An answer.", Status: models.TurnGraded, Scores: models.Scores{Overall: score},
				Evidence: `{"overall":3}`, Grader: "rubric", Final: true, AnsweredAt: t0}}
			if err := s.InsertFinishedRound(ctx, &r, turns, nil); err != nil {
				t.Fatal(err)
			}
			return r
		}

		r := finish(u.ID, 4)
		changed("a finished round")
		if _, err := s.DashboardData(ctx, u.ID, t0); err != nil {
			t.Fatal(err)
		}
		if v := version(u.ID); v != last {
			t.Errorf("reading the dashboard changed the version")
		}
		finish(other.ID, 6)
		if v := version(u.ID); v != last {
			t.Errorf("another user's round changed the version")
		}
		// Two adjustments at the same instant, as a fixed clock makes them.
		for score, target := range map[float64]string{7: "hot-key", 9: "stampede"} {
			err := s.ChangeRound(ctx, u.ID, r.ID, func(v models.RoundView) (models.RoundChange, error) {
				return models.RoundChange{
					Adjust:   &models.Turn{Position: 0, Step: 0, Scores: models.Scores{Overall: score}, AdjustedEvidence: `{"overall":7}`},
					Dispute:  &models.Dispute{Kind: "missed", Target: target, TargetText: target, Sentence: "One key."},
					Totals:   &models.Scores{Overall: score},
					Position: v.Round.Position, Now: t0.Add(24 * time.Hour),
				}, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			changed("an adjusted answer")
		}
		plan := models.DrillPlan{UserID: u.ID, Area: "caching", Stack: "go", Level: "middle", Days: 7, PerDay: 1, StartDay: t0, Status: models.PlanActive}
		if err := s.CreateDrillPlan(ctx, &plan); err != nil {
			t.Fatal(err)
		}
		changed("a drill plan")
		if err := s.EndDrillPlan(ctx, u.ID, plan.ID, models.PlanAbandoned, t0); err != nil {
			t.Fatal(err)
		}
		changed("an abandoned drill plan")
	})
}
