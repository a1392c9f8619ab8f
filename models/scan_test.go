package models_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/models/modelstest"
)

// TestRoundPageScansEveryField: the round page's hand-written scans give
// back what gorm stored, field for field, on both databases.
func TestRoundPageScansEveryField(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := models.NewStore(db)
		ctx := context.Background()
		u := localUser(t, s)
		plan := models.DrillPlan{UserID: u.ID, Area: "caching", Stack: "go", Level: "middle", Days: 7, PerDay: 1, StartDay: t0, Status: models.PlanActive}
		if err := db.Create(&plan).Error; err != nil {
			t.Fatal(err)
		}
		finished := t0.Add(90 * time.Minute)
		r := models.Round{UserID: u.ID, Type: "drill", Stack: "go", Level: "middle", Area: "caching", Feedback: "study",
			QuestionIDs: models.StringList{"q1", "q2"}, Technologies: models.StringList{"redis"}, JobDescription: "Go, Redis",
			Seed: 42, Position: 2, Status: models.RoundFinished, Answered: 2, Skipped: 1, Complete: true,
			DrillPlanID: &plan.ID, StartedAt: t0, FinishedAt: &finished}
		r.Overall, r.Accuracy, r.Communication = 7.5, 8, 6.5
		turns := []models.Turn{
			{Position: 0, Step: 0, QuestionID: "q1", Area: "caching", Skill: "caching/ttl", Level: "middle", Prompt: "Why a TTL?",
				Answer: "Because…", Status: "graded", Evidence: `{"a":1}`, AdjustedEvidence: `{"b":2}`, Grader: "rubric",
				FollowUp: "And then?", Final: true, SpeakingSeconds: 42, AnsweredAt: t0.Add(time.Minute)},
			{Position: 1, Step: 0, QuestionID: "q2", Area: "caching", Status: "skipped", Dictated: true, AnsweredAt: t0.Add(2 * time.Minute)},
		}
		turns[0].Overall, turns[0].Depth = 7.5, 9
		if err := s.InsertFinishedRound(ctx, &r, turns, nil); err != nil {
			t.Fatal(err)
		}
		want, err := s.RoundWithTurns(ctx, u.ID, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.RoundPage(ctx, u.ID, r.ID, t0)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(normalise(got.RoundView), normalise(want)) {
			t.Errorf("round page\n got %+v\nwant %+v", got.RoundView, want)
		}
		if _, err := s.RoundPage(ctx, u.ID+1, r.ID, t0); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("another user's round: %v, want ErrNotFound", err)
		}
	})
}

// normalise puts every time of a round view in UTC at microseconds, as
// the databases keep them.
func normalise(v models.RoundView) models.RoundView {
	at := func(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
	v.Round.StartedAt, v.Round.CreatedAt, v.Round.UpdatedAt = at(v.Round.StartedAt), at(v.Round.CreatedAt), at(v.Round.UpdatedAt)
	if v.Round.FinishedAt != nil {
		f := at(*v.Round.FinishedAt)
		v.Round.FinishedAt = &f
	}
	turns := make([]models.Turn, len(v.Turns))
	for i, t := range v.Turns {
		t.AnsweredAt, t.CreatedAt, t.UpdatedAt = at(t.AnsweredAt), at(t.CreatedAt), at(t.UpdatedAt)
		turns[i] = t
	}
	v.Turns = turns
	return v
}
