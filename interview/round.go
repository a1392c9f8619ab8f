package interview

import (
	"math"
	"strings"
)

// MaxFollowUps is how many follow-ups the interviewer asks per question.
const MaxFollowUps = 2

// Turn statuses, as stored.
const (
	TurnPending      = "pending"
	TurnGraded       = "graded"
	TurnInsufficient = "insufficient"
	TurnSkipped      = "skipped"
)

// TurnRecord is what the round logic needs of a stored answer.
type TurnRecord struct {
	Position   int
	Step       int
	Status     string
	Prompt     string
	Answer     string
	FollowUp   string
	Overall    float64
	Dimensions Dimensions
}

// Slot is the next thing to ask in a round.
type Slot struct {
	Position int
	Step     int
	Prompt   string
	// FollowUp is true for a follow-up question.
	FollowUp bool
	// Pending is true when the slot's answer is stored and waits to be
	// graded.
	Pending bool
}

// Conversation is the text graded for a question: the answer and the
// answers to its follow-ups so far, so a follow-up that fills a gap raises
// the question's score.
func Conversation(turns []TurnRecord, answer string) string {
	var b strings.Builder
	for _, t := range turns {
		if t.Status == TurnGraded || t.Status == TurnInsufficient {
			b.WriteString(t.Answer)
			b.WriteString("\n\n")
		}
	}
	b.WriteString(answer)
	return b.String()
}

// Graded is the outcome of grading one answer in a round.
type Graded struct {
	Result Result
	// Status is graded or insufficient.
	Status string
	// FollowUp is the next question at this position, or "" to move on.
	FollowUp string
}

// GradeTurn grades an answer in its conversation: an answer to the
// question itself, or to a follow-up (previous holds the earlier turns of
// this question), by the conversation rules of GradeConversation. A
// follow-up answer that says nothing ("I don't know") is insufficient and
// keeps the question's earlier score.
func (g *Grader) GradeTurn(q *Question, previous []TurnRecord, answer string) (Graded, error) {
	answers := make([]string, 0, len(previous)+1)
	asked := make([]string, 0, len(previous))
	for _, t := range previous {
		if t.Status == TurnGraded || t.Status == TurnInsufficient {
			answers = append(answers, t.Answer)
		}
		// Every follow-up asked so far, including the one this answer
		// replies to, is not asked again.
		if t.FollowUp != "" {
			asked = append(asked, t.FollowUp)
		}
	}
	return g.gradeTurn(q, answers, asked, answer)
}

// weakGap is how far under the reference a dimension must be to be called
// out: half a point, so noise is not a weakness.
const weakGap = 0.5

// WeakDimensions returns the dimensions of a round below the user's own
// averages (or, with no history, below the round's own mean) by weakGap or
// more, weakest first.
func WeakDimensions(round Dimensions, averages *Dimensions) []string {
	ref := func(name string) float64 {
		if averages != nil {
			return averages.Get(name)
		}
		sum := 0.0
		for _, n := range DimensionNames {
			sum += round.Get(n)
		}
		return sum / float64(len(DimensionNames))
	}
	var weak []string
	for _, n := range DimensionNames {
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
func SkillScores(questions []*Question, outcomes []QuestionOutcome) []SkillScore {
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
	sortStrings(order)
	out := make([]SkillScore, len(order))
	for i, s := range order {
		out[i] = SkillScore{Skill: s, Score: Mean(sums[s])}
	}
	return out
}
