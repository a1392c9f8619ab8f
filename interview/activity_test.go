package interview

import (
	"testing"
	"time"
)

func TestActivity(t *testing.T) {
	now := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	d := func(daysAgo int) time.Time { return now.AddDate(0, 0, -daysAgo) }
	tests := []struct {
		name       string
		days       []time.Time
		wantStreak int
	}{
		{"OK today and two before", []time.Time{d(0), d(1), d(1), d(2), d(5)}, 3},
		{"OK not yet today keeps yesterday's streak", []time.Time{d(1), d(2)}, 2},
		{"OK broken", []time.Time{d(2), d(3)}, 0},
		{"OK none", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			counts, streak := Activity(tt.days, now)
			if streak != tt.wantStreak {
				t.Errorf("streak %d, want %d", streak, tt.wantStreak)
			}
			if len(counts) != CalendarDays {
				t.Fatalf("%d days", len(counts))
			}
			total := 0
			for _, c := range counts {
				total += c
			}
			if total != len(tt.days) {
				t.Errorf("counted %d of %d", total, len(tt.days))
			}
		})
	}
	counts, _ := Activity([]time.Time{d(1), d(1), d(400)}, now)
	if counts[CalendarDays-2] != 2 || counts[CalendarDays-1] != 0 {
		t.Errorf("yesterday %d, today %d", counts[CalendarDays-2], counts[CalendarDays-1])
	}
}

func TestReadinessAllCountsInterviewRoundsOnly(t *testing.T) {
	rounds := []LevelRound{
		{"middle", "go", "screening", 7.5, true, 2},
		{"middle", "go", "drill", 2.0, true, 0}, // drills do not count as rounds at a level
		{"middle", "go", "full", 7.2, true, 1},
		{"middle", "go", "screening", 9.9, false, 4}, // ended early: does not count
		{"middle", "go", "screening", 7.0, true, 0},
	}
	areas := map[string]map[string]AreaScore{"middle": core(7, 3)}
	rs := ReadinessAll(rounds, areas, "")
	if len(rs) != 3 || rs[1].Level != "middle" {
		t.Fatalf("%+v", rs)
	}
	if !rs[1].Ready || rs[1].NextLevel != "senior" || rs[1].RoundsAverage != 7.2 {
		t.Errorf("middle: %+v", rs[1])
	}
	// The answers adjusted by the learner in the rounds counted, not in
	// the drill nor in the round ended early.
	if rs[1].Adjusted != 3 {
		t.Errorf("middle: %d adjusted answers, want 3", rs[1].Adjusted)
	}
	if rs[2].Ready {
		t.Error("senior has no history")
	}
	if !rs[0].Ready || rs[0].CoveredBy != "middle" {
		t.Errorf("junior: %+v, want ready, covered by middle", rs[0])
	}
}
