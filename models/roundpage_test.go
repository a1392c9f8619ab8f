package models_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/models/modelstest"
)

// TestRoundPageKept: a round page read again is the kept one, from one
// statement, until a change to the round, made on this instance or on
// another over the same database (even at the same instant), shows on the
// next read; the reviews due are read fresh every time, and a kept page
// is never served to another user or changed by what a caller does with
// a copy.
func TestRoundPageKept(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
		here, there := models.NewStore(db), models.NewStore(db) // two instances
		u := localUser(t, here)
		r := screeningRound(t, here, u.ID, now, "q1", "q2")
		statements := modelstest.CountStatements(t, here)
		read := func(s *models.Store, wantStatements int64) models.RoundPage {
			t.Helper()
			statements.Store(0)
			p, err := s.RoundPage(ctx, u.ID, r.ID, now)
			if err != nil {
				t.Fatal(err)
			}
			if n := statements.Load(); n != wantStatements {
				t.Errorf("the read ran %d statements, want %d", n, wantStatements)
			}
			return p
		}
		change := func(s *models.Store, ch models.RoundChange) {
			t.Helper()
			ch.Now = now // the same instant every time
			if err := s.ChangeRound(ctx, u.ID, r.ID, func(models.RoundView) (models.RoundChange, error) { return ch, nil }); err != nil {
				t.Fatal(err)
			}
		}

		read(here, 2)
		p := read(here, 1)
		if p.Round.ID != r.ID || len(p.Turns) != 0 || p.DueReviews != 0 {
			t.Fatalf("kept page: round %d, %d turns, %d due", p.Round.ID, len(p.Turns), p.DueReviews)
		}

		change(here, models.RoundChange{Draft: &models.Draft{Position: 0, Step: 0, Text: "first words"}})
		if got := read(here, 1).Draft(0, 0); got != "first words" {
			t.Errorf("after a draft on this instance (the page kept with it): draft %q", got)
		}
		change(there, models.RoundChange{Draft: &models.Draft{Position: 0, Step: 0, Text: "more words"}})
		if got := read(here, 3).Draft(0, 0); got != "more words" {
			t.Errorf("after a draft on another instance at the same instant: draft %q", got)
		}
		change(there, models.RoundChange{Insert: &models.Turn{Position: 0, Step: 0, QuestionID: "q1", Answer: "an answer",
			Status: models.TurnPending, AnsweredAt: now}})
		p = read(here, 3)
		if len(p.Turns) != 1 || p.Turns[0].Answer != "an answer" {
			t.Fatalf("after an answer on another instance: turns %+v", p.Turns)
		}

		// What a caller does with its copy stays with it.
		p.Turns[0].Answer = "changed by the caller"
		p.Round.QuestionIDs[0] = "changed"
		p = read(here, 1)
		if p.Turns[0].Answer != "an answer" || p.Round.QuestionIDs[0] != "q1" {
			t.Errorf("a caller's change reached the kept page: %q, %q", p.Turns[0].Answer, p.Round.QuestionIDs[0])
		}

		card := models.SkillCard{UserID: u.ID, Skill: "go/databases", Due: now.Add(-time.Hour)}
		if err := db.Create(&card).Error; err != nil {
			t.Fatal(err)
		}
		if p := read(here, 1); p.DueReviews != 1 {
			t.Errorf("a kept page shows %d reviews due, want 1", p.DueReviews)
		}

		other := models.User{Name: "Other", Email: "other@example.com"}
		if err := db.Create(&other).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := here.RoundPage(ctx, other.ID, r.ID, now); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("another user read a kept round: %v", err)
		}
	})
}

// TestChangeRoundKeptTurns: a change reads the round's turns again only
// when the page kept of it is not of the locked version (another
// instance changed the round); a draft keeps the page, moved to the new
// version, and that page is the one a fresh load reads.
func TestChangeRoundKeptTurns(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
		here, there := models.NewStore(db), models.NewStore(db)
		u := localUser(t, here)
		r := screeningRound(t, here, u.ID, now, "q1", "q2")
		statements := modelstest.CountStatements(t, here)
		// change makes ch on s and returns the turns decide saw and the
		// statements it ran.
		change := func(s *models.Store, ch models.RoundChange) ([]models.Turn, int64) {
			t.Helper()
			ch.Now = now
			statements.Store(0)
			var seen []models.Turn
			err := s.ChangeRound(ctx, u.ID, r.ID, func(v models.RoundView) (models.RoundChange, error) {
				seen = v.Turns
				return ch, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return seen, statements.Load()
		}
		fresh := func() models.RoundPage {
			t.Helper()
			p, err := models.NewStore(db).RoundPage(ctx, u.ID, r.ID, now)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		draft := func(text string) models.RoundChange {
			return models.RoundChange{Draft: &models.Draft{Position: 0, Step: 0, Text: text}}
		}
		answer := models.RoundChange{Insert: &models.Turn{Position: 0, Step: 0, QuestionID: "q1", Answer: "an answer",
			Status: models.TurnPending, AnsweredAt: now}}

		// Nothing kept: the change reads the turns (lock, turns, draft,
		// round: 4 statements).
		if _, n := change(here, draft("one")); n != 4 {
			t.Errorf("a change with no page kept ran %d statements, want 4", n)
		}
		if _, err := here.RoundPage(ctx, u.ID, r.ID, now); err != nil {
			t.Fatal(err)
		}
		for _, text := range []string{"two", "three"} { // replaced, then again from the page it kept
			if _, n := change(here, draft(text)); n != 3 {
				t.Errorf("a draft over a kept page ran %d statements, want 3 (no turns read)", n)
			}
			statements.Store(0)
			p, err := here.RoundPage(ctx, u.ID, r.ID, now)
			if err != nil {
				t.Fatal(err)
			}
			if n := statements.Load(); n != 1 {
				t.Errorf("the page after a draft took %d statements, want 1 (kept)", n)
			}
			if want := fresh(); !reflect.DeepEqual(p, want) {
				t.Errorf("the page kept after draft %q:\n%+v\nwant as loaded:\n%+v", text, p, want)
			}
		}

		// Another instance answers: this one's kept page is of an older
		// version, so its next change reads the turns and sees the answer.
		change(there, answer)
		seen, n := change(here, models.RoundChange{Draft: &models.Draft{Position: 0, Step: 1, Text: "a follow-up"}})
		if len(seen) != 1 || seen[0].Answer != "an answer" || n != 4 {
			t.Errorf("after a change on another instance: decide saw %d turns (%+v) in %d statements, want the answer in 4", len(seen), seen, n)
		}
		if p, err := here.RoundPage(ctx, u.ID, r.ID, now); err != nil || len(p.Turns) != 1 || p.Draft(0, 1) != "a follow-up" {
			t.Errorf("the page after: %+v, %v", p, err)
		}
		// A change other than a draft drops the page.
		if _, err := here.RoundPage(ctx, u.ID, r.ID, now); err != nil {
			t.Fatal(err)
		}
		change(here, models.RoundChange{Insert: &models.Turn{Position: 0, Step: 1, QuestionID: "q1", Answer: "more",
			Status: models.TurnPending, AnsweredAt: now}})
		statements.Store(0)
		if p, err := here.RoundPage(ctx, u.ID, r.ID, now); err != nil || len(p.Turns) != 2 || statements.Load() != 2 {
			t.Errorf("the page after an answer: %d turns in %d statements (%v), want 2 loaded in 2", len(p.Turns), statements.Load(), err)
		}
	})
}

// TestDraftLeavesUpdatedAt: a draft moves the round's version but not its
// updated_at (the dashboard reads it); an answer moves it to the change's
// time, not the clock's.
func TestDraftLeavesUpdatedAt(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		start := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
		s := models.NewStore(db)
		u := localUser(t, s)
		r := screeningRound(t, s, u.ID, start, "q1")
		created, err := s.Round(ctx, u.ID, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name        string
			ch          models.RoundChange
			wantUpdated time.Time
			wantVersion int64
		}{
			{"OK/Draft", models.RoundChange{Draft: &models.Draft{Text: "typing"}, Now: start.Add(time.Minute)}, created.UpdatedAt, 1},
			{"OK/Answer", models.RoundChange{Insert: &models.Turn{QuestionID: "q1", Answer: "an answer", Status: models.TurnPending, AnsweredAt: start},
				Now: start.Add(2 * time.Minute)}, start.Add(2 * time.Minute), 2},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if err := s.ChangeRound(ctx, u.ID, r.ID, func(models.RoundView) (models.RoundChange, error) { return tc.ch, nil }); err != nil {
					t.Fatal(err)
				}
				got, err := s.Round(ctx, u.ID, r.ID)
				if err != nil {
					t.Fatal(err)
				}
				if !got.UpdatedAt.Equal(tc.wantUpdated) || got.Version != tc.wantVersion {
					t.Errorf("updated_at %v, version %d; want %v, %d", got.UpdatedAt, got.Version, tc.wantUpdated, tc.wantVersion)
				}
			})
		}
	})
}

// TestPoolKeepsItsConnections: under concurrent reads no connection is
// closed for want of an idle slot, only to be opened again.
func TestPoolKeepsItsConnections(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		sqlDB, err := db.DB()
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range 32 {
			wg.Go(func() {
				for range 20 {
					var n int64
					if err := db.Raw("SELECT COUNT(*) FROM rounds").Scan(&n).Error; err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		if st := sqlDB.Stats(); st.MaxIdleClosed != 0 {
			t.Errorf("%d connections closed for want of an idle slot (%d open)", st.MaxIdleClosed, st.OpenConnections)
		}
	})
}
