package main

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// usageError is a mistake on the command line: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// exitError carries an exit code without a message of its own (the
// command already printed what went wrong).
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func exitCode(err error) int {
	var ue usageError
	var ee exitError
	switch {
	case errors.As(err, &ue):
		return 2
	case errors.As(err, &ee):
		return ee.code
	default:
		return 1
	}
}

const usage = `mockround: practise backend interviews.

Usage:
  mockround [serve]                      serve the web app on ADDR (default :8080)
  mockround grade --question ID          grade an answer read from stdin, print JSON
  mockround grade --jsonl                grade {"question_id","answer"} lines from stdin
  mockround bank validate                check the question bank
  mockround bank stats [--json]          count the bank's questions
  mockround jd                           analyse a job description read from stdin
  mockround plan --stack S --level L --type screening|full|drill [--area A] [--count N] [--seed N] [--jd FILE]
  mockround demo --days N                fill the database with a realistic history
  mockround disputes [--json]            list the learners' disputes of grades, per question
  mockround migrate                      bring the database schema up to date, without serving
  mockround backup PATH                  write a consistent copy of the SQLite database (PostgreSQL: prints the pg_dump command)
  mockround version                      print the version

Configuration comes from the environment; see README.md.
`

// env is what a command may touch of the outside world.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// run is main without the process: tests call it with their own arguments,
// environment and streams.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	cmd, rest := "serve", args
	if len(args) > 0 {
		cmd, rest = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, e, rest)
	case "grade":
		return gradeCmd(e, rest)
	case "jd":
		return jdCmd(e, rest)
	case "plan":
		return planCmd(e, rest)
	case "demo":
		return demoCmd(ctx, e, rest)
	case "bank":
		return bankCmd(e, rest)
	case "disputes":
		return disputesCmd(ctx, e, rest)
	case "migrate":
		return migrateCmd(ctx, e, rest)
	case "backup":
		return backupCmd(ctx, e, rest)
	case "version", "--version":
		return versionCmd(e, rest)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return usageError{fmt.Sprintf("unknown command %q", cmd)}
	}
}
