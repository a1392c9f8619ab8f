package interview

import "time"

// CalendarDays is how far back the activity calendar goes.
const CalendarDays = 364

// Activity counts practice per day over the calendar (oldest first, ending
// today) and the streak: consecutive days with practice up to today, or up
// to yesterday when today has none yet.
func Activity(days []time.Time, now time.Time) (counts []int, streak int) {
	today := dayOf(now)
	first := today.AddDate(0, 0, -(CalendarDays - 1))
	counts = make([]int, CalendarDays)
	for _, d := range days {
		i := int(dayOf(d).Sub(first).Hours() / 24)
		if i >= 0 && i < CalendarDays {
			counts[i]++
		}
	}
	i := CalendarDays - 1
	if counts[i] == 0 {
		i--
	}
	for ; i >= 0 && counts[i] > 0; i-- {
		streak++
	}
	return counts, streak
}

// LevelRounds groups finished rounds' scores by level, newest first, for
// readiness: only screenings and full interviews count as rounds at a level.
type LevelRound struct {
	Level   string
	Stack   string
	Type    string
	Overall float64
	// Complete: every planned question was answered or skipped. A round
	// ended early does not count toward readiness.
	Complete bool
	// Adjusted counts the round's answers whose grade the learner adjusted.
	Adjusted int
}

// ReadinessAll applies the bar to each level, consistently up the ladder
// (see Consistent). rounds are oldest first; areas are averages by area
// for each level.
func ReadinessAll(rounds []LevelRound, areas map[string]map[string]AreaScore, fallbackStack string) []Readiness {
	out := make([]Readiness, 0, 3)
	for _, level := range Levels {
		h := LevelHistory{Level: level, Stack: fallbackStack, Areas: areas[level]}
		stacks := map[string]int{}
		best := 0
		for i := len(rounds) - 1; i >= 0; i-- {
			r := rounds[i]
			if r.Level != level || !r.Complete || (r.Type != string(TypeScreening) && r.Type != string(TypeFull)) {
				continue
			}
			h.RecentRounds = append(h.RecentRounds, r.Overall)
			h.RecentAdjusted = append(h.RecentAdjusted, r.Adjusted)
			// The stack practised most at this level (the latest on a tie)
			// is the one whose language counts as a core area.
			stacks[r.Stack]++
			if stacks[r.Stack] > best {
				best, h.Stack = stacks[r.Stack], r.Stack
			}
		}
		out = append(out, ReadinessFor(h))
	}
	return Consistent(out)
}
