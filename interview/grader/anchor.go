package grader

import "math"

// Graders a result can come from.
const (
	GraderLLMRubric = "llm+rubric"
)

// MaxLLMShift is how far a model may move any dimension from the rubric's
// score: the rubric's evidence stays the anchor.
const MaxLLMShift = 2.0

// LLMAssessment is what a language model said about an answer, kept next
// to the rubric's result so the report can show both.
type LLMAssessment struct {
	Model      string            `json:"model"`
	Dimensions Dimensions        `json:"dimensions"`
	Reasons    map[string]string `json:"reasons,omitempty"`
	Feedback   string            `json:"feedback,omitempty"`
	// Rubric is the rubric engine's own grade before the model's moves.
	RubricOverall    float64    `json:"rubric_overall"`
	RubricDimensions Dimensions `json:"rubric_dimensions"`
}

// Anchor combines the rubric's result with a model's dimension scores:
// each dimension moves at most MaxLLMShift from the rubric's, never up when
// the rubric found a misconception, a contradiction, an off-topic answer or an attempt to
// instruct the grader, and the overall is recomputed with the rubric's own
// weights and ceilings. The result says "llm+rubric".
func Anchor(rubric Result, model string, llm Dimensions, reasons map[string]string, feedback string) Result {
	if rubric.Status != StatusGraded {
		return rubric
	}
	noRaise := len(rubric.RedFlags) > 0 || len(rubric.Contradictions) > 0 || rubric.offTopic || rubric.Injection
	move := func(base, proposed float64) float64 {
		if math.IsNaN(proposed) {
			return base
		}
		v := math.Max(base-MaxLLMShift, math.Min(base+MaxLLMShift, proposed))
		if noRaise {
			v = math.Min(v, base)
		}
		return round1(clamp(v))
	}
	out := rubric
	out.Dimensions = zipDims(rubric.Dimensions, llm, move)
	o := overallFloor + overallScale*weighted(out.Dimensions)
	o = math.Min(o, rubric.ceiling)
	if noRaise {
		o = math.Min(o, rubric.Overall)
	}
	out.Overall = round1(clamp(o))
	out.Grader = GraderLLMRubric
	out.LLM = &LLMAssessment{Model: model, Dimensions: llm, Reasons: reasons, Feedback: feedback,
		RubricOverall: rubric.Overall, RubricDimensions: rubric.Dimensions}
	return out
}

// weighted is the dimensions' weighted sum, with the overall's weights.
func weighted(d Dimensions) float64 {
	sum := 0.0
	for _, f := range DimensionList {
		sum += *f.field(&d) * *f.field(&weights)
	}
	return sum
}
