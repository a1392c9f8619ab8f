// Package seeds holds mockround's question bank: YAML files embedded in the
// binary, the types they decode into, and the validation that start-up and
// `mockround bank validate` share.
package seeds

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed *.yaml
var files embed.FS

// FS is the embedded bank.
func FS() fs.FS { return files }

// The values a question may use. They are the vocabulary of the whole app:
// the planner, the setup form and the dashboard list them from here.
var (
	Areas = []string{
		"databases", "caching", "apis", "python", "go", "java", "node",
		"system-design", "deployment", "concurrency", "testing",
		"observability", "security", "behavioral",
	}
	Levels = []string{"junior", "middle", "senior"}
	Kinds  = []string{"screening", "system-design", KindBehavioral}
	Stacks = []string{"python", "go", "java", "node"}
)

// AnyStack marks a question that fits every stack.
const AnyStack = "any"

// KindBehavioral is the kind of a question about what the candidate did:
// it is answered with a story and needs no explanation.
const KindBehavioral = "behavioral"

// Question is one interview question with its rubric, as written in YAML.
type Question struct {
	ID     string   `yaml:"id" json:"id"`
	Area   string   `yaml:"area" json:"area"`
	Skill  string   `yaml:"skill" json:"skill"`
	Stacks []string `yaml:"stacks" json:"stacks"`
	Levels []string `yaml:"levels" json:"levels"`
	Kind   string   `yaml:"kind" json:"kind"`
	Prompt string   `yaml:"prompt" json:"prompt"`
	// Explanation is the idea behind the question in plain words, as one
	// would explain it to a junior colleague; shown after the answer.
	Explanation   string     `yaml:"explanation,omitempty" json:"explanation,omitempty"`
	KeyPoints     []KeyPoint `yaml:"key_points" json:"key_points"`
	Tradeoffs     []string   `yaml:"tradeoffs" json:"tradeoffs"`
	RedFlags      []RedFlag  `yaml:"red_flags,omitempty" json:"red_flags,omitempty"`
	FollowUps     []FollowUp `yaml:"follow_ups" json:"follow_ups"`
	ModelAnswer   string     `yaml:"model_answer" json:"model_answer"`
	ShallowAnswer string     `yaml:"shallow_answer" json:"shallow_answer"`

	// Source is "file:line" of the question, for messages.
	Source string `yaml:"-" json:"-"`
}

// KeyPoint is one thing a complete answer says, and the ways people say it.
type KeyPoint struct {
	ID     string   `yaml:"id" json:"id"`
	Text   string   `yaml:"text" json:"text"`
	Weight int      `yaml:"weight" json:"weight"`
	Any    []string `yaml:"any" json:"any"`
	// ContradictedBy are the opposite claim as people actually say it
	// ("liveness checks the database"): asserted, it is a contradiction.
	ContradictedBy []string `yaml:"contradicted_by,omitempty" json:"contradicted_by,omitempty"`
}

// RedFlag is a misconception, and the phrases that state it.
type RedFlag struct {
	Text string   `yaml:"text" json:"text"`
	Any  []string `yaml:"any" json:"any"`
}

// FollowUp is a question the interviewer asks next. With IfMissing it
// targets a missed key point; without, it probes scale or failure.
type FollowUp struct {
	IfMissing string `yaml:"if_missing,omitempty" json:"if_missing,omitempty"`
	Prompt    string `yaml:"prompt" json:"prompt"`
}

// HasStack reports whether the question fits the stack.
func (q Question) HasStack(stack string) bool {
	for _, s := range q.Stacks {
		if s == AnyStack || s == stack {
			return true
		}
	}
	return false
}

// HasLevel reports whether the question is asked at the level.
func (q Question) HasLevel(level string) bool {
	for _, l := range q.Levels {
		if l == level {
			return true
		}
	}
	return false
}

// ValidationError lists every problem found in a bank, one per line.
type ValidationError struct {
	Problems []string
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("question bank has %d problem(s):\n  %s", len(e.Problems), strings.Join(e.Problems, "\n  "))
}

// Load reads every *.yaml file of each fsys in order, validates the whole
// set and returns the questions sorted by id. Any problem, in any file, is
// reported in one *ValidationError.
func Load(fsyss ...fs.FS) ([]Question, error) {
	var all []Question
	var problems []string
	for _, fsys := range fsyss {
		names, err := fs.Glob(fsys, "*.yaml")
		if err != nil {
			return nil, fmt.Errorf("list bank files: %w", err)
		}
		sort.Strings(names)
		for _, name := range names {
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", name, err)
			}
			qs, err := Parse(path.Base(name), data)
			if err != nil {
				problems = append(problems, err.Error())
				continue
			}
			all = append(all, qs...)
		}
	}
	problems = append(problems, Validate(all)...)
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all, nil
}

// Parse decodes one YAML file: a list of questions. Unknown fields are an
// error, so a typo in a field name does not silently drop a rubric.
func Parse(name string, data []byte) ([]Question, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	list := doc.Content[0]
	if list.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s:%d: a bank file is a list of questions", name, list.Line)
	}
	qs := make([]Question, 0, len(list.Content))
	var errs []error
	for _, item := range list.Content {
		var q Question
		if err := decodeStrict(item, &q); err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %w", name, item.Line, err))
			continue
		}
		q.Source = fmt.Sprintf("%s:%d", name, item.Line)
		qs = append(qs, q)
	}
	return qs, errors.Join(errs...)
}

// decodeStrict decodes a node and refuses fields the struct does not have.
func decodeStrict(n *yaml.Node, v any) error {
	out, err := yaml.Marshal(n)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(strings.NewReader(string(out)))
	dec.KnownFields(true)
	return dec.Decode(v)
}

var (
	slugRe  = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	skillRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$`)
)

// Minimums every question meets, so the grader has enough to work with.
const (
	MinKeyPoints      = 4
	MinPhrasings      = 3
	MinFollowUps      = 2
	MaxKeyPointWeight = 3
	// ContradictionWeight is the weight from which a key point must carry
	// contradicted_by phrasings.
	ContradictionWeight = 2
)

// Validate checks a set of questions and returns one message per problem,
// each naming the question's file and line.
func Validate(qs []Question) []string {
	var problems []string
	seen := map[string]string{}
	for _, q := range qs {
		where := fmt.Sprintf("%s: question %q", q.Source, q.ID)
		add := func(format string, args ...any) {
			problems = append(problems, where+": "+fmt.Sprintf(format, args...))
		}
		switch {
		case q.ID == "":
			add("missing id")
		case !slugRe.MatchString(q.ID):
			add("id must be a lower-case slug like cache-when-slower")
		}
		if prev, ok := seen[q.ID]; ok && q.ID != "" {
			add("duplicate id (also at %s)", prev)
		}
		seen[q.ID] = q.Source
		if !slices.Contains(Areas, q.Area) {
			add("unknown area %q (one of %s)", q.Area, strings.Join(Areas, ", "))
		}
		if !skillRe.MatchString(q.Skill) {
			add("skill %q must look like area/topic, e.g. caching/pitfalls", q.Skill)
		}
		if !slices.Contains(Kinds, q.Kind) {
			add("unknown kind %q (one of %s)", q.Kind, strings.Join(Kinds, ", "))
		}
		if len(q.Levels) == 0 {
			add("no levels")
		}
		for _, l := range q.Levels {
			if !slices.Contains(Levels, l) {
				add("unknown level %q (one of %s)", l, strings.Join(Levels, ", "))
			}
		}
		if len(q.Stacks) == 0 {
			add("no stacks (use [any] for every stack)")
		}
		for _, s := range q.Stacks {
			if s != AnyStack && !slices.Contains(Stacks, s) {
				add("unknown stack %q (any or one of %s)", s, strings.Join(Stacks, ", "))
			}
		}
		if strings.TrimSpace(q.Prompt) == "" {
			add("missing prompt")
		}
		// The idea in plain words: juniors read it, and the interviewer's
		// plain-words probe judges explanations against it.
		if q.Kind != KindBehavioral && strings.TrimSpace(q.Explanation) == "" {
			add("needs an explanation: the idea in plain words, for juniors and the plain-words probe")
		}
		if len(q.KeyPoints) < MinKeyPoints {
			add("has %d key points, needs at least %d", len(q.KeyPoints), MinKeyPoints)
		}
		kps := map[string]bool{}
		for _, kp := range q.KeyPoints {
			if !slugRe.MatchString(kp.ID) {
				add("key point id %q must be a lower-case slug", kp.ID)
			}
			if kps[kp.ID] {
				add("duplicate key point %q", kp.ID)
			}
			kps[kp.ID] = true
			if strings.TrimSpace(kp.Text) == "" {
				add("key point %q has no text", kp.ID)
			}
			if kp.Weight < 1 || kp.Weight > MaxKeyPointWeight {
				add("key point %q weight %d must be 1 to %d", kp.ID, kp.Weight, MaxKeyPointWeight)
			}
			if kp.Weight >= ContradictionWeight && countPhrases(kp.ContradictedBy) == 0 {
				add("key point %q has weight %d and no contradicted_by: add the opposite claim as people say it", kp.ID, kp.Weight)
			}
			if n := countPhrases(kp.Any); n == 0 {
				add("key point %q has no phrasings", kp.ID)
			} else if n < MinPhrasings {
				add("key point %q has %d phrasings, needs at least %d", kp.ID, n, MinPhrasings)
			}
		}
		if countPhrases(q.Tradeoffs) == 0 {
			add("no tradeoff phrases")
		}
		for i, rf := range q.RedFlags {
			if strings.TrimSpace(rf.Text) == "" {
				add("red flag %d has no text", i+1)
			}
			if countPhrases(rf.Any) == 0 {
				add("red flag %d has no phrasings", i+1)
			}
		}
		if len(q.FollowUps) < MinFollowUps {
			add("has %d follow-ups, needs at least %d", len(q.FollowUps), MinFollowUps)
		}
		targeted, probes := 0, 0
		for i, f := range q.FollowUps {
			if strings.TrimSpace(f.Prompt) == "" {
				add("follow-up %d has no prompt", i+1)
			}
			if f.IfMissing == "" {
				probes++
				continue
			}
			targeted++
			if !kps[f.IfMissing] {
				add("follow-up %d names unknown key point %q", i+1, f.IfMissing)
			}
		}
		if len(q.FollowUps) > 0 && (targeted == 0 || probes == 0) {
			add("needs a follow-up tied to a key point (if_missing) and a scale or failure probe (no if_missing)")
		}
		if strings.TrimSpace(q.ModelAnswer) == "" {
			add("missing model_answer")
		}
		if strings.TrimSpace(q.ShallowAnswer) == "" {
			add("missing shallow_answer")
		}
	}
	return problems
}

func countPhrases(ps []string) int {
	n := 0
	for _, p := range ps {
		if strings.TrimSpace(p) != "" {
			n++
		}
	}
	return n
}
