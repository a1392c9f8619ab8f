package seeds

import (
	"strings"
	"testing"
)

// valid returns a question that passes validation.
func valid() Question {
	kp := func(id string, w int) KeyPoint {
		return KeyPoint{ID: id, Text: "point " + id, Weight: w, Any: []string{id + " a", id + " b", id + " c"},
			ContradictedBy: []string{id + " is never true"}}
	}
	return Question{
		ID: "cache-when-slower", Area: "caching", Skill: "caching/pitfalls", Stacks: []string{"any"},
		Levels: []string{"middle"}, Kind: "screening", Prompt: "When can a cache make a system slower?",
		KeyPoints:   []KeyPoint{kp("hot-key", 3), kp("stampede", 2), kp("serialization", 2), kp("memory", 1)},
		Tradeoffs:   []string{"staleness"},
		FollowUps:   []FollowUp{{IfMissing: "hot-key", Prompt: "One key takes 100x the traffic?"}, {Prompt: "And at ten times the load?"}},
		Explanation: "A cache can add work: a hop, a copy and one more thing to fail.",
		ModelAnswer: "A model answer.", ShallowAnswer: "When it is slow.", Source: "caching.yaml:1",
	}
}

func TestValidateContradictions(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(q *Question)
		want   string // a fragment of the one expected problem, or "" for none
	}{
		{"valid", func(q *Question) {}, ""},
		{"weight 2 without contradicted_by", func(q *Question) { q.KeyPoints[1].ContradictedBy = nil },
			`key point "stampede" has weight 2 and no contradicted_by`},
		{"weight 3 with only blank phrasings", func(q *Question) { q.KeyPoints[0].ContradictedBy = []string{" "} },
			`key point "hot-key" has weight 3 and no contradicted_by`},
		{"weight 1 needs none", func(q *Question) { q.KeyPoints[3].ContradictedBy = nil }, ""},
		{"no explanation", func(q *Question) { q.Explanation = " " }, "needs an explanation"},
		{"behavioral needs none", func(q *Question) { q.Explanation, q.Kind, q.Area = "", "behavioral", "behavioral" }, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := valid()
			c.change(&q)
			problems := Validate([]Question{q})
			switch {
			case c.want == "" && len(problems) > 0:
				t.Fatalf("unexpected problems: %v", problems)
			case c.want != "" && (len(problems) != 1 || !strings.Contains(problems[0], c.want)):
				t.Fatalf("problems %v, want one containing %q", problems, c.want)
			case c.want != "" && !strings.HasPrefix(problems[0], "caching.yaml:1"):
				t.Fatalf("problem %q does not name the file and line", problems[0])
			}
		})
	}
}
