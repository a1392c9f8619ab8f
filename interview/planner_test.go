package interview

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/seeds"
)

// synthBank builds a bank with n questions per (area, level), two per
// skill, so planner tests do not depend on the real bank's content.
func synthBank(n int) *grader.Bank {
	var qs []seeds.Question
	for _, area := range seeds.Areas {
		kind := "screening"
		if area == "system-design" || area == "behavioral" {
			kind = area
		}
		stacks := []string{"any"}
		if Languages[area] {
			stacks = []string{area}
		}
		for _, level := range seeds.Levels {
			for i := range n {
				id := fmt.Sprintf("%s-%s-%d", area, level, i)
				qs = append(qs, seeds.Question{
					ID: id, Area: area, Skill: fmt.Sprintf("%s/%s-%d", area, level, i/2), Stacks: stacks,
					Levels: []string{level}, Kind: kind, Prompt: "Question " + id,
					KeyPoints: []seeds.KeyPoint{{ID: "a", Text: "a", Weight: 1, Any: []string{"alpha"}}},
				})
			}
		}
	}
	return grader.NewBank(qs)
}

func countBy(p Plan, f func(Planned) string) map[string]int {
	m := map[string]int{}
	for _, q := range p.Questions {
		m[f(q)]++
	}
	return m
}

func TestPlanScreening(t *testing.T) {
	b := synthBank(6)
	p, err := PlanRound(b, Setup{Stack: "go", Level: "middle", Type: TypeScreening, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Questions) != DefaultCount {
		t.Fatalf("%d questions, want %d", len(p.Questions), DefaultCount)
	}
	areas := countBy(p, func(q Planned) string { return q.Area })
	want := map[string]int{"go": 3, "databases": 3, "caching": 2, "apis": 2}
	if !reflect.DeepEqual(areas, want) {
		t.Errorf("areas %v, want %v", areas, want)
	}
	for _, q := range p.Questions {
		if q.Level != "middle" || q.Kind != "screening" {
			t.Errorf("question %+v not a middle screening question", q)
		}
	}
	seen := map[string]bool{}
	for _, q := range p.Questions {
		if seen[q.ID] {
			t.Errorf("question %s planned twice", q.ID)
		}
		seen[q.ID] = true
	}
}

func TestPlanIsReproducible(t *testing.T) {
	b := synthBank(6)
	s := Setup{Stack: "python", Level: "junior", Type: TypeScreening, Seed: 42}
	a, _ := PlanRound(b, s)
	c, _ := PlanRound(b, s)
	if !reflect.DeepEqual(a, c) {
		t.Error("same seed, different plans")
	}
	s.Seed = 43
	d, _ := PlanRound(b, s)
	if reflect.DeepEqual(a.IDs(), d.IDs()) {
		t.Error("another seed gave the same plan")
	}
}

func TestPlanFull(t *testing.T) {
	b := synthBank(6)
	for _, tt := range []struct {
		level          string
		wantBehavioral int
	}{{"junior", 0}, {"middle", 0}, {"senior", 2}} {
		t.Run(tt.level, func(t *testing.T) {
			p, err := PlanRound(b, Setup{Stack: "java", Level: tt.level, Type: TypeFull, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			kinds := countBy(p, func(q Planned) string { return q.Kind })
			if kinds["system-design"] != 1 || kinds["behavioral"] != tt.wantBehavioral || len(p.Questions) != 10 {
				t.Errorf("kinds %v over %d questions", kinds, len(p.Questions))
			}
			for _, q := range p.Questions {
				if q.Kind == "system-design" && q.Level != tt.level {
					t.Errorf("system design at %s, want %s", q.Level, tt.level)
				}
			}
		})
	}
}

func TestPlanDrillOneArea(t *testing.T) {
	b := synthBank(6)
	p, err := PlanRound(b, Setup{Stack: "node", Level: "senior", Type: TypeDrill, Area: "caching", Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Questions) != DrillCount {
		t.Fatalf("%d questions, want %d", len(p.Questions), DrillCount)
	}
	for _, q := range p.Questions {
		if q.Area != "caching" {
			t.Errorf("drill planned %s", q.Area)
		}
	}
	skills := countBy(p, func(q Planned) string { return q.Skill })
	if len(skills) != 3 {
		t.Errorf("skills %v: a drill should spread over the area's skills first", skills)
	}
}

func TestPlanAvoidsRecentQuestions(t *testing.T) {
	b := synthBank(4)
	first, _ := PlanRound(b, Setup{Stack: "go", Level: "middle", Type: TypeDrill, Area: "apis", Count: 2, Seed: 1})
	recent := map[string]bool{}
	for _, id := range first.IDs() {
		recent[id] = true
	}
	second, _ := PlanRound(b, Setup{Stack: "go", Level: "middle", Type: TypeDrill, Area: "apis", Count: 2, Seed: 1, Recent: recent})
	for _, id := range second.IDs() {
		if recent[id] {
			t.Errorf("recent question %s planned again while others were free", id)
		}
	}
	// With nothing else left, recent questions come back rather than an empty round.
	third, _ := PlanRound(b, Setup{Stack: "go", Level: "middle", Type: TypeDrill, Area: "apis", Count: 4, Seed: 1, Recent: recent})
	if len(third.Questions) != 4 {
		t.Errorf("%d questions, want 4 (recent ones reused when the bank is thin)", len(third.Questions))
	}
}

func TestPlanFallsBackToNearestLevel(t *testing.T) {
	b := synthBank(2)
	p, err := PlanRound(b, Setup{Stack: "go", Level: "junior", Type: TypeDrill, Area: "databases", Count: 4, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	levels := countBy(p, func(q Planned) string { return q.Level })
	if levels["junior"] != 2 || levels["middle"] != 2 {
		t.Errorf("levels %v, want 2 junior then 2 middle", levels)
	}
}

func TestPlanWeightedByJD(t *testing.T) {
	b := synthBank(6)
	jd := AnalyzeJD("Backend engineer: Kafka, RabbitMQ, event-driven, asynchronous queues, streaming, concurrency everywhere. Kafka Kafka.")
	p, err := PlanRound(b, Setup{Stack: "go", Level: "middle", Type: TypeScreening, Seed: 1, JD: &jd})
	if err != nil {
		t.Fatal(err)
	}
	if countBy(p, func(q Planned) string { return q.Area })["concurrency"] == 0 {
		t.Errorf("a concurrency-heavy JD planned no concurrency question: %v", p.IDs())
	}
}

func TestPlanRejectsBadSetup(t *testing.T) {
	b := synthBank(2)
	for name, s := range map[string]Setup{
		"ErrStack":     {Stack: "rust", Level: "middle", Type: TypeScreening},
		"ErrLevel":     {Stack: "go", Level: "staff", Type: TypeScreening},
		"ErrType":      {Stack: "go", Level: "middle", Type: "quiz"},
		"ErrDrillArea": {Stack: "go", Level: "middle", Type: TypeDrill, Area: "cooking"},
		"ErrCount":     {Stack: "go", Level: "middle", Type: TypeScreening, Count: 99},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := PlanRound(b, s); err == nil {
				t.Error("accepted")
			}
		})
	}
}

func TestLevelsByDistance(t *testing.T) {
	for level, want := range map[string][]string{
		"junior": {"junior", "middle", "senior"},
		"middle": {"middle", "junior", "senior"},
		"senior": {"senior", "middle", "junior"},
		"":       {"middle", "junior", "senior"},
	} {
		if got := levelsByDistance(level); !slices.Equal(got, want) {
			t.Errorf("levelsByDistance(%q) = %v, want %v", level, got, want)
		}
	}
}

func TestPlanScreeningFollowsJD(t *testing.T) {
	b := synthBank(6)
	for _, tc := range []struct {
		name string
		jd   string
		want map[string]int
	}{
		{"NoJD", "", map[string]int{"go": 3, "databases": 3, "caching": 2, "apis": 2}},
		{"KafkaAndKubernetes", "Senior Go engineer, PostgreSQL, Kafka, Kubernetes, 6+ years",
			map[string]int{"go": 3, "databases": 3, "concurrency": 2, "deployment": 1, "apis": 1}},
		{"RedisOnly", "Go developer, Redis",
			map[string]int{"go": 3, "caching": 3, "databases": 2, "apis": 2}},
		{"ObservabilityStressed", "Backend engineer focused on observability: monitoring, tracing, logging, on-call, SLOs and incident response.",
			map[string]int{"go": 3, "observability": 3, "databases": 2, "apis": 2}},
		{"NothingNamed", "A friendly team that ships.",
			map[string]int{"go": 3, "apis": 3, "databases": 2, "caching": 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Setup{Stack: "go", Level: "senior", Type: TypeScreening, Seed: 3}
			if tc.jd != "" {
				jd := AnalyzeJD(tc.jd)
				s.JD = &jd
			}
			p, err := PlanRound(b, s)
			if err != nil {
				t.Fatal(err)
			}
			if got := countBy(p, func(q Planned) string { return q.Area }); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("areas %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPlanOutline(t *testing.T) {
	for _, tc := range []struct {
		name  string
		areas []string
		want  []AreaCount
		text  string
	}{
		{"Empty", nil, nil, ""},
		{"OrderOfFirstQuestion", []string{"go", "go", "databases", "concurrency", "go", "deployment", "concurrency"},
			[]AreaCount{{"go", 3}, {"databases", 1}, {"concurrency", 2}, {"deployment", 1}},
			"3 Go, 1 databases, 2 concurrency, 1 deployment"},
		{"Labels", []string{"apis", "system-design"}, []AreaCount{{"apis", 1}, {"system-design", 1}}, "1 APIs, 1 system design"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p Plan
			for _, a := range tc.areas {
				p.Questions = append(p.Questions, Planned{Area: a})
			}
			got := p.Outline()
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("outline %v, want %v", got, tc.want)
			}
			if text := OutlineText(got); text != tc.text {
				t.Errorf("text %q, want %q", text, tc.text)
			}
		})
	}
}

func TestJDNamedAreas(t *testing.T) {
	for _, tc := range []struct {
		jd   string
		want []string
	}{
		{"Go, PostgreSQL, Kafka, Kubernetes", []string{"databases", "concurrency", "deployment"}},
		{"Kafka and RabbitMQ", []string{"concurrency"}},
		{"We value kindness", nil},
		{"Backend engineer: monitoring, tracing, logging, on-call and SLOs", []string{"observability"}},
		{"Go engineer. We run on AWS; the API is public.", []string{"deployment"}},
	} {
		if got := AnalyzeJD(tc.jd).NamedAreas(); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("NamedAreas(%q) = %v, want %v", tc.jd, got, tc.want)
		}
	}
}
