package interview

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/mockround/mockround/seeds"
)

// The readiness bar: a level is ready when the last ReadyRounds complete
// rounds at it (every planned question answered or skipped; a skip counts
// 0) average ReadyAverage or more and every core area has been answered at
// it with an average of CoreAreaMin or more.
const (
	ReadyRounds  = 3
	ReadyAverage = 7.0
	CoreAreaMin  = 6.0
)

// AreaScore is the average score of a user's answers in one area.
type AreaScore struct {
	Avg   float64
	Count int
}

// LevelHistory is what readiness needs about one level.
type LevelHistory struct {
	Level string
	// Stack is the stack whose language counts as a core area.
	Stack string
	// RecentRounds are overall scores of complete rounds, newest first;
	// RecentAdjusted, in the same order, how many of each one's answers
	// the learner adjusted by disputing their grade.
	RecentRounds   []float64
	RecentAdjusted []int
	// Areas are average answer scores by area at this level.
	Areas map[string]AreaScore
}

// Gap is one thing a level still needs. Area is the core area a drill
// would fix; "" means more (or better) rounds at the level.
type Gap struct {
	Text string
	Area string
}

// miss records a gap in words and with what fixes it.
func (r *Readiness) miss(text, area string) {
	r.Missing = append(r.Missing, text)
	r.Gaps = append(r.Gaps, Gap{Text: text, Area: area})
}

// AreaCheck is one core area's state against the bar.
type AreaCheck struct {
	Area  string
	Label string
	Avg   float64
	Count int
	OK    bool
}

// Readiness is a level's state against the bar.
type Readiness struct {
	Level string
	Ready bool
	// RoundsAverage is the average of the last rounds counted.
	RoundsAverage float64
	RoundsCounted int
	// Adjusted counts the answers of the rounds counted whose grade the
	// learner adjusted: readiness says so, as it rests on them.
	Adjusted int
	// Progress is 0–1 towards the bar.
	Progress float64
	// Missing says what is left, in words: "2 more rounds", "system design at 5.4".
	Missing []string
	// Gaps are Missing with what fixes each: a round at the level, or a
	// drill on an area.
	Gaps []Gap
	// CoveredBy is the higher level whose readiness makes this one ready
	// ("" when the level is ready, or not, on its own).
	CoveredBy string
	Areas     []AreaCheck
	// NextLevel is the level to move up to when ready ("" for senior).
	NextLevel string
}

// The domain's vocabulary, one place for every package above interview:
// the levels in ladder order, the stacks, the areas (the question bank's
// own lists), and what a new setup starts from.
var (
	Levels = seeds.Levels
	Stacks = seeds.Stacks
	Areas  = seeds.Areas
)

// PlanDays is the length of a drill plan: "overdose on a weakness for a
// week".
const PlanDays = 7

// Feedback modes of a round.
const (
	FeedbackStudy     = "study"     // after each answer
	FeedbackInterview = "interview" // only at the end, as in a real interview
)

// Defaults of a setup with nothing chosen yet.
const (
	DefaultStack = "python"
	DefaultLevel = "middle"
)

// WeakestArea is the area to drill next: the lowest average of avg
// (area → average score), behavioral left out (it is practised in full
// interviews, not drilled). Ties go to the area listed first in Areas; ""
// when there is none.
func WeakestArea(avg map[string]float64) string {
	weakest, lowest := "", math.Inf(1)
	for _, a := range Areas {
		if s, ok := avg[a]; ok && a != "behavioral" && s < lowest {
			weakest, lowest = a, s
		}
	}
	return weakest
}

// CoreAreas are the areas every level must cover, with the stack's
// language.
func CoreAreas(stack string) []string {
	out := []string{"databases", "caching", "apis"}
	if stack != "" {
		out = append(out, stack)
	}
	return append(out, "system-design")
}

// NextLevel is the level above on the ladder, or "" for the top one.
func NextLevel(level string) string {
	if i := slices.Index(Levels, level); i >= 0 && i+1 < len(Levels) {
		return Levels[i+1]
	}
	return ""
}

// ReadinessFor applies the bar to a level's history.
func ReadinessFor(h LevelHistory) Readiness {
	r := Readiness{Level: h.Level}
	n := min(len(h.RecentRounds), ReadyRounds)
	for _, s := range h.RecentRounds[:n] {
		r.RoundsAverage += s
	}
	if n > 0 {
		r.RoundsAverage = math.Round(r.RoundsAverage/float64(n)*10) / 10
	}
	r.RoundsCounted = n
	for _, a := range h.RecentAdjusted[:min(n, len(h.RecentAdjusted))] {
		r.Adjusted += a
	}
	roundsOK := n == ReadyRounds && r.RoundsAverage >= ReadyAverage
	switch {
	case n < ReadyRounds:
		r.miss(plural(ReadyRounds-n, "more complete round", "more complete rounds")+" at "+h.Level, "")
		if n > 0 && r.RoundsAverage < ReadyAverage {
			r.miss(fmt.Sprintf("round average %.1f, the bar is %.1f", r.RoundsAverage, ReadyAverage), "")
		}
	case !roundsOK:
		r.miss(fmt.Sprintf("last %d rounds average %.1f, the bar is %.1f", ReadyRounds, r.RoundsAverage, ReadyAverage), "")
	}

	areasOK := true
	areaProgress := 0.0
	core := CoreAreas(h.Stack)
	for _, a := range core {
		s := h.Areas[a]
		c := AreaCheck{Area: a, Label: AreaLabel(a), Avg: math.Round(s.Avg*10) / 10, Count: s.Count}
		c.OK = s.Count > 0 && c.Avg >= CoreAreaMin
		switch {
		case s.Count == 0:
			areasOK = false
			r.miss(c.Label+" not practised at "+h.Level, a)
		case !c.OK:
			areasOK = false
			r.miss(fmt.Sprintf("%s at %.1f", c.Label, c.Avg), a)
			areaProgress += c.Avg / CoreAreaMin
		default:
			areaProgress++
		}
		r.Areas = append(r.Areas, c)
	}
	r.Ready = roundsOK && areasOK
	if r.Ready {
		r.Progress = 1
		r.NextLevel = NextLevel(h.Level)
		return r
	}
	roundProgress := float64(n) / ReadyRounds * math.Min(1, r.RoundsAverage/ReadyAverage)
	r.Progress = math.Round((0.5*roundProgress+0.5*areaProgress/float64(len(core)))*100) / 100
	return r
}

// Consistent makes readiness hold up the ladder: a level below a ready one
// is ready too, covered by it (a senior-ready learner is not "not ready"
// for junior), with nothing left to do there and no move up to a level the
// learner is already ready for. rs are in ladder order, as ReadinessAll
// returns them.
func Consistent(rs []Readiness) []Readiness {
	out := slices.Clone(rs)
	covering := ""
	for i := len(out) - 1; i >= 0; i-- {
		switch {
		case out[i].Ready:
			if covering == "" {
				covering = out[i].Level
			}
		case covering != "":
			r := &out[i]
			r.Ready, r.CoveredBy, r.Progress = true, covering, 1
			r.Missing, r.Gaps, r.NextLevel = nil, nil, ""
		}
	}
	// A ready level whose next level is ready too has nowhere to move up to.
	for i := range out {
		if i+1 < len(out) && out[i+1].Ready {
			out[i].NextLevel = ""
		}
	}
	return out
}

// AreaLabel is an area's name in the UI.
func AreaLabel(area string) string {
	switch area {
	case "apis":
		return "APIs"
	case "system-design":
		return "system design"
	case "go":
		return "Go"
	case "python":
		return "Python"
	case "java":
		return "Java"
	case "node":
		return "Node"
	case MixedStack:
		return "mixed stacks"
	}
	return area
}

// StackLabel is a stack's name in the UI.
func StackLabel(stack string) string { return AreaLabel(stack) }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Habit is what to practise when a dimension is weak.
type Habit struct {
	Dimension string
	Problem   string
	Practice  string
}

// Habits holds one concrete habit per dimension.
var Habits = map[string]Habit{
	"accuracy":      {"accuracy", "Accuracy trails your other dimensions: some claims were off or missing.", "Before you answer, name the two facts the answer rests on, and check each against what you have seen in production."},
	"depth":         {"depth", "Depth trails: answers named the idea more than the mechanism behind it.", "After each claim, ask yourself \"why?\" once more and say the answer out loud: the mechanism, not just the name."},
	"tradeoffs":     {"tradeoffs", "Tradeoffs trail: costs and alternatives came up less than the rest.", "End every answer with \"the tradeoff is…\": what you give up, and when you would choose the alternative."},
	"structure":     {"structure", "Structure trails: the claim, the reasoning and the tradeoff were hard to pick out.", "Answer in three beats: the claim, the reasoning, the tradeoff. One or two sentences each."},
	"specificity":   {"specificity", "Specificity trails: claims came with fewer numbers and examples.", "Attach a number or an example to every claim: a TTL in seconds, a p99 in milliseconds, the system you ran it on."},
	"communication": {"communication", "Communication trails: filler and hedging got in the way.", "Drop \"basically\", \"I think\" and \"kind of\"; pause instead. Say the conclusion first, then stop."},
}

// HabitFor returns the habit of a dimension.
func HabitFor(dim string) Habit { return Habits[strings.ToLower(dim)] }

// SkillLabel is a skill's name in the UI: "system-design/inventory-and-
// contention" reads "System design · inventory and contention". Every page
// that shows a skill uses it.
func SkillLabel(skill string) string {
	area, rest, ok := strings.Cut(skill, "/")
	label := AreaLabel(area)
	if label != "" {
		label = strings.ToUpper(label[:1]) + label[1:]
	}
	if !ok || rest == "" {
		return label
	}
	return label + " · " + strings.ReplaceAll(rest, "-", " ")
}
