// Command mockload is mockround's journey load test: N simulated learners
// each do whole rounds (home, start a round, read the question, save a
// draft, answer with about 150 words, answer the follow-ups, read the
// report and the dashboard) against a running server, and it prints
// requests per second and p50/p95/p99 per route. With -server it starts
// that binary itself on a fresh database (SQLite, or a fresh PostgreSQL
// schema of TEST_DATABASE_URL) with the rate limits raised, and reports
// the server's memory after the load. Any failed request fails the run.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "mockload:", err)
		os.Exit(1)
	}
}
