package srs

import (
	"testing"
	"time"

	fsrs "github.com/open-spaced-repetition/go-fsrs/v3"
)

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func TestRatingFor(t *testing.T) {
	tests := []struct {
		score float64
		want  Rating
	}{
		{0, Again}, {3.9, Again}, {4.0, Hard}, {5.99, Hard}, {6.0, Good}, {8.49, Good}, {8.5, Easy}, {10, Easy},
	}
	for _, tt := range tests {
		if got := RatingFor(tt.score); got != tt.want {
			t.Errorf("RatingFor(%v) = %v, want %v", tt.score, got, tt.want)
		}
	}
}

func TestNewValidatesRetention(t *testing.T) {
	for _, r := range []float64{0.69, 0.98, 0, 1} {
		if _, err := New(r); err == nil {
			t.Errorf("New(%v) accepted", r)
		}
	}
	for _, r := range []float64{0.70, 0.90, 0.97} {
		if _, err := New(r); err != nil {
			t.Errorf("New(%v): %v", r, err)
		}
	}
}

// history is a fixed sequence of reviews used to compare the wrapper with
// go-fsrs called directly.
var history = []Event{
	{Good, t0},
	{Again, t0.Add(24 * time.Hour)},
	{Hard, t0.Add(3 * 24 * time.Hour)},
	{Good, t0.Add(7 * 24 * time.Hour)},
	{Easy, t0.Add(20 * 24 * time.Hour)},
}

func TestReviewMatchesGoFSRS(t *testing.T) {
	s, err := New(0.9)
	if err != nil {
		t.Fatal(err)
	}
	p := fsrs.DefaultParam()
	p.RequestRetention = 0.9
	p.EnableShortTerm = false
	direct := fsrs.NewFSRS(p)

	ours := NewCard(t0)
	theirs := fsrs.NewCard()
	theirs.Due = t0
	for i, e := range history {
		ours, _ = s.Review(ours, e.Rating, e.At)
		theirs = direct.Next(theirs, e.At, e.Rating).Card
		if ours != theirs {
			t.Fatalf("after review %d: ours %+v, go-fsrs %+v", i, ours, theirs)
		}
	}
	if ours.Lapses != 1 || ours.Reps != uint64(len(history)) {
		t.Errorf("lapses %d reps %d", ours.Lapses, ours.Reps)
	}
	if !ours.Due.After(history[len(history)-1].At) {
		t.Errorf("due %v not after the last review", ours.Due)
	}
}

func TestReplayGivesStoredState(t *testing.T) {
	s, _ := New(0.9)
	c := NewCard(t0)
	for _, e := range history {
		c, _ = s.Review(c, e.Rating, e.At)
	}
	if got := s.Replay(history); got != c {
		t.Errorf("replay %+v, incremental %+v", got, c)
	}
}

func TestHigherRetentionMeansShorterIntervals(t *testing.T) {
	lo, _ := New(0.75)
	hi, _ := New(0.95)
	a, _ := lo.Review(NewCard(t0), Good, t0)
	b, _ := hi.Review(NewCard(t0), Good, t0)
	if !b.Due.Before(a.Due) {
		t.Errorf("retention 0.95 due %v, 0.75 due %v", b.Due, a.Due)
	}
}

func TestDueQueueMostForgottenFirst(t *testing.T) {
	s, _ := New(0.9)
	mk := func(r Rating, at time.Time) Card { c, _ := s.Review(NewCard(at), r, at); return c }
	now := t0.Add(60 * 24 * time.Hour)
	cards := map[string]Card{
		"databases/locking": mk(Good, t0),                        // stable, long ago: fairly forgotten
		"caching/ttl":       mk(Again, t0),                       // weak: most forgotten
		"apis/pagination":   mk(Easy, now.Add(-1*time.Hour)),     // just reviewed: not due
		"go/channels":       NewCard(now.Add(-48 * time.Hour)),   // new and due: retrievability 0
		"python/gil":        mk(Good, now.Add(-30*24*time.Hour)), // due? depends on interval
	}
	q := s.DueQueue(cards, now)
	if len(q) < 3 {
		t.Fatalf("queue %+v", q)
	}
	for _, d := range q {
		if d.Key == "apis/pagination" {
			t.Error("a card reviewed an hour ago is not due")
		}
	}
	for i := 1; i < len(q); i++ {
		if q[i-1].Retrievability > q[i].Retrievability {
			t.Errorf("queue not ordered by retrievability: %v then %v", q[i-1], q[i])
		}
	}
	if q[0].Key != "go/channels" || q[1].Key != "caching/ttl" {
		t.Errorf("order = %s, %s", q[0].Key, q[1].Key)
	}
}

func TestForecast(t *testing.T) {
	now := time.Date(2026, 11, 2, 22, 0, 0, 0, time.UTC)
	due := []time.Time{
		now.Add(-72 * time.Hour),     // overdue: today
		now.Add(time.Hour),           // tomorrow 23:00 UTC... 2026-11-02 23:00: today
		now.Add(3 * time.Hour),       // 2026-11-03 01:00: day 1
		now.Add(13 * 24 * time.Hour), // day 13
		now.Add(20 * 24 * time.Hour), // beyond 14 days
	}
	got := Forecast(due, now, 14, time.UTC)
	want := make([]int, 14)
	want[0], want[1], want[13] = 2, 1, 1
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("forecast = %v, want %v", got, want)
		}
	}
}

func TestIsLeech(t *testing.T) {
	if IsLeech(Card{Lapses: 3}) || !IsLeech(Card{Lapses: 4}) {
		t.Error("leech threshold is 4 lapses")
	}
}

func TestStateLabel(t *testing.T) {
	for _, tc := range []struct {
		name string
		card Card
		want string
	}{
		{"New", Card{State: StateNew}, "new"},
		{"Learning", Card{State: StateLearning}, "learning"},
		{"Relearning", Card{State: StateRelearning, Lapses: 1}, "learning"},
		{"Review", Card{State: StateReview, Lapses: 3}, "review"},
		{"Leech", Card{State: StateReview, Lapses: LeechLapses}, "leech"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := StateLabel(tc.card); got != tc.want {
				t.Errorf("StateLabel = %q, want %q", got, tc.want)
			}
		})
	}
}
