package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/mockround/mockround/interview"
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
	g := interview.NewGrader(bank)
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	if !*jsonl {
		answer, err := io.ReadAll(io.LimitReader(e.stdin, 4*interview.MaxAnswerChars+1))
		if err != nil {
			return fmt.Errorf("read answer: %w", err)
		}
		res, err := g.GradeByID(*id, string(answer))
		if err != nil {
			return err
		}
		return enc.Encode(res)
	}
	return gradeLines(g, e.stdin, enc)
}

// gradeLine is one line of `grade --jsonl` input.
type gradeLine struct {
	QuestionID string `json:"question_id"`
	Answer     string `json:"answer"`
}

// lineError is the output line for an input that could not be graded.
type lineError struct {
	QuestionID string `json:"question_id"`
	Error      string `json:"error"`
}

// gradeLines answers every input line with exactly one output line, in
// order; a bad line gets an error line, not a crash.
func gradeLines(g *interview.Grader, in io.Reader, enc *json.Encoder) error {
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
		res, err := g.GradeByID(in.QuestionID, in.Answer)
		var out any = res
		if err != nil {
			msg := err.Error()
			if errors.Is(err, interview.ErrUnknownQuestion) {
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
