package handlers

import (
	"time"

	"github.com/mockround/mockround/interview"
	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/srs"
)

// cardOf turns a stored card into FSRS state; a card never stored is new
// and due now.
func cardOf(c models.SkillCard, now time.Time) srs.Card {
	if c.ID == 0 && c.Reps == 0 {
		return srs.NewCard(now)
	}
	out := srs.Card{
		Due: c.Due, Stability: c.Stability, Difficulty: c.Difficulty,
		ElapsedDays: uint64(c.ElapsedDays), ScheduledDays: uint64(c.ScheduledDays),
		Reps: uint64(c.Reps), Lapses: uint64(c.Lapses), State: srsState(c.State),
	}
	if c.LastReview != nil {
		out.LastReview = *c.LastReview
	}
	return out
}

func srsState(s int) srs.State { return srs.State(s) }

// storedCard copies FSRS state into a stored card.
func storedCard(c srs.Card, into models.SkillCard) models.SkillCard {
	into.Due = c.Due
	into.Stability = c.Stability
	into.Difficulty = c.Difficulty
	into.ElapsedDays = int64(c.ElapsedDays)
	into.ScheduledDays = int64(c.ScheduledDays)
	into.Reps = int64(c.Reps)
	into.Lapses = int64(c.Lapses)
	into.State = int(c.State)
	if !c.LastReview.IsZero() {
		lr := c.LastReview
		into.LastReview = &lr
	}
	return into
}

// scheduler returns the FSRS scheduler for the user's desired retention.
func scheduler(u models.User) *srs.Scheduler {
	s, err := srs.New(u.DesiredRetention)
	if err != nil {
		s, _ = srs.New(srs.DefaultRetention) // the default is valid by definition
	}
	return s
}

// reviewFunc schedules a skill's review with the user's scheduler.
func reviewFunc(u models.User) models.ReviewFunc {
	sch := scheduler(u)
	return func(card models.SkillCard, score float64, now time.Time) (models.SkillCard, models.ReviewLog) {
		before := cardOf(card, now)
		rating := srs.RatingFor(score)
		after, log := sch.Review(before, rating, now)
		return storedCard(after, card), models.ReviewLog{
			Rating: int(rating), State: int(log.State), Due: after.Due, Stability: after.Stability,
			Difficulty: after.Difficulty, ElapsedDays: int64(log.ElapsedDays), ScheduledDays: int64(log.ScheduledDays),
			ReviewedAt: now,
		}
	}
}

// reviewsOf are the reviews a finishing round records: one per skill
// reached, a skipped question counting as a miss.
func reviewsOf(u models.User, eng *interview.Round) *models.Reviews {
	var skills []models.SkillScore
	for _, s := range eng.SkillScores() {
		skills = append(skills, models.SkillScore{Skill: s.Skill, Score: s.Score})
	}
	return &models.Reviews{Skills: skills, Apply: reviewFunc(u)}
}
