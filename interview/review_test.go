package interview

import (
	"testing"
	"time"

	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/seeds"
)

func TestPlanReviewAsksAFreshQuestion(t *testing.T) {
	b := synthBank(4) // two questions per skill
	skills := []string{"caching/middle-0", "databases/middle-1"}
	last := map[string]string{"caching/middle-0": "caching-middle-0", "databases/middle-1": "databases-middle-3"}
	for seed := int64(0); seed < 20; seed++ {
		p := PlanReview(b, skills, last, "middle", "go", seed)
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
	skills := b.Skills()
	p := PlanReview(b, skills, nil, "senior", "go", 1)
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

// stackBank has a Python-only and a Go-only question in one skill, a
// Python language question, and a question for any stack.
func stackBank() *grader.Bank {
	q := func(id, area, skill string, stacks ...string) seeds.Question {
		return seeds.Question{ID: id, Area: area, Skill: skill, Stacks: stacks, Levels: []string{"middle"}, Kind: "screening",
			Prompt: "Question " + id, KeyPoints: []seeds.KeyPoint{{ID: "a", Text: "a", Weight: 1, Any: []string{"alpha"}}}}
	}
	return grader.NewBank([]seeds.Question{
		q("queues-celery", "concurrency", "concurrency/queues", "python"),
		q("queues-channels", "concurrency", "concurrency/queues", "go"),
		q("py-gil", "python", "python/gil", "python"),
		q("cache-any", "caching", "caching/pitfalls", "any"),
	})
}

func TestPlanReviewPrefersTheStack(t *testing.T) {
	b := stackBank()
	for _, tc := range []struct{ stack, want string }{{"go", "queues-channels"}, {"python", "queues-celery"}} {
		for seed := int64(0); seed < 10; seed++ {
			if got := PlanReview(b, []string{"concurrency/queues"}, nil, "middle", tc.stack, seed).IDs(); len(got) != 1 || got[0] != tc.want {
				t.Fatalf("stack %s seed %d: %v, want %s", tc.stack, seed, got, tc.want)
			}
		}
	}
}

func TestReviewStack(t *testing.T) {
	b := stackBank()
	for _, tc := range []struct {
		name      string
		ids       []string
		preferred string
		want      string
	}{
		{"OKPreferredFitsAll", []string{"cache-any", "queues-channels"}, "go", "go"},
		{"OKAnyStack", []string{"cache-any"}, "java", "java"},
		{"OtherStackWhenOnlyItFits", []string{"py-gil", "cache-any"}, "go", "python"},
		{"MixedWhenNoStackFits", []string{"py-gil", "queues-channels"}, "go", MixedStack},
		{"UnknownIDsIgnored", []string{"gone", "cache-any"}, "node", "node"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ReviewStack(b, tc.ids, tc.preferred); got != tc.want {
				t.Errorf("ReviewStack(%v, %s) = %q, want %q", tc.ids, tc.preferred, got, tc.want)
			}
		})
	}
}

func TestComesBack(t *testing.T) {
	now := time.Date(2026, 12, 6, 15, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		due  time.Time
		want string
	}{
		{now.Add(-48 * time.Hour), "now"},
		{now, "now"},
		{now.Add(10 * time.Minute), "later today"},
		{now.Add(10 * time.Hour), "tomorrow"},
		{now.AddDate(0, 0, 3), "in 3 days"},
		{now.AddDate(0, 0, 13), "in 13 days"},
		{now.AddDate(0, 0, 14), "in 2 weeks"},
		{now.AddDate(0, 0, 59), "in 8 weeks"},
		{now.AddDate(0, 0, 90), "in 3 months"},
		{now.AddDate(3, 0, 0), "in 3 years"},
	} {
		if got := ComesBack(tc.due, now); got != tc.want {
			t.Errorf("ComesBack(%v) = %q, want %q", tc.due, got, tc.want)
		}
	}
}
