package interview

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/mockround/mockround/interview/grader"
)

// RoundType is the kind of round a user practises.
type RoundType string

const (
	TypeScreening RoundType = "screening" // Tech Screening
	TypeFull      RoundType = "full"      // Full Interview
	TypeDrill     RoundType = "drill"     // Focused Drill: one area
	TypeReview    RoundType = "review"    // FSRS review of due skills
)

// RoundTypes are the types a user can start from the setup form.
var RoundTypes = []RoundType{TypeScreening, TypeFull, TypeDrill}

// Label is the type's name in the UI.
func (t RoundType) Label() string {
	switch t {
	case TypeScreening:
		return "Tech Screening"
	case TypeFull:
		return "Full Interview"
	case TypeDrill:
		return "Focused Drill"
	case TypeReview:
		return "Review"
	}
	return string(t)
}

// Budget is how long the round should take, for the timer.
func (t RoundType) Budget(questions int) (minutes int) {
	switch t {
	case TypeFull:
		return 45 + 15*min(max(questions-8, 0), 2)/2
	case TypeDrill:
		return 20 + 2*min(max(questions-5, 0), 5)
	case TypeReview:
		return 4 * max(questions, 1)
	default:
		return 30
	}
}

// Default question counts.
const (
	DefaultCount = 10
	DrillCount   = 5
	MaxCount     = 20
)

// Setup is what the planner needs to plan a round.
type Setup struct {
	Stack string
	Level string
	Type  RoundType
	Area  string // for a drill
	Count int
	Seed  int64
	// JD, when set, weights the areas and the technologies of the round.
	JD *JDAnalysis
	// Recent are question ids the user saw in their last rounds: avoided
	// unless the bank has nothing else.
	Recent map[string]bool
}

// Planned is one question of a plan.
type Planned struct {
	ID    string `json:"id"`
	Area  string `json:"area"`
	Skill string `json:"skill"`
	Level string `json:"level"`
	Kind  string `json:"kind"`
}

// Plan is a round's questions, in the order they are asked.
type Plan struct {
	Questions []Planned `json:"questions"`
}

// IDs returns the question ids in order.
func (p Plan) IDs() []string {
	out := make([]string, len(p.Questions))
	for i, q := range p.Questions {
		out[i] = q.ID
	}
	return out
}

// ErrBadSetup wraps every reason a setup cannot be planned.
var ErrBadSetup = errors.New("bad setup")

// SetupError is what is wrong with a setup, by field (stack, level, type,
// area, count), in words fit for users: the setup form shows each next to
// its field, the plan command prints them. It is an ErrBadSetup.
type SetupError struct {
	Fields map[string]string
	// Values are the values refused, by field, for the plain message.
	Values map[string]string
}

func (e *SetupError) Error() string {
	names := make([]string, 0, len(e.Fields))
	for f := range e.Fields {
		names = append(names, f)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, f := range names {
		parts[i] = fmt.Sprintf("%s %q: %s", f, e.Values[f], e.Fields[f])
	}
	return "bad setup: " + strings.Join(parts, "; ")
}

// Is makes a SetupError an ErrBadSetup.
func (e *SetupError) Is(target error) bool { return target == ErrBadSetup }

// CountMessage is what to say about a question count out of range.
var CountMessage = fmt.Sprintf("Enter a whole number from 1 to %d.", MaxCount)

// Validate checks a setup and fills its defaults (the type's usual count
// when Count is 0). It returns a *SetupError.
func (s *Setup) Validate() error {
	e := &SetupError{Fields: map[string]string{}, Values: map[string]string{}}
	bad := func(field, value, msg string) { e.Fields[field], e.Values[field] = msg, value }
	if !slices.Contains(Stacks, s.Stack) {
		bad("stack", s.Stack, "Pick one of Python, Go, Java or Node.")
	}
	if !slices.Contains(Levels, s.Level) {
		bad("level", s.Level, "Pick junior, middle or senior.")
	}
	switch s.Type {
	case TypeScreening, TypeFull:
	case TypeDrill:
		if !slices.Contains(Areas, s.Area) {
			bad("area", s.Area, "Pick the area to drill.")
		}
	default:
		bad("type", string(s.Type), "Pick Tech Screening, Full Interview or Focused Drill.")
	}
	if s.Count == 0 {
		s.Count = DefaultCount
		if s.Type == TypeDrill {
			s.Count = DrillCount
		}
	}
	if s.Count < 1 || s.Count > MaxCount {
		bad("count", strconv.Itoa(s.Count), CountMessage)
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// PlanRound picks the questions of a round. It is pure: the same setup and seed
// give the same plan.
func PlanRound(b *grader.Bank, s Setup) (Plan, error) {
	if err := s.Validate(); err != nil {
		return Plan{}, err
	}
	rng := rand.New(rand.NewPCG(uint64(s.Seed), 0x6d6f636b726f756e))
	p := planner{bank: b, setup: s, rng: rng, used: map[string]bool{}}
	switch s.Type {
	case TypeDrill:
		p.pick(s.Area, "", s.Count, !Languages[s.Area])
	case TypeScreening:
		p.screening(s.Count)
	case TypeFull:
		behavioral := 0
		if s.Level == "senior" {
			behavioral = min(2, s.Count/4)
		}
		p.screening(max(s.Count-1-behavioral, 1))
		p.pick("system-design", "system-design", 1, true)
		p.pick("behavioral", "behavioral", behavioral, true)
	}
	if len(p.out) == 0 {
		return Plan{}, fmt.Errorf("%w: the bank has no questions for this setup", ErrBadSetup)
	}
	return Plan{Questions: p.out}, nil
}

type planner struct {
	bank  *grader.Bank
	setup Setup
	rng   *rand.Rand
	used  map[string]bool
	out   []Planned
}

// systemAreas are the areas a screening draws on besides the language;
// the first three are the pillars.
var systemAreas = []string{"databases", "caching", "apis", "concurrency", "deployment", "observability", "testing", "security"}

// namedAreaBonus is the weight a screening adds to an area whose
// technology the job description names, on top of the analysis' weights
// (which sum to 1): enough that Kafka brings two questions, not one.
const namedAreaBonus = 0.06

// screening plans the stack's language plus the system areas: the
// pillars, or with a job description its areas, led by those whose
// technologies it names (Kafka brings concurrency and messaging, Kubernetes
// deployment) — up to five areas in a round of eight questions or more.
func (p *planner) screening(count int) {
	// Without a JD the pillars; with one, its weights (the analysis
	// already leans towards the pillars).
	weights := map[string]float64{"databases": 1, "caching": 0.9, "apis": 1}
	var named []string
	if p.setup.JD != nil && len(p.setup.JD.Areas) > 0 {
		weights = map[string]float64{"databases": 0.002, "caching": 0.001, "apis": 0.002}
		for _, a := range systemAreas {
			weights[a] += p.setup.JD.Areas[a]
		}
		named = p.setup.JD.NamedAreas()
		for _, a := range named {
			weights[a] += namedAreaBonus
		}
	}
	byWeight := func(areas []string) {
		sort.SliceStable(areas, func(i, j int) bool { return weights[areas[i]] > weights[areas[j]] })
	}
	n := 3
	if count < 7 {
		n = 2
	}
	if count >= 8 {
		n = max(n, min(len(named)+1, 5))
	}
	var areas []string
	named = slices.DeleteFunc(slices.Clone(named), func(a string) bool { return !slices.Contains(systemAreas, a) })
	byWeight(named)
	rest := slices.DeleteFunc(slices.Clone(systemAreas), func(a string) bool { return slices.Contains(named, a) })
	byWeight(rest)
	for _, a := range append(named, rest...) {
		if len(areas) < n {
			areas = append(areas, a)
		}
	}
	byWeight(areas)

	lang := max(1, int(math.Round(float64(count)*0.3)))
	if count <= 2 {
		lang = 1
	}
	share := allocate(count-lang, areas, weights)
	p.pick(p.setup.Stack, "screening", lang, false)
	for _, a := range areas {
		p.pick(a, "screening", share[a], true)
	}
	// A thin bank may leave the plan short: fill from the language, then
	// any system area.
	for _, a := range append([]string{p.setup.Stack}, areas...) {
		if missing := count - len(p.out); missing > 0 {
			p.pick(a, "screening", missing, !Languages[a])
		}
	}
}

// allocate splits n among areas in proportion to their weights (largest
// remainder), at least one each while n allows.
func allocate(n int, areas []string, weights map[string]float64) map[string]int {
	out := map[string]int{}
	if n <= 0 {
		return out
	}
	total := 0.0
	for _, a := range areas {
		total += weights[a]
	}
	type rem struct {
		area string
		frac float64
	}
	var rems []rem
	given := 0
	for _, a := range areas {
		exact := float64(n) * weights[a] / total
		out[a] = int(exact)
		given += out[a]
		rems = append(rems, rem{a, exact - float64(out[a])})
	}
	sort.SliceStable(rems, func(i, j int) bool { return rems[i].frac > rems[j].frac })
	for i := 0; given < n; i++ {
		out[rems[i%len(rems)].area]++
		given++
	}
	for _, a := range areas {
		if out[a] == 0 {
			// take one from the largest share
			big := areas[0]
			for _, b := range areas {
				if out[b] > out[big] {
					big = b
				}
			}
			if out[big] > 1 {
				out[big]--
				out[a]++
			}
		}
	}
	return out
}

// pick adds up to n questions of an area (and kind, if set), at the
// setup's level or the nearest level that has some, preferring unseen
// questions and distinct skills.
func (p *planner) pick(area, kind string, n int, stackFilter bool) {
	if n <= 0 {
		return
	}
	for _, level := range levelsByDistance(p.setup.Level) {
		var fresh, seen []*grader.Question
		for _, q := range p.bank.Questions() {
			if q.Area != area || p.used[q.ID] || !q.HasLevel(level) {
				continue
			}
			if kind != "" && q.Kind != kind {
				continue
			}
			if stackFilter && !q.HasStack(p.setup.Stack) {
				continue
			}
			if p.setup.Recent[q.ID] {
				seen = append(seen, q)
			} else {
				fresh = append(fresh, q)
			}
		}
		for _, group := range [][]*grader.Question{fresh, seen} {
			for _, q := range p.order(group) {
				if n == 0 {
					return
				}
				p.used[q.ID] = true
				p.out = append(p.out, Planned{ID: q.ID, Area: q.Area, Skill: q.Skill, Level: level, Kind: q.Kind})
				n--
			}
		}
	}
}

// order shuffles questions with the round's seed, weighted towards the
// JD's technologies, then spreads them over skills: one per skill first.
func (p *planner) order(qs []*grader.Question) []*grader.Question {
	type keyed struct {
		q   *grader.Question
		key float64
	}
	ks := make([]keyed, len(qs))
	for i, q := range qs {
		w := 1.0
		if p.setup.JD != nil {
			for _, t := range p.setup.JD.Technologies {
				if hasTechnology(q, t) {
					w += 2
				}
			}
		}
		// Efraimidis–Spirakis: a weighted shuffle from one uniform draw each.
		ks[i] = keyed{q, math.Pow(p.rng.Float64(), 1/w)}
	}
	sort.SliceStable(ks, func(i, j int) bool { return ks[i].key > ks[j].key })
	var first, later []*grader.Question
	skills := map[string]bool{}
	for _, k := range ks {
		if skills[k.q.Skill] {
			later = append(later, k.q)
			continue
		}
		skills[k.q.Skill] = true
		first = append(first, k.q)
	}
	return append(first, later...)
}

// levelsByDistance is the level, then the others on the ladder, nearest
// first (the lower of two equally near).
func levelsByDistance(level string) []string {
	at := slices.Index(Levels, level)
	if at < 0 {
		at = slices.Index(Levels, DefaultLevel)
	}
	out := slices.Clone(Levels)
	slices.SortStableFunc(out, func(a, b string) int {
		da, db := slices.Index(Levels, a)-at, slices.Index(Levels, b)-at
		return cmp.Compare(da*da, db*db)
	})
	return out
}

// AreaCount is how many questions of a plan are in one area.
type AreaCount struct {
	Area  string
	Count int
}

// Outline counts a plan's questions by area, in the order the areas are
// first asked: what the setup shows before the round starts.
func (p Plan) Outline() []AreaCount {
	var out []AreaCount
	at := map[string]int{}
	for _, q := range p.Questions {
		i, ok := at[q.Area]
		if !ok {
			i = len(out)
			at[q.Area] = i
			out = append(out, AreaCount{Area: q.Area})
		}
		out[i].Count++
	}
	return out
}

// OutlineText is a plan's outline in words: "3 Go, 2 databases, 1 deployment".
func OutlineText(o []AreaCount) string {
	parts := make([]string, len(o))
	for i, c := range o {
		parts[i] = fmt.Sprintf("%d %s", c.Count, AreaLabel(c.Area))
	}
	return strings.Join(parts, ", ")
}
