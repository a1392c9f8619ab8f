package interview

import (
	"reflect"
	"strings"
	"testing"

	"github.com/mockround/mockround/interview/grader"
)

func core(avg float64, n int) map[string]AreaScore {
	return map[string]AreaScore{
		"databases": {avg, n}, "caching": {avg, n}, "apis": {avg, n}, "go": {avg, n}, "system-design": {avg, n},
	}
}

func TestReadinessFor(t *testing.T) {
	tests := []struct {
		name        string
		h           LevelHistory
		wantReady   bool
		wantNext    string
		wantMissing []string
		wantAvg     float64
		wantCounted int
	}{
		{
			name:      "OK ready middle moves up to senior",
			h:         LevelHistory{Level: "middle", Stack: "go", RecentRounds: []float64{7.4, 7.1, 6.9, 3.0}, Areas: core(6.5, 4)},
			wantReady: true, wantNext: "senior", wantAvg: 7.1, wantCounted: 3,
		},
		{
			name:      "OK ready senior has no next level",
			h:         LevelHistory{Level: "senior", Stack: "go", RecentRounds: []float64{8, 8, 8}, Areas: core(7, 2)},
			wantReady: true, wantNext: "", wantAvg: 8, wantCounted: 3,
		},
		{
			name:        "NotReady too few rounds",
			h:           LevelHistory{Level: "junior", Stack: "go", RecentRounds: []float64{9}, Areas: core(9, 1)},
			wantMissing: []string{"2 more complete rounds at junior"}, wantAvg: 9, wantCounted: 1,
		},
		{
			name:        "NotReady average under the bar",
			h:           LevelHistory{Level: "middle", Stack: "go", RecentRounds: []float64{7, 6.5, 6.9}, Areas: core(7, 3)},
			wantMissing: []string{"last 3 rounds average 6.8, the bar is 7.0"}, wantAvg: 6.8, wantCounted: 3,
		},
		{
			name: "NotReady weak and missing core areas",
			h: LevelHistory{Level: "middle", Stack: "python", RecentRounds: []float64{8, 8, 8}, Areas: map[string]AreaScore{
				"databases": {7, 3}, "caching": {6, 2}, "apis": {6.5, 2}, "python": {7, 4}, "system-design": {5.44, 1},
			}},
			wantMissing: []string{"system design at 5.4"}, wantAvg: 8, wantCounted: 3,
		},
		{
			name: "NotReady language never practised",
			h: LevelHistory{Level: "senior", Stack: "java", RecentRounds: []float64{8, 8, 8}, Areas: map[string]AreaScore{
				"databases": {7, 3}, "caching": {7, 2}, "apis": {7, 2}, "system-design": {7, 1},
			}},
			wantMissing: []string{"Java not practised at senior"}, wantAvg: 8, wantCounted: 3,
		},
		{
			name:        "NotReady no history",
			h:           LevelHistory{Level: "junior", Stack: "node"},
			wantMissing: []string{"3 more complete rounds at junior", "databases not practised at junior", "caching not practised at junior", "APIs not practised at junior", "Node not practised at junior", "system design not practised at junior"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ReadinessFor(tt.h)
			if got.Ready != tt.wantReady || got.NextLevel != tt.wantNext {
				t.Errorf("ready %v next %q, want %v %q", got.Ready, got.NextLevel, tt.wantReady, tt.wantNext)
			}
			if !reflect.DeepEqual(got.Missing, tt.wantMissing) {
				t.Errorf("missing %q, want %q", got.Missing, tt.wantMissing)
			}
			if got.RoundsAverage != tt.wantAvg || got.RoundsCounted != tt.wantCounted {
				t.Errorf("average %v over %d, want %v over %d", got.RoundsAverage, got.RoundsCounted, tt.wantAvg, tt.wantCounted)
			}
			if tt.wantReady && got.Progress != 1 {
				t.Errorf("ready progress = %v", got.Progress)
			}
			if !tt.wantReady && (got.Progress < 0 || got.Progress >= 1) {
				t.Errorf("progress = %v, want in [0,1)", got.Progress)
			}
			if len(got.Areas) != 5 {
				t.Errorf("areas %d, want 5 core areas", len(got.Areas))
			}
		})
	}
}

func TestReadinessProgressGrows(t *testing.T) {
	a := ReadinessFor(LevelHistory{Level: "middle", Stack: "go", RecentRounds: []float64{6}, Areas: core(5, 1)})
	b := ReadinessFor(LevelHistory{Level: "middle", Stack: "go", RecentRounds: []float64{6.8, 6.5}, Areas: core(5.8, 2)})
	if !(b.Progress > a.Progress) {
		t.Errorf("progress %v then %v", a.Progress, b.Progress)
	}
}

func TestWeakDimensions(t *testing.T) {
	round := grader.Dimensions{Accuracy: 8, Depth: 5, Tradeoffs: 3, Structure: 7, Specificity: 6.8, Communication: 9}
	avg := grader.Dimensions{Accuracy: 7, Depth: 6, Tradeoffs: 6, Structure: 7, Specificity: 7, Communication: 8}
	if got := WeakDimensions(round, &avg); strings.Join(got, ",") != "tradeoffs,depth" {
		t.Errorf("against the user's averages: %v", got)
	}
	// With no history the round's own mean (6.5) is the reference.
	if got := WeakDimensions(round, nil); strings.Join(got, ",") != "tradeoffs,depth" {
		t.Errorf("against the round's mean: %v", got)
	}
	even := dims(9, 9, 8.8, 9, 9.2, 9)
	if got := WeakDimensions(even, nil); len(got) != 0 {
		t.Errorf("an even round has no weak dimension: %v", got)
	}
}

func TestWeakestArea(t *testing.T) {
	tests := []struct {
		name string
		avg  map[string]float64
		want string
	}{
		{"OK lowest", map[string]float64{"caching": 6, "databases": 4.5, "apis": 7}, "databases"},
		{"OK behavioral is not drilled", map[string]float64{"behavioral": 2, "caching": 6}, "caching"},
		{"OK a language counts", map[string]float64{"go": 3, "caching": 6}, "go"},
		{"OK tie goes to the first area", map[string]float64{"caching": 5, "databases": 5}, "databases"},
		{"OK none", map[string]float64{"behavioral": 1}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := WeakestArea(tt.avg); got != tt.want {
				t.Errorf("WeakestArea(%v) = %q, want %q", tt.avg, got, tt.want)
			}
		})
	}
}

func TestSkillLabel(t *testing.T) {
	for skill, want := range map[string]string{
		"system-design/inventory-and-contention": "System design · inventory and contention",
		"databases/locking":                      "Databases · locking",
		"apis/idempotency":                       "APIs · idempotency",
		"go/goroutine-leaks":                     "Go · goroutine leaks",
		"caching":                                "Caching",
		"":                                       "",
	} {
		if got := SkillLabel(skill); got != want {
			t.Errorf("SkillLabel(%q) = %q, want %q", skill, got, want)
		}
	}
}

func TestConsistent(t *testing.T) {
	ready := func(level string) Readiness {
		return Readiness{Level: level, Ready: true, Progress: 1, NextLevel: NextLevel(level)}
	}
	notReady := func(level string) Readiness {
		return Readiness{Level: level, Progress: 0.4, Missing: []string{"APIs at 4.6"}, Gaps: []Gap{{"APIs at 4.6", "apis"}}}
	}
	for _, tc := range []struct {
		name      string
		in        []Readiness
		wantReady []bool
		wantCover []string
		wantNext  []string
	}{
		{"OKNoneReady", []Readiness{notReady("junior"), notReady("middle"), notReady("senior")},
			[]bool{false, false, false}, []string{"", "", ""}, []string{"", "", ""}},
		{"OKBottomUp", []Readiness{ready("junior"), notReady("middle"), notReady("senior")},
			[]bool{true, false, false}, []string{"", "", ""}, []string{"middle", "", ""}},
		{"SeniorCoversBelow", []Readiness{notReady("junior"), notReady("middle"), ready("senior")},
			[]bool{true, true, true}, []string{"senior", "senior", ""}, []string{"", "", ""}},
		{"MiddleCoversJuniorNotSenior", []Readiness{notReady("junior"), ready("middle"), notReady("senior")},
			[]bool{true, true, false}, []string{"middle", "", ""}, []string{"", "senior", ""}},
		{"AllReadyOnTheirOwn", []Readiness{ready("junior"), ready("middle"), ready("senior")},
			[]bool{true, true, true}, []string{"", "", ""}, []string{"", "", ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Consistent(tc.in)
			for i, r := range got {
				if r.Ready != tc.wantReady[i] || r.CoveredBy != tc.wantCover[i] || r.NextLevel != tc.wantNext[i] {
					t.Errorf("%s: ready %v covered by %q next %q, want %v %q %q", r.Level, r.Ready, r.CoveredBy, r.NextLevel, tc.wantReady[i], tc.wantCover[i], tc.wantNext[i])
				}
				if r.Ready && (len(r.Missing) > 0 || len(r.Gaps) > 0 || r.Progress != 1) {
					t.Errorf("%s is ready with gaps %v, progress %v", r.Level, r.Gaps, r.Progress)
				}
			}
			if tc.in[0].CoveredBy != "" {
				t.Error("Consistent changed its input")
			}
		})
	}
}

// Every dimension of the grader's one list has a habit to practise.
func TestEveryDimensionHasAHabit(t *testing.T) {
	for _, d := range grader.DimensionList {
		if h := HabitFor(d.Name); h.Dimension != d.Name || h.Practice == "" {
			t.Errorf("dimension %s has no habit: %+v", d.Name, h)
		}
	}
	if len(Habits) != len(grader.DimensionList) {
		t.Errorf("%d habits for %d dimensions", len(Habits), len(grader.DimensionList))
	}
}
