package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mockround/mockround/interview"
)

// jdCmd analyses a job description read from stdin.
func jdCmd(e env, args []string) error {
	if len(args) > 0 {
		return usageError{"jd takes no arguments: pipe the job description on stdin"}
	}
	b, err := io.ReadAll(io.LimitReader(e.stdin, 4*interview.MaxJobDescriptionChars+1))
	if err != nil {
		return fmt.Errorf("read job description: %w", err)
	}
	if n := len([]rune(string(b))); n > interview.MaxJobDescriptionChars {
		return fmt.Errorf("the job description is %d characters; the limit is %d", n, interview.MaxJobDescriptionChars)
	}
	return json.NewEncoder(e.stdout).Encode(interview.AnalyzeJD(string(b)))
}

// planCmd prints the plan the web setup would make for a user with no
// history.
func planCmd(e env, args []string) error {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	stack := fs.String("stack", "", "python, go, java or node")
	level := fs.String("level", "", "junior, middle or senior")
	typ := fs.String("type", "screening", "screening, full or drill")
	area := fs.String("area", "", "the area of a drill")
	count := fs.Int("count", 0, "number of questions (default 10, 5 for a drill)")
	seed := fs.Int64("seed", 1, "the round's seed")
	jdFile := fs.String("jd", "", "a job description file")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected arguments %q", fs.Args())}
	}
	bank, err := loadInterviewBank(e.getenv)
	if err != nil {
		return err
	}
	setup := interview.Setup{
		Stack: strings.ToLower(*stack), Level: strings.ToLower(*level), Type: interview.RoundType(strings.ToLower(*typ)),
		Area: strings.ToLower(*area), Count: *count, Seed: *seed,
	}
	if *jdFile != "" {
		b, err := os.ReadFile(*jdFile)
		if err != nil {
			return fmt.Errorf("read --jd: %w", err)
		}
		jd := interview.AnalyzeJD(string(b))
		setup.JD = &jd
	}
	plan, err := interview.PlanRound(bank, setup)
	if err != nil {
		return usageError{err.Error()}
	}
	return json.NewEncoder(e.stdout).Encode(plan)
}
