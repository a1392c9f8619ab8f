package interview

import (
	"testing"
	"time"
)

func TestPlanReviewAsksAFreshQuestion(t *testing.T) {
	b := synthBank(4) // two questions per skill
	skills := []string{"caching/middle-0", "databases/middle-1"}
	last := map[string]string{"caching/middle-0": "caching-middle-0", "databases/middle-1": "databases-middle-3"}
	for seed := int64(0); seed < 20; seed++ {
		p := b.PlanReview(skills, last, "middle", seed)
		if len(p.Questions) != 2 {
			t.Fatalf("plan %v", p.IDs())
		}
		if p.Questions[0].ID != "caching-middle-1" || p.Questions[1].ID != "databases-middle-2" {
			t.Fatalf("seed %d: %v; each review should ask the skill's other question", seed, p.IDs())
		}
	}
}

func TestPlanReviewKeepsOrderAndBounds(t *testing.T) {
	b := synthBank(4)
	var skills []string
	for _, s := range b.Skills() {
		skills = append(skills, s)
	}
	p := b.PlanReview(skills, nil, "senior", 1)
	if len(p.Questions) != MaxReviewQuestions {
		t.Fatalf("%d questions", len(p.Questions))
	}
	for i, q := range p.Questions {
		if q.Skill != skills[i] {
			t.Errorf("question %d is %s, want skill %s (most forgotten first)", i, q.Skill, skills[i])
		}
	}
}

func TestDrillProgress(t *testing.T) {
	start := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	day := func(n int) time.Time { return start.Add(time.Duration(n-1) * 24 * time.Hour) }
	runs := []DrillRun{
		{day(1), 5}, {day(2), 6}, {day(2), 6.5}, {day(4), 7}, {day(5), 7.5},
	}
	tests := []struct {
		name       string
		now        time.Time
		perDay     int
		wantDay    int
		wantDone   int
		wantStreak int
		wantToday  int
		wantOver   bool
	}{
		{"OK day 5 done today", day(5).Add(10 * time.Hour), 1, 5, 4, 2, 1, false},
		{"OK day 6 not yet done keeps the streak", day(6).Add(time.Hour), 1, 6, 4, 2, 0, false},
		{"OK two a day", day(5).Add(time.Hour), 2, 5, 1, 0, 1, false},
		{"OK plan over", day(9), 1, 9, 4, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := DrillProgress(start, 7, tt.perDay, runs, 4.8, true, tt.now)
			if st.Day != tt.wantDay || st.DaysDone != tt.wantDone || st.Streak != tt.wantStreak || st.TodayDone != tt.wantToday || st.Over != tt.wantOver {
				t.Errorf("got day %d done %d streak %d today %d over %v", st.Day, st.DaysDone, st.Streak, st.TodayDone, st.Over)
			}
			if !st.HasNow || st.Now != 6.4 || st.Before != 4.8 {
				t.Errorf("trend %.1f -> %.1f", st.Before, st.Now)
			}
			if st.Daily[1] != 6.3 || st.Daily[2] != 0 {
				t.Errorf("daily %v", st.Daily)
			}
		})
	}
}
