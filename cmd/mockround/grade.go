package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/interview/llm"
)

// gradeCmd grades answers with the rubric engine; it needs no database.
func gradeCmd(e env, args []string) error {
	fs := flag.NewFlagSet("grade", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	id := fs.String("question", "", "the question id; the answer is read from stdin")
	jsonl := fs.Bool("jsonl", false, `read {"question_id","answer"} lines from stdin, print one result line each`)
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if (*id == "") == !*jsonl {
		return usageError{"grade needs either --question ID or --jsonl"}
	}
	bank, err := loadInterviewBank(e.getenv)
	if err != nil {
		return err
	}
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		return err
	}
	tg, _, err := cfg.interviewer(bank, nil)
	if err != nil {
		return err
	}
	g := grading{tg: tg, rubric: grader.NewGrader(bank), bank: bank, ctx: context.Background()}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	if !*jsonl {
		answer, err := io.ReadAll(io.LimitReader(e.stdin, 4*grader.MaxAnswerChars+1))
		if err != nil {
			return fmt.Errorf("read answer: %w", err)
		}
		res, err := g.grade(*id, string(answer))
		if err != nil {
			return err
		}
		return enc.Encode(res)
	}
	return gradeLines(g, e.stdin, enc)
}

// grading grades one answer the way a round would: with the model when
// one is configured (the JSON then says "llm+rubric", or carries
// "llm_error" when the model failed), else with the rubric engine.
type grading struct {
	tg     llm.TurnGrader
	rubric *grader.Grader
	bank   *grader.Bank
	ctx    context.Context
}

func (g grading) grade(id, answer string) (grader.Result, error) {
	q, ok := g.bank.Question(id)
	if !ok {
		return grader.Result{}, fmt.Errorf("unknown question %q: %w", id, grader.ErrUnknownQuestion)
	}
	out, err := g.tg.GradeTurn(g.ctx, q, nil, answer)
	if err != nil {
		return grader.Result{}, err
	}
	out.Result.FollowUp = out.FollowUp
	return out.Result, nil
}

// gradeLine is one line of `grade --jsonl` input. Followups are the
// candidate's answers to the follow-ups the engine asks: the line is then
// graded as one conversation.
type gradeLine struct {
	QuestionID string `json:"question_id"`
	Answer     string `json:"answer"`
	Followups  []struct {
		Answer string `json:"answer"`
	} `json:"followups"`
}

// conversation grades an answer and its follow-up answers with the rubric
// engine's conversation rules.
func (g grading) conversation(id string, answers []string) (grader.ConversationResult, error) {
	q, ok := g.bank.Question(id)
	if !ok {
		return grader.ConversationResult{}, fmt.Errorf("unknown question %q: %w", id, grader.ErrUnknownQuestion)
	}
	return g.rubric.GradeConversation(q, answers)
}

// lineError is the output line for an input that could not be graded.
type lineError struct {
	QuestionID string `json:"question_id"`
	Error      string `json:"error"`
}

// gradeLines answers every input line with exactly one output line, in
// order; a bad line gets an error line, not a crash.
func gradeLines(g grading, in io.Reader, enc *json.Encoder) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var in gradeLine
		if err := json.Unmarshal([]byte(line), &in); err != nil {
			if err := enc.Encode(lineError{Error: "not a JSON object: " + err.Error()}); err != nil {
				return err
			}
			continue
		}
		var out any
		var err error
		if len(in.Followups) > 0 {
			answers := []string{in.Answer}
			for _, f := range in.Followups {
				answers = append(answers, f.Answer)
			}
			out, err = g.conversation(in.QuestionID, answers)
		} else {
			out, err = g.grade(in.QuestionID, in.Answer)
		}
		if err != nil {
			msg := err.Error()
			if errors.Is(err, grader.ErrUnknownQuestion) {
				msg = fmt.Sprintf("unknown question %q", in.QuestionID)
			}
			out = lineError{QuestionID: in.QuestionID, Error: msg}
		}
		if err := enc.Encode(out); err != nil {
			return err
		}
	}
	return sc.Err()
}
