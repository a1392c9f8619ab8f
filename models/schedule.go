package models

import (
	"time"

	"github.com/mockround/mockround/srs"
)

// SRS is the card's FSRS state; a card never stored is new and due now.
func (c SkillCard) SRS(now time.Time) srs.Card {
	if c.ID == 0 && c.Reps == 0 {
		return srs.NewCard(now)
	}
	out := srs.Card{
		Due: c.Due, Stability: c.Stability, Difficulty: c.Difficulty,
		ElapsedDays: uint64(c.ElapsedDays), ScheduledDays: uint64(c.ScheduledDays),
		Reps: uint64(c.Reps), Lapses: uint64(c.Lapses), State: srs.State(c.State),
	}
	if c.LastReview != nil {
		out.LastReview = *c.LastReview
	}
	return out
}

// WithSRS returns the card with FSRS state copied in.
func (c SkillCard) WithSRS(s srs.Card) SkillCard {
	c.Due = s.Due
	c.Stability = s.Stability
	c.Difficulty = s.Difficulty
	c.ElapsedDays = int64(s.ElapsedDays)
	c.ScheduledDays = int64(s.ScheduledDays)
	c.Reps = int64(s.Reps)
	c.Lapses = int64(s.Lapses)
	c.State = int(s.State)
	if !s.LastReview.IsZero() {
		lr := s.LastReview
		c.LastReview = &lr
	}
	return c
}

// Scheduler is the FSRS scheduler for the user's desired retention (the
// default when the stored one is out of range).
func (u User) Scheduler() *srs.Scheduler {
	s, err := srs.New(u.DesiredRetention)
	if err != nil {
		s, _ = srs.New(srs.DefaultRetention) // the default is valid by definition
	}
	return s
}

// ReviewFunc schedules the user's reviews: a skill's score in a round
// becomes an FSRS rating (srs.RatingFor) applied to its card.
func (u User) ReviewFunc() ReviewFunc {
	sch := u.Scheduler()
	return func(card SkillCard, score float64, now time.Time) (SkillCard, ReviewLog) {
		rating := srs.RatingFor(score)
		after, log := sch.Review(card.SRS(now), rating, now)
		return card.WithSRS(after), ReviewLog{
			Rating: int(rating), State: int(log.State), Due: after.Due, Stability: after.Stability,
			Difficulty: after.Difficulty, ElapsedDays: int64(log.ElapsedDays), ScheduledDays: int64(log.ScheduledDays),
			ReviewedAt: now,
		}
	}
}
