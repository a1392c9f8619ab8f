package grader

import (
	"sort"
	"sync"
	"testing"

	"github.com/mockround/mockround/seeds"
)

var (
	realOnce sync.Once
	realBank *Bank
	realErr  error
)

// loadReal loads the embedded bank once per test binary.
func loadReal(t testing.TB) *Bank {
	t.Helper()
	realOnce.Do(func() { realBank, realErr = LoadBank() })
	if realErr != nil {
		t.Fatalf("load bank: %v", realErr)
	}
	return realBank
}

// TestBankSelfGrade: over the whole bank, every model answer grades 8 or
// more and every shallow answer 5 or less.
func TestBankSelfGrade(t *testing.T) {
	b := loadReal(t)
	g := NewGrader(b)
	var low, high []string
	for _, q := range b.Questions() {
		m, err := g.Grade(q, q.ModelAnswer)
		if err != nil {
			t.Fatal(err)
		}
		if m.Overall < 8 {
			low = append(low, q.ID)
			t.Errorf("%s: model answer grades %.1f (caps %v, misses %d, dims %+v)", q.ID, m.Overall, m.Caps, len(m.Misses), m.Dimensions)
		}
		s, err := g.Grade(q, q.ShallowAnswer)
		if err != nil {
			t.Fatal(err)
		}
		if s.Overall > 5 {
			high = append(high, q.ID)
			t.Errorf("%s: shallow answer %q grades %.1f", q.ID, q.ShallowAnswer, s.Overall)
		}
	}
	if len(low)+len(high) > 0 {
		t.Logf("%d model answers under 8, %d shallow answers over 5, of %d questions", len(low), len(high), b.Len())
	}
}

// TestBankNoFalseAlarms: a question's own explanation, model answer and
// key points are right by definition, so none of its red flags or contradicted_by
// phrasings may fire on them. (A key point denied in other words is a
// weaker signal, and the explanations' analogies — "a cloakroom that hands
// over any coat instead of checking the ticket" — can trip it.)
func TestBankNoFalseAlarms(t *testing.T) {
	b := loadReal(t)
	g := NewGrader(b)
	for _, q := range b.Questions() {
		texts := map[string]string{"explanation": q.Explanation, "model answer": q.ModelAnswer}
		for _, kp := range q.KeyPoints {
			texts["key point "+kp.ID] = kp.Text
		}
		for name, text := range texts {
			if text == "" {
				continue
			}
			r, err := g.Grade(q, text)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range r.RedFlags {
				t.Errorf("%s: its %s fires the red flag %q: %q", q.ID, name, f.Text, f.Sentence)
			}
			for _, c := range r.Contradictions {
				if c.Stated {
					t.Errorf("%s: its %s states the opposite of %s: %q", q.ID, name, c.ID, c.Sentence)
				}
			}
		}
	}
}

// gradeReal grades text as an answer to the real bank's question id.
func gradeReal(t *testing.T, g *Grader, id, text string) Result {
	t.Helper()
	q, ok := g.Bank().Question(id)
	if !ok {
		t.Fatalf("no question %s", id)
	}
	r, err := g.Grade(q, text)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestBankRightClaims: sentences that are right, reported against the
// bank as false alarms, fire none of their question's misconceptions and
// deny none of its key points.
func TestBankRightClaims(t *testing.T) {
	g := NewGrader(loadReal(t))
	for _, c := range []struct {
		id, text string
		denies   bool // whether a key point's denial (not only a stated opposite) counts as a false alarm
	}{
		// The empty interface of old containers is what generics replace;
		// interfaces for behaviour stay. ("instead of interface{}" still
		// reads as denying the interfaces point: a known limit.)
		{"go-generics-when", "Before 1.18 we wrote containers over interface{}; now generics replace the empty interface there, so a typed Set[T] needs no type assertions.", false},
		{"go-generics-when", "For a typed container I'd use generics instead of interface{} and keep interfaces for behaviour.", false},
		// Threads running in parallel is no claim about async.
		{"conc-async-await-vs-threads", "Threads are preemptive, OS-scheduled and can run in parallel on several cores.", true},
		// A likeness denied is not claimed.
		{"test-real-database", "A substitute like SQLite behaves differently from Postgres in types, constraints and ON CONFLICT.", true},
		// Keeping secrets out of logs is the point, not its opposite.
		{"obs-structured-logs", "I'd use a JSON logging library rather than building strings by hand, and never log passwords or tokens.", true},
	} {
		r := gradeReal(t, g, c.id, c.text)
		for _, f := range r.RedFlags {
			t.Errorf("%s: %q fires the red flag %q", c.id, c.text, f.Text)
		}
		for _, k := range r.Contradictions {
			if k.Stated || c.denies {
				t.Errorf("%s: %q says the opposite of %s (stated %v)", c.id, c.text, k.ID, k.Stated)
			}
		}
	}
}

// TestBankCoverage enforces the bank's minimums: counts per area, system
// design per level, required ids, and two or more questions per skill.
func TestBankCoverage(t *testing.T) {
	b := loadReal(t)
	st := seeds.Count(questionsOf(b))
	minimums := map[string]int{
		"databases": 35, "caching": 25, "apis": 25, "python": 20, "go": 20, "java": 20, "node": 20,
		"system-design": 24, "deployment": 12, "concurrency": 12, "observability": 10, "testing": 8,
		"security": 10, "behavioral": 12,
	}
	for area, min := range minimums {
		if st.ByArea[area] < min {
			t.Errorf("area %s has %d questions, needs %d", area, st.ByArea[area], min)
		}
	}
	if st.Total < 270 {
		t.Errorf("bank has %d questions, needs 270", st.Total)
	}
	sdByLevel := map[string]int{}
	for _, q := range b.Questions() {
		if q.Area == "system-design" {
			for _, l := range q.Levels {
				sdByLevel[l]++
			}
		}
	}
	for _, l := range seeds.Levels {
		if sdByLevel[l] < 8 {
			t.Errorf("system design has %d questions at %s, needs 8", sdByLevel[l], l)
		}
	}
	var thin []string
	for _, s := range b.Skills() {
		if len(b.BySkill(s)) < 2 {
			thin = append(thin, s)
		}
	}
	sort.Strings(thin)
	if len(thin) > 0 {
		t.Errorf("skills with one question (a review could not ask a fresh one): %v", thin)
	}
	for id, prompt := range RequiredQuestions {
		q, ok := b.Question(id)
		if !ok {
			t.Errorf("required question %s missing", id)
			continue
		}
		if q.Prompt != prompt {
			t.Errorf("%s prompt = %q, want %q", id, q.Prompt, prompt)
		}
	}
}

func questionsOf(b *Bank) []seeds.Question {
	out := make([]seeds.Question, 0, b.Len())
	for _, q := range b.Questions() {
		out = append(out, q.Question)
	}
	return out
}
