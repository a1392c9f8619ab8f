package interview

import (
	"errors"
	"fmt"
	"sort"

	"github.com/mockround/mockround/interview/grader"
)

// Errors of the round's rules. Their text is fit for users.
var (
	// ErrRoundOver: the round has ended (or every question is done), so
	// nothing more can be added to it.
	ErrRoundOver = errors.New("this round has ended")
	// ErrStaleSlot: the answer, skip or draft is for a question or
	// follow-up the round has moved past, or one already answered.
	ErrStaleSlot = errors.New("that question is no longer the current one")
	// ErrPending: an answer is stored but not graded yet, so the round
	// cannot move on or end until it is.
	ErrPending = errors.New("an answer is waiting to be graded")
)

// Round is a round's rules as a value: the planned questions and the turns
// so far, from which it works out the current slot, what an answer, a skip
// or the end does, and the totals. It does no I/O: the caller loads the
// turns, asks the Round, and stores what changed.
type Round struct {
	questions []*grader.Question
	// turns are each question's turns, in step order.
	turns    [][]grader.TurnRecord
	finished bool
}

// NewRound builds a round from its planned questions, its stored turns (in
// any order) and whether it has ended.
func NewRound(questions []*grader.Question, turns []grader.TurnRecord, finished bool) (*Round, error) {
	r := &Round{questions: questions, turns: make([][]grader.TurnRecord, len(questions)), finished: finished}
	for _, t := range turns {
		if t.Position < 0 || t.Position >= len(questions) {
			return nil, fmt.Errorf("turn at position %d of a %d-question round", t.Position, len(questions))
		}
		r.turns[t.Position] = append(r.turns[t.Position], t)
	}
	for _, ts := range r.turns {
		sort.Slice(ts, func(i, j int) bool { return ts[i].Step < ts[j].Step })
	}
	return r, nil
}

// Len is the number of planned questions.
func (r *Round) Len() int { return len(r.questions) }

// Question is the planned question at a position.
func (r *Round) Question(pos int) *grader.Question { return r.questions[pos] }

// Turns are the turns of the question at pos, in step order.
func (r *Round) Turns(pos int) []grader.TurnRecord { return r.turns[pos] }

// Finished reports whether the round has ended.
func (r *Round) Finished() bool { return r.finished }

// questionDone reports whether the question at pos needs nothing more: it
// was skipped, its last answer asked no follow-up, or the follow-ups are
// used up.
func (r *Round) questionDone(pos int) bool {
	ts := r.turns[pos]
	if len(ts) == 0 {
		return false
	}
	last := ts[len(ts)-1]
	switch last.Status {
	case grader.TurnPending:
		return false
	case grader.TurnSkipped:
		return true
	}
	return last.FollowUp == "" || last.Step >= grader.MaxFollowUps
}

// Position is the index of the current question: the first one not done,
// or Len when every question is done.
func (r *Round) Position() int {
	for pos := range r.questions {
		if !r.questionDone(pos) {
			return pos
		}
	}
	return len(r.questions)
}

// Done reports whether every planned question is done.
func (r *Round) Done() bool { return r.Position() == len(r.questions) }

// Current is the slot to ask now, and false when there is none (the round
// ended or every question is done). The slot of an answer stored but not
// yet graded is current, with Pending set.
func (r *Round) Current() (grader.Slot, bool) {
	if r.finished {
		return grader.Slot{}, false
	}
	pos := r.Position()
	if pos == len(r.questions) {
		return grader.Slot{}, false
	}
	ts := r.turns[pos]
	if len(ts) == 0 {
		return grader.Slot{Position: pos, Step: 0, Prompt: r.questions[pos].Prompt}, true
	}
	last := ts[len(ts)-1]
	if last.Status == grader.TurnPending {
		return grader.Slot{Position: pos, Step: last.Step, Prompt: last.Prompt, FollowUp: last.Step > 0, Pending: true}, true
	}
	return grader.Slot{Position: pos, Step: last.Step + 1, Prompt: last.FollowUp, FollowUp: true}, true
}

// Pending returns the answer stored but not yet graded, if any.
func (r *Round) Pending() (grader.TurnRecord, bool) {
	for _, ts := range r.turns {
		for _, t := range ts {
			if t.Status == grader.TurnPending {
				return t, true
			}
		}
	}
	return grader.TurnRecord{}, false
}

// open checks that a new turn may be added at (pos, step): the round is
// open and the slot is current and waiting for an answer.
func (r *Round) open(pos, step int) (grader.Slot, error) {
	slot, ok := r.Current()
	if !ok {
		return grader.Slot{}, ErrRoundOver
	}
	if slot.Position != pos || slot.Step != step || slot.Pending {
		return grader.Slot{}, ErrStaleSlot
	}
	return slot, nil
}

// CheckSlot reports whether (pos, step) is the slot waiting for an answer,
// so a draft for it may be kept.
func (r *Round) CheckSlot(pos, step int) error {
	_, err := r.open(pos, step)
	return err
}

// Answer adds an answer at (pos, step), pending until Grade. It returns
// the new turn.
func (r *Round) Answer(pos, step int, answer string) (grader.TurnRecord, error) {
	slot, err := r.open(pos, step)
	if err != nil {
		return grader.TurnRecord{}, err
	}
	t := grader.TurnRecord{Position: pos, Step: step, Status: grader.TurnPending, Prompt: slot.Prompt, Answer: answer}
	r.turns[pos] = append(r.turns[pos], t)
	return t, nil
}

// Skip skips the question or follow-up at (pos, step). Skipping the
// question itself counts it 0; skipping a follow-up keeps the score so far.
func (r *Round) Skip(pos, step int) (grader.TurnRecord, error) {
	slot, err := r.open(pos, step)
	if err != nil {
		return grader.TurnRecord{}, err
	}
	t := grader.TurnRecord{Position: pos, Step: step, Status: grader.TurnSkipped, Prompt: slot.Prompt}
	r.turns[pos] = append(r.turns[pos], t)
	return t, nil
}

// Previous are the turns of the question at pos before step: the
// conversation an answer at step is graded in.
func (r *Round) Previous(pos, step int) []grader.TurnRecord {
	var out []grader.TurnRecord
	for _, t := range r.turns[pos] {
		if t.Step < step {
			out = append(out, t)
		}
	}
	return out
}

// Grade records the grade of the pending answer at (pos, step) and returns
// the graded turn. The grader's follow-up is the interviewer's decision,
// within MaxFollowUps. A turn no longer pending (graded by a concurrent
// request) is ErrStaleSlot.
func (r *Round) Grade(pos, step int, g grader.Graded) (grader.TurnRecord, error) {
	if pos < 0 || pos >= len(r.questions) {
		return grader.TurnRecord{}, ErrStaleSlot
	}
	for i, t := range r.turns[pos] {
		if t.Step != step {
			continue
		}
		if t.Status != grader.TurnPending {
			return grader.TurnRecord{}, ErrStaleSlot
		}
		t.Status = g.Status
		if t.Status != grader.TurnGraded && t.Status != grader.TurnInsufficient {
			return grader.TurnRecord{}, fmt.Errorf("grade status %q", g.Status)
		}
		t.FollowUp = ""
		t.Overall, t.Dimensions = 0, grader.Dimensions{}
		if t.Status == grader.TurnGraded {
			t.Overall, t.Dimensions = g.Result.Overall, g.Result.Dimensions
		}
		// A graded answer may get a follow-up; one not graded only the
		// interviewer's redirect after an answer about something else.
		if step < grader.MaxFollowUps {
			t.FollowUp = g.FollowUp
		}
		r.turns[pos][i] = t
		return t, nil
	}
	return grader.TurnRecord{}, ErrStaleSlot
}

// End ends the round. An answer still pending must be graded first
// (ErrPending), so every stored answer is in the totals.
func (r *Round) End() error {
	if r.finished {
		return ErrRoundOver
	}
	if _, ok := r.Pending(); ok {
		return ErrPending
	}
	r.finished = true
	return nil
}

// Outcome is what happened to a planned question.
type Outcome int

// Outcomes of a question.
const (
	// Unreached: never answered or skipped (the round ended early, or not
	// yet). Not scored.
	Unreached Outcome = iota
	// Answered: answered at least once; scored by its conversation.
	Answered
	// Skipped: the question itself was skipped; scored 0.
	Skipped
)

// QuestionOutcome is a question's final score in a round: the grade of its
// whole conversation. Counted is false for a question never reached.
type QuestionOutcome struct {
	Outcome Outcome
	Counted bool
	Graded  bool
	Overall float64
	// Dimensions are those of the graded conversation (zero otherwise).
	Dimensions grader.Dimensions
	// Final is the step of the turn carrying the score; -1 for none.
	Final int
}

// OutcomeOf scores a question from its turns: the last graded turn (which
// graded the whole conversation); an insufficient answer alone or a skip
// of the question counts 0; a question with no answer is not counted.
func OutcomeOf(turns []grader.TurnRecord) QuestionOutcome {
	o := QuestionOutcome{Final: -1}
	for _, t := range turns {
		switch t.Status {
		case grader.TurnGraded:
			o = QuestionOutcome{Outcome: Answered, Counted: true, Graded: true, Overall: t.Overall, Dimensions: t.Dimensions, Final: t.Step}
		case grader.TurnInsufficient:
			if !o.Graded {
				o = QuestionOutcome{Outcome: Answered, Counted: true, Final: t.Step}
			}
		case grader.TurnSkipped:
			if t.Step == 0 {
				o = QuestionOutcome{Outcome: Skipped, Counted: true, Final: t.Step}
			}
		}
	}
	return o
}

// Outcomes are the outcomes of every planned question.
func (r *Round) Outcomes() []QuestionOutcome {
	out := make([]QuestionOutcome, len(r.questions))
	for pos := range r.questions {
		out[pos] = OutcomeOf(r.turns[pos])
	}
	return out
}

// RoundTotals are a round's scores and counts.
type RoundTotals struct {
	// Overall averages every answered or skipped question (a skip is 0).
	Overall float64
	// Dimensions average the graded questions: a skip shows nothing of
	// how one answers, so it lowers the overall, not the dimensions.
	Dimensions grader.Dimensions
	Planned    int
	Answered   int
	Skipped    int
	// Unreached questions were never answered nor skipped: not scored.
	Unreached int
	// Complete: every planned question was answered or skipped. Only
	// complete rounds count toward readiness.
	Complete bool
}

// Totals scores the round.
func (r *Round) Totals() RoundTotals {
	outcomes := r.Outcomes()
	t := RoundTotals{Planned: len(outcomes)}
	t.Overall, t.Dimensions, _ = Totals(outcomes)
	for _, o := range outcomes {
		switch o.Outcome {
		case Answered:
			t.Answered++
		case Skipped:
			t.Skipped++
		default:
			t.Unreached++
		}
	}
	t.Complete = t.Unreached == 0
	return t
}

// Totals averages the questions of a round: the overall over every
// counted question (skipped and insufficient ones count 0), the dimensions
// over the graded ones.
func Totals(outcomes []QuestionOutcome) (overall float64, dims grader.Dimensions, counted int) {
	graded := 0
	for _, o := range outcomes {
		if !o.Counted {
			continue
		}
		counted++
		overall += o.Overall
		if o.Graded {
			graded++
			dims = dims.Zip(o.Dimensions, func(x, y float64) float64 { return x + y })
		}
	}
	if counted > 0 {
		overall = grader.Round1(overall / float64(counted))
	}
	if graded > 0 {
		n := float64(graded)
		dims = dims.Map(func(x float64) float64 { return grader.Round1(x / n) })
	}
	return overall, dims, counted
}

// SkillScores are the round's per-skill scores, one review each: a
// skipped question counts 0 (a miss), a question never reached not at all.
func (r *Round) SkillScores() []SkillScore { return SkillScores(r.questions, r.Outcomes()) }

// FinalTurns are the turns carrying the final scores of the questions that
// are over: done, or counted in a round that ended. Their scores feed the
// skill and area averages (0 for a skip or an insufficient answer).
func (r *Round) FinalTurns() []grader.TurnRecord {
	var out []grader.TurnRecord
	for pos := range r.questions {
		if !r.finished && !r.questionDone(pos) {
			continue
		}
		o := OutcomeOf(r.turns[pos])
		if !o.Counted {
			continue
		}
		for _, t := range r.turns[pos] {
			if t.Step == o.Final {
				out = append(out, t)
			}
		}
	}
	return out
}
