package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"time"
)

// disputeOut is one learner's dispute as the bank's maintainers read it.
type disputeOut struct {
	Kind         string    `json:"kind"`
	KeyPoint     string    `json:"key_point"`
	KeyPointText string    `json:"key_point_text"`
	Sentence     string    `json:"sentence"`
	At           time.Time `json:"at"`
}

// questionDisputes are the disputes of one question.
type questionDisputes struct {
	QuestionID string       `json:"question_id"`
	Count      int          `json:"count"`
	Disputes   []disputeOut `json:"disputes"`
}

// disputesCmd lists the learners' disputes of grades per question: the
// key points the rubric missed (with the sentence that made them) and the
// red flags and contradictions it misread, for whoever maintains the bank.
// For a red flag, key_point is the flag's text.
func disputesCmd(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("disputes", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		return err
	}
	store, closeDB, err := openStore(ctx, cfg, cfg.logger(e.stderr))
	if err != nil {
		return err
	}
	defer closeDB()
	all, err := store.AllDisputes(ctx)
	if err != nil {
		return err
	}
	out := struct {
		Questions []questionDisputes `json:"questions"`
	}{Questions: []questionDisputes{}}
	for _, d := range all { // ordered by question
		n := len(out.Questions)
		if n == 0 || out.Questions[n-1].QuestionID != d.QuestionID {
			out.Questions = append(out.Questions, questionDisputes{QuestionID: d.QuestionID, Disputes: []disputeOut{}})
			n++
		}
		q := &out.Questions[n-1]
		q.Disputes = append(q.Disputes, disputeOut{Kind: d.Kind, KeyPoint: d.Target, KeyPointText: d.TargetText, Sentence: d.Sentence, At: d.CreatedAt.UTC()})
		q.Count++
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(out.Questions) == 0 {
		fmt.Fprintln(e.stdout, "No disputes yet.")
		return nil
	}
	for _, q := range out.Questions {
		fmt.Fprintf(e.stdout, "%s (%d)\n", q.QuestionID, q.Count)
		for _, d := range q.Disputes {
			fmt.Fprintf(e.stdout, "  %s %s: %q\n", d.Kind, d.KeyPoint, d.Sentence)
		}
	}
	return nil
}
