package grader

import "strings"

// A question's answers in a round: what the grader needs of them, and what
// it returns for each.

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
