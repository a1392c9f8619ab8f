package llm

import (
	"context"
	"errors"
	"slices"

	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/seeds"
)

// TurnGrader grades answers in a round with the rubric engine and, when a
// Client is set, the model on top of it. The model never costs the user an
// answer: when it fails, the rubric's grade stands and Result.LLMError
// says why.
type TurnGrader struct {
	Rubric *grader.Grader
	// Client is the model; nil grades with the rubric alone.
	Client *Client
}

// Instant reports whether GradeTurn grades with the rubric alone (no
// model configured): in the process, with nothing to wait on.
func (t TurnGrader) Instant() bool { return t.Client == nil }

// GradeTurn grades an answer in its question's conversation, with the
// semantics of grader.Grader.GradeTurn, which it calls first. Then, for
// a graded answer, the model grades the whole conversation anchored on the
// rubric's result (Grader becomes "llm+rubric"), and phrases the rubric's
// follow-up in the flow of the conversation (the rubric's wording stays
// when that fails). When the model grade fails the rubric's Graded is
// returned with Result.LLMError set, and the model is not asked to phrase
// the follow-up, so a failing model costs one timeout per answer at most.
//
// The only errors are the rubric grader's, returned as they are
// (grader.ErrAnswerTooLong is a message for the user).
func (t TurnGrader) GradeTurn(ctx context.Context, q *grader.Question, previous []grader.TurnRecord, answer string) (grader.Graded, error) {
	if t.Rubric == nil {
		return grader.Graded{}, errors.New("llm: turn grader has no rubric grader")
	}
	g, err := t.Rubric.GradeTurn(q, t.rubricPrompts(q, previous), answer)
	if err != nil {
		return grader.Graded{}, err
	}
	if t.Client == nil || !g.Result.Graded() {
		return g, nil
	}
	graded, err := t.Client.Grade(ctx, q, grader.Conversation(previous, answer), g.Result)
	if err != nil {
		g.Result.LLMError = describe(err)
		return g, nil
	}
	g.Result = graded
	if g.FollowUp != "" {
		if phrased, err := t.Client.PhraseFollowUp(ctx, q, exchanges(q, previous, answer), g.FollowUp); err == nil {
			g.FollowUp = phrased
		}
	}
	return g, nil
}

// exchanges is the conversation as the candidate saw it: each prompt
// asked, as worded then, and its answer, ending with this answer.
func exchanges(q *grader.Question, previous []grader.TurnRecord, answer string) []Exchange {
	out := make([]Exchange, 0, len(previous)+1)
	prompt := q.Prompt
	for _, p := range previous {
		if p.Status == grader.TurnGraded || p.Status == grader.TurnInsufficient {
			out = append(out, Exchange{Prompt: p.Prompt, Answer: p.Answer})
		}
		if p.FollowUp != "" {
			prompt = p.FollowUp
		}
	}
	return append(out, Exchange{Prompt: prompt, Answer: answer})
}

// rubricPrompts returns previous with the follow-ups in the rubric's own
// words. The round stores the phrased follow-up a user saw (as FollowUp,
// then as the next turn's Prompt); the rubric recognises a follow-up it
// already asked by its wording, so it is given back the wording it chose,
// recomputed: the rubric is deterministic, so grading the earlier turns
// again picks the same follow-ups. Turns already in the rubric's words are
// left alone.
func (t TurnGrader) rubricPrompts(q *grader.Question, previous []grader.TurnRecord) []grader.TurnRecord {
	bank := func(prompt string) bool {
		return slices.ContainsFunc(q.FollowUps, func(f seeds.FollowUp) bool { return f.Prompt == prompt })
	}
	if !slices.ContainsFunc(previous, func(p grader.TurnRecord) bool {
		return (p.FollowUp != "" && !bank(p.FollowUp)) || (p.Step > 0 && !bank(p.Prompt))
	}) {
		return previous
	}
	out := slices.Clone(previous)
	for i := range out {
		if i > 0 && out[i].Step > 0 && !bank(out[i].Prompt) && bank(out[i-1].FollowUp) {
			out[i].Prompt = out[i-1].FollowUp
		}
		if out[i].FollowUp == "" || bank(out[i].FollowUp) || out[i].Status != grader.TurnGraded {
			continue
		}
		if g, err := t.Rubric.GradeTurn(q, out[:i], out[i].Answer); err == nil && g.FollowUp != "" {
			out[i].FollowUp = g.FollowUp
		}
	}
	return out
}
