package interview

import (
	"math"
	"slices"

	"github.com/mockround/mockround/interview/grader"
)

// weakGap is how far under the reference a dimension must be to be called
// out: half a point, so noise is not a weakness.
const weakGap = 0.5

// WeakDimensions returns the dimensions of a round below the user's own
// averages (or, with no history, below the round's own mean) by weakGap or
// more, weakest first.
func WeakDimensions(round grader.Dimensions, averages *grader.Dimensions) []string {
	ref := func(name string) float64 {
		if averages != nil {
			return averages.Get(name)
		}
		sum := 0.0
		for _, n := range grader.DimensionNames {
			sum += round.Get(n)
		}
		return sum / float64(len(grader.DimensionNames))
	}
	var weak []string
	for _, n := range grader.DimensionNames {
		if round.Get(n) <= ref(n)-weakGap {
			weak = append(weak, n)
		}
	}
	// weakest first, by the gap to the reference
	for i := 1; i < len(weak); i++ {
		for j := i; j > 0; j-- {
			gj := round.Get(weak[j]) - ref(weak[j])
			gp := round.Get(weak[j-1]) - ref(weak[j-1])
			if gj < gp {
				weak[j], weak[j-1] = weak[j-1], weak[j]
			}
		}
	}
	return weak
}

// Mean is a plain average, 0 for none.
func Mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return math.Round(s/float64(len(xs))*10) / 10
}

// SkillScore is a skill's score in one round.
type SkillScore struct {
	Skill string
	Score float64
}

// SkillScores averages a round's counted questions by skill, sorted by
// skill: each skill answered gets one review.
func SkillScores(questions []*grader.Question, outcomes []QuestionOutcome) []SkillScore {
	sums := map[string][]float64{}
	var order []string
	for i, q := range questions {
		if i >= len(outcomes) || !outcomes[i].Counted {
			continue
		}
		if _, ok := sums[q.Skill]; !ok {
			order = append(order, q.Skill)
		}
		sums[q.Skill] = append(sums[q.Skill], outcomes[i].Overall)
	}
	slices.Sort(order)
	out := make([]SkillScore, len(order))
	for i, s := range order {
		out[i] = SkillScore{Skill: s, Score: Mean(sums[s])}
	}
	return out
}
