package models_test

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/models/modelstest"
)

// TestMarkFinal: the turns a change names final are marked, at the
// change's time, and their scores added to the skill stats once, in one
// statement for the marking and one per skill; a slot named again, or
// one still pending, is left alone.
func TestMarkFinal(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
		s := models.NewStore(db)
		u := localUser(t, s)
		r := screeningRound(t, s, u.ID, t0, "q1", "q2", "q3")
		turn := func(pos, step int, skill, status string, overall float64) models.Turn {
			return models.Turn{RoundID: r.ID, UserID: u.ID, Position: pos, Step: step, QuestionID: "q", Area: "databases", Skill: skill,
				Level: "middle", Status: status, Scores: models.Scores{Overall: overall}, AnsweredAt: t0, UpdatedAt: t0}
		}
		turns := []models.Turn{
			turn(0, 0, "go/sql", models.TurnGraded, 4), turn(0, 1, "go/sql", models.TurnGraded, 6),
			turn(1, 0, "go/indexes", models.TurnSkipped, 0), turn(2, 0, "go/sql", models.TurnPending, 0),
		}
		if err := db.Create(&turns).Error; err != nil {
			t.Fatal(err)
		}
		statements := modelstest.CountStatements(t, s)
		mark := func(now time.Time, slots ...models.Slot) int64 {
			t.Helper()
			statements.Store(0)
			err := s.ChangeRound(ctx, u.ID, r.ID, func(v models.RoundView) (models.RoundChange, error) {
				return models.RoundChange{Final: slots, Position: v.Round.Position, Now: now}, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return statements.Load()
		}
		// lock, turns, mark, 2 skills, round
		if n := mark(t0.Add(time.Hour), models.Slot{Position: 1, Step: 0}, models.Slot{Position: 0, Step: 1}, models.Slot{Position: 2, Step: 0}); n != 6 {
			t.Errorf("marking ran %d statements, want 6", n)
		}
		// Named again, with one more: only the new one counts.
		if n := mark(t0.Add(2*time.Hour), models.Slot{Position: 0, Step: 1}, models.Slot{Position: 0, Step: 0}); n != 5 {
			t.Errorf("marking again ran %d statements, want 5", n)
		}
		var got []models.Turn
		if err := db.Order("position, step").Find(&got).Error; err != nil {
			t.Fatal(err)
		}
		want := []struct {
			final   bool
			updated time.Time
		}{{true, t0.Add(2 * time.Hour)}, {true, t0.Add(time.Hour)}, {true, t0.Add(time.Hour)}, {false, t0}}
		for i, w := range want {
			if got[i].Final != w.final || !got[i].UpdatedAt.Equal(w.updated) {
				t.Errorf("turn %d.%d: final %v updated %v, want %v %v", got[i].Position, got[i].Step, got[i].Final, got[i].UpdatedAt, w.final, w.updated)
			}
		}
		var stats []models.SkillStat
		if err := db.Order("skill").Find(&stats).Error; err != nil {
			t.Fatal(err)
		}
		wantStats := []models.SkillStat{
			{UserID: u.ID, Skill: "go/indexes", Level: "middle", Area: "databases", Sum: 0, N: 1},
			{UserID: u.ID, Skill: "go/sql", Level: "middle", Area: "databases", Sum: 10, N: 2},
		}
		if len(stats) != len(wantStats) {
			t.Fatalf("skill stats %+v, want %+v", stats, wantStats)
		}
		for i := range wantStats {
			if stats[i] != wantStats[i] {
				t.Errorf("skill stat %+v, want %+v", stats[i], wantStats[i])
			}
		}
	})
}
