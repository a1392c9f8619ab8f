package interview

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/mockround/mockround/interview/grader"
)

// MaxReviewQuestions bounds a review round.
const MaxReviewQuestions = 10

// ReviewAheadCount is how many skills "Review ahead" brings back early,
// those closest to due first.
const ReviewAheadCount = 5

// MixedStack is the stack of a review round whose questions no one stack
// can ask (a Python skill and a Go skill due together).
const MixedStack = "mixed"

// PlanReview picks one question per due skill, in the order given (most
// forgotten first), never the question the user answered last time in that
// skill when the skill has another, so a review tests understanding rather
// than a remembered answer. Among the rest it prefers the user's level and
// stack.
func PlanReview(b *grader.Bank, skills []string, lastAsked map[string]string, level, stack string, seed int64) Plan {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x726576696577))
	var p Plan
	for _, skill := range skills {
		if len(p.Questions) == MaxReviewQuestions {
			break
		}
		qs := b.BySkill(skill)
		if len(qs) == 0 {
			continue
		}
		var fresh, inStack, atLevel []*grader.Question
		for _, q := range qs {
			if q.ID == lastAsked[skill] {
				continue
			}
			fresh = append(fresh, q)
			if q.HasStack(stack) {
				inStack = append(inStack, q)
				if q.HasLevel(level) {
					atLevel = append(atLevel, q)
				}
			}
		}
		pool := atLevel
		for _, next := range [][]*grader.Question{inStack, fresh, qs} {
			if len(pool) == 0 {
				pool = next
			}
		}
		q := pool[rng.IntN(len(pool))]
		lv := level
		if !q.HasLevel(level) {
			lv = q.Levels[0]
		}
		p.Questions = append(p.Questions, Planned{ID: q.ID, Area: q.Area, Skill: q.Skill, Level: lv, Kind: q.Kind})
	}
	return p
}

// ReviewStack is the stack a review round's questions are asked in, for
// its label: the preferred stack when every question fits it, else a stack
// they all fit, else MixedStack. A Python skill due for a Go learner makes
// the round Python, or mixed, never "Go".
func ReviewStack(b *grader.Bank, ids []string, preferred string) string {
	fits := slices.Clone(Stacks)
	for _, id := range ids {
		q, ok := b.Question(id)
		if !ok {
			continue
		}
		fits = slices.DeleteFunc(fits, func(s string) bool { return !q.HasStack(s) })
	}
	switch {
	case slices.Contains(fits, preferred):
		return preferred
	case len(fits) > 0:
		return fits[0]
	}
	return MixedStack
}

// ComesBack says when a skill is due again, as a learner reads it: "now",
// "later today", "tomorrow", "in 3 days", "in 2 weeks", "in 3 months".
// Days are calendar days in UTC, as the forecast counts them.
func ComesBack(due, now time.Time) string {
	if !due.After(now) {
		return "now"
	}
	days := int(dayOf(due).Sub(dayOf(now)).Hours() / 24)
	switch {
	case days == 0:
		return "later today"
	case days == 1:
		return "tomorrow"
	case days < 14:
		return fmt.Sprintf("in %d days", days)
	case days < 60:
		return fmt.Sprintf("in %d weeks", (days+3)/7)
	case days < 365*2:
		return fmt.Sprintf("in %d months", (days+15)/30)
	}
	return fmt.Sprintf("in %d years", (days+182)/365)
}

// DrillRun is a finished drill round of a plan.
type DrillRun struct {
	Day     time.Time // the day it finished, at midnight UTC
	Overall float64
}

// DrillPlanState is where a week-long drill plan stands.
type DrillPlanState struct {
	// Day is today's day number, 1 to Days.
	Day       int
	Days      int
	DaysDone  int // days with at least PerDay drills
	TodayDone int
	PerDay    int
	Streak    int // consecutive days up to today (or yesterday) at target
	Over      bool
	// Before is the area's average before the plan; Now the plan's drills.
	Before    float64
	HasBefore bool
	Now       float64
	HasNow    bool
	// Daily are each day's average so far (0 for a day without drills).
	Daily []float64
}

// DrillProgress computes a plan's state at now from its finished drills.
func DrillProgress(start time.Time, days, perDay int, runs []DrillRun, before float64, hasBefore bool, now time.Time) DrillPlanState {
	st := DrillPlanState{Days: days, PerDay: perDay, Before: before, HasBefore: hasBefore}
	start = dayOf(start)
	today := dayOf(now)
	st.Day = int(today.Sub(start).Hours()/24) + 1
	st.Over = st.Day > days
	counts := make([]int, days)
	sums := make([]float64, days)
	var all []float64
	for _, r := range runs {
		i := int(dayOf(r.Day).Sub(start).Hours() / 24)
		if i < 0 || i >= days {
			continue
		}
		counts[i]++
		sums[i] += r.Overall
		all = append(all, r.Overall)
	}
	st.Daily = make([]float64, days)
	for i := range days {
		if counts[i] > 0 {
			st.Daily[i] = grader.Round1(sums[i] / float64(counts[i]))
		}
		if counts[i] >= perDay {
			st.DaysDone++
		}
	}
	if i := st.Day - 1; i >= 0 && i < days {
		st.TodayDone = counts[i]
	}
	// The streak counts back from today; today not done yet does not break it.
	i := min(st.Day-1, days-1)
	if i >= 0 && counts[i] < perDay && !st.Over {
		i--
	}
	for ; i >= 0 && counts[i] >= perDay; i-- {
		st.Streak++
	}
	if len(all) > 0 {
		st.Now, st.HasNow = Mean(all), true
	}
	return st
}

func dayOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
