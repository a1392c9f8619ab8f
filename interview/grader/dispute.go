package grader

import (
	"errors"
	"fmt"
)

// DisputeKind is what a learner says the grader got wrong.
type DisputeKind string

const (
	// DisputeMissed: a key point the grader missed was made, in the
	// learner's Sentence.
	DisputeMissed DisputeKind = "missed"
	// DisputeRedFlag: the red flag (Target is its text) is a misreading.
	DisputeRedFlag DisputeKind = "red_flag"
	// DisputeContradiction: the contradiction of the key point Target is
	// a misreading.
	DisputeContradiction DisputeKind = "contradiction"
)

// Dispute is a learner's "I think this grade is wrong" about one item of
// a grade. Target is the key point's id (missed, contradiction) or the red
// flag's text; Sentence is the learner's sentence it is about.
type Dispute struct {
	Kind     DisputeKind `json:"kind"`
	Target   string      `json:"target"`
	Sentence string      `json:"sentence"`
}

// Errors of a dispute that cannot apply, in words for the learner.
var (
	ErrDisputeNotGraded  = errors.New("only a graded answer can be disputed")
	ErrDisputeKind       = errors.New("say what the grader got wrong: a missed key point, a red flag or a contradiction")
	ErrDisputeAlreadyHit = errors.New("that key point is already counted as made, so there is nothing to dispute")
	ErrDisputeUnknown    = errors.New("that item is not part of this grade: reload the page and try again")
	ErrDisputeSentence   = errors.New("choose one of the sentences of your answer: that sentence is not in it")
	ErrDisputeTwice      = errors.New("you already disputed that")
)

// Sentences are the sentences of a question's answers as the grader reads
// them, each once: what a learner may point at in a dispute.
func Sentences(answers ...string) []string {
	var out []string
	seen := map[string]bool{}
	// Every round page with feedback asks: split into a recycled doc, and
	// leave the words unresolved, as only the sentences are wanted.
	d := docPool.Get().(*doc)
	defer d.release()
	for _, a := range answers {
		d.parse(a)
		for _, s := range d.sentences {
			key := sentenceKey(s.text)
			if key == "" || seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, s.text)
		}
	}
	return out
}

// CheckDispute says whether d can apply to the grade res of an answer
// whose sentences are given: a missed key point must be missed and its
// sentence one of the answer's; a red flag or contradiction must be in the
// grade. earlier are the disputes already made on this grade.
func CheckDispute(res Result, sentences []string, earlier []Dispute, d Dispute) error {
	if !res.Graded() {
		return ErrDisputeNotGraded
	}
	for _, e := range earlier {
		if e.Kind == d.Kind && e.Target == d.Target {
			return ErrDisputeTwice
		}
	}
	switch d.Kind {
	case DisputeMissed:
		for _, h := range res.Hits {
			if h.ID == d.Target && !h.Partial && !h.Named {
				return ErrDisputeAlreadyHit
			}
		}
		missed := false
		for _, m := range res.Misses {
			missed = missed || m.ID == d.Target
		}
		for _, h := range res.Hits {
			missed = missed || h.ID == d.Target // only touched on or named
		}
		if !missed {
			return ErrDisputeUnknown
		}
		key := sentenceKey(d.Sentence)
		for _, s := range sentences {
			if key != "" && sentenceKey(s) == key {
				return nil
			}
		}
		return ErrDisputeSentence
	case DisputeRedFlag:
		for _, f := range res.RedFlags {
			if f.Text == d.Target {
				return nil
			}
		}
		return ErrDisputeUnknown
	case DisputeContradiction:
		for _, c := range res.Contradictions {
			if c.ID == d.Target {
				return nil
			}
		}
		return ErrDisputeUnknown
	}
	return ErrDisputeKind
}

// applyDisputes changes what the grader matched as the disputes say, for
// a text that holds the sentences in has: a missed (or only touched-on)
// key point becomes a hit made in the learner's sentence, a disputed red
// flag or contradiction is dropped. Scoring then runs as for any answer.
func applyDisputes(q *Question, r *Result, disputes []Dispute, has func(sentence string) bool) {
	for _, d := range disputes {
		switch d.Kind {
		case DisputeMissed:
			if !has(d.Sentence) {
				continue // a follow-up's sentence, not in this text
			}
			kp, ok := q.keyPoint(d.Target)
			if !ok {
				continue
			}
			r.Misses = deleteWhere(r.Misses, func(m Miss) bool { return m.ID == d.Target })
			r.Hits = deleteWhere(r.Hits, func(h Hit) bool { return h.ID == d.Target })
			r.Hits = append(r.Hits, Hit{ID: kp.ID, Text: kp.Text, Weight: kp.Weight, Sentence: d.Sentence, Disputed: true})
		case DisputeRedFlag:
			r.RedFlags = deleteWhere(r.RedFlags, func(f Flag) bool { return f.Text == d.Target })
		case DisputeContradiction:
			r.Contradictions = deleteWhere(r.Contradictions, func(c Contradiction) bool { return c.ID == d.Target })
		}
	}
}

func deleteWhere[T any](xs []T, drop func(T) bool) []T {
	out := xs[:0:0]
	for _, x := range xs {
		if !drop(x) {
			out = append(out, x)
		}
	}
	return out
}

// Adjust re-scores a graded answer with the learner's disputes: the same
// grading, conversation rules and scoring formula as the grader's own,
// with the disputed items changed after matching. current is the grade as
// it stands (adjusted already or not), earlier the disputes already made
// on it, d the new one; the grader's own matching is untouched.
func (g *Grader) Adjust(q *Question, previous []TurnRecord, answer string, current Result, earlier []Dispute, d Dispute) (Result, error) {
	answers := make([]string, 0, len(previous)+1)
	for _, t := range previous {
		if t.Status == TurnGraded || t.Status == TurnInsufficient {
			answers = append(answers, t.Answer)
		}
	}
	answers = append(answers, answer)
	if err := CheckDispute(current, Sentences(answers...), earlier, d); err != nil {
		return Result{}, err
	}
	out, err := g.GradeDisputed(q, previous, answer, append(append([]Dispute{}, earlier...), d))
	if err != nil {
		return Result{}, fmt.Errorf("adjust: %w", err)
	}
	if !out.Result.Graded() {
		return Result{}, ErrDisputeNotGraded
	}
	// The conversation's follow-up was asked already; the adjusted grade
	// does not ask another.
	out.Result.FollowUp, out.Result.FollowUpTarget = current.FollowUp, current.FollowUpTarget
	return out.Result, nil
}

// keyPoint finds one of the question's key points by id.
func (q *Question) keyPoint(id string) (Miss, bool) {
	for _, kp := range q.KeyPoints {
		if kp.ID == id {
			return Miss{ID: kp.ID, Text: kp.Text, Weight: kp.Weight}, true
		}
	}
	return Miss{}, false
}

// hasSentence reports whether the text holds the sentence (same words).
func (d *doc) hasSentence(sentence string) bool {
	key := sentenceKey(sentence)
	for _, s := range d.sentences {
		if key != "" && sentenceKey(s.text) == key {
			return true
		}
	}
	return false
}

// GradeDisputed grades an answer in its conversation as GradeTurn does,
// with the disputes the learner made earlier on this question applied:
// a point they made stays made in the answers to the follow-ups. Disputes
// that no longer apply (a flag not raised again) change nothing.
func (g *Grader) GradeDisputed(q *Question, previous []TurnRecord, answer string, disputes []Dispute) (Graded, error) {
	disputed := &Grader{bank: g.bank, disputes: disputes}
	return disputed.GradeTurn(q, previous, answer)
}
