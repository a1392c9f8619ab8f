// Package srs schedules skill reviews with FSRS (go-fsrs v3). It is pure:
// every function takes the time it should consider "now".
//
// mockround keeps one card per (user, skill), not per question, so a
// review asks a different question of a due skill and rewards
// understanding over a memorised answer.
package srs

import (
	"fmt"
	"math"
	"sort"
	"time"

	fsrs "github.com/open-spaced-repetition/go-fsrs/v3"
)

// The score thresholds that turn a skill's score in a round (0–10) into an
// FSRS rating. One place, shown to users on the help page.
const (
	AgainBelow = 4.0 // score < 4: Again (forgotten)
	HardBelow  = 6.0 // score < 6: Hard
	GoodBelow  = 8.5 // score < 8.5: Good; from 8.5: Easy
)

// Desired retention bounds and default. Higher retention means shorter
// intervals, so more reviews.
const (
	DefaultRetention = 0.90
	MinRetention     = 0.70
	MaxRetention     = 0.97
)

// LeechLapses is how many lapses make a skill a leech: before its next
// review the user gets a learn step instead of another failing review.
const LeechLapses = 4

// Rating is an FSRS rating.
type Rating = fsrs.Rating

// Card is an FSRS card's state.
type Card = fsrs.Card

// State is a card's learning state.
type State = fsrs.State

// Ratings, re-exported so callers need not import go-fsrs.
const (
	Again = fsrs.Again
	Hard  = fsrs.Hard
	Good  = fsrs.Good
	Easy  = fsrs.Easy
)

// States of a card.
const (
	StateNew        = fsrs.New
	StateLearning   = fsrs.Learning
	StateReview     = fsrs.Review
	StateRelearning = fsrs.Relearning
)

// RatingFor maps a 0–10 score to a rating.
func RatingFor(score float64) Rating {
	switch {
	case score < AgainBelow:
		return Again
	case score < HardBelow:
		return Hard
	case score < GoodBelow:
		return Good
	default:
		return Easy
	}
}

// Scheduler schedules cards for one desired retention.
type Scheduler struct {
	f *fsrs.FSRS
}

// ValidateRetention checks a desired retention value.
func ValidateRetention(r float64) error {
	if math.IsNaN(r) || r < MinRetention || r > MaxRetention {
		return fmt.Errorf("desired retention must be between %.2f and %.2f", MinRetention, MaxRetention)
	}
	return nil
}

// New returns a scheduler. Reviews happen after whole interview rounds,
// so the long-term scheduler is used (intervals in days, no same-day
// learning steps) and fuzz is off, so schedules are reproducible.
func New(retention float64) (*Scheduler, error) {
	if err := ValidateRetention(retention); err != nil {
		return nil, err
	}
	p := fsrs.DefaultParam()
	p.RequestRetention = retention
	p.EnableShortTerm = false
	p.EnableFuzz = false
	return &Scheduler{f: fsrs.NewFSRS(p)}, nil
}

// NewCard is a card never reviewed, due now.
func NewCard(now time.Time) Card {
	c := fsrs.NewCard()
	c.Due = now
	return c
}

// Review applies one review at now and returns the new card and the log.
func (s *Scheduler) Review(c Card, r Rating, now time.Time) (Card, fsrs.ReviewLog) {
	info := s.f.Next(c, now, r)
	return info.Card, info.ReviewLog
}

// Retrievability is the probability the user still knows the skill at now.
func (s *Scheduler) Retrievability(c Card, now time.Time) float64 {
	if c.State == StateNew {
		return 0
	}
	return s.f.GetRetrievability(c, now)
}

// Event is one past review, as stored in the review log.
type Event struct {
	Rating Rating
	At     time.Time
}

// Replay rebuilds a card from its review history, oldest first, starting
// from a new card created at the first review.
func (s *Scheduler) Replay(events []Event) Card {
	if len(events) == 0 {
		return fsrs.NewCard()
	}
	c := NewCard(events[0].At)
	for _, e := range events {
		c, _ = s.Review(c, e.Rating, e.At)
	}
	return c
}

// IsLeech reports a skill forgotten LeechLapses times or more.
func IsLeech(c Card) bool { return c.Lapses >= LeechLapses }

// DueCard is a card due for review with how well it is remembered now.
type DueCard struct {
	Key            string
	Card           Card
	Retrievability float64
}

// DueQueue returns the cards due at now, most forgotten first (lowest
// retrievability), ties by key.
func (s *Scheduler) DueQueue(cards map[string]Card, now time.Time) []DueCard {
	var out []DueCard
	for k, c := range cards {
		if c.Due.After(now) {
			continue
		}
		out = append(out, DueCard{Key: k, Card: c, Retrievability: s.Retrievability(c, now)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Retrievability != out[j].Retrievability {
			return out[i].Retrievability < out[j].Retrievability
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// Forecast counts reviews due on each of the next days, in loc, starting
// with today; anything overdue counts for today.
func Forecast(due []time.Time, now time.Time, days int, loc *time.Location) []int {
	out := make([]int, days)
	today := dayStart(now.In(loc))
	for _, d := range due {
		i := int(dayStart(d.In(loc)).Sub(today).Hours() / 24)
		if i < 0 {
			i = 0
		}
		if i < days {
			out[i]++
		}
	}
	return out
}

func dayStart(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// StateLabel is a card's state in the learner's words: "new", "learning"
// (learning or relearning after a lapse), "review", or "leech" when it has
// slipped LeechLapses times, whatever its state.
func StateLabel(c Card) string {
	switch {
	case IsLeech(c):
		return "leech"
	case c.State == StateLearning || c.State == StateRelearning:
		return "learning"
	case c.State == StateReview:
		return "review"
	}
	return "new"
}
