package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mockround/mockround/interview/grader"
)

func TestStats(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	s := stats("GET /", ds, 2)
	want := routeStats{route: "GET /", n: 100, errors: 2, p50: 51 * time.Millisecond, p95: 96 * time.Millisecond, p99: 100 * time.Millisecond, max: 100 * time.Millisecond}
	if s != want {
		t.Errorf("stats = %+v, want %+v", s, want)
	}
	if s := stats("none", nil, 0); s.n != 0 || s.p99 != 0 {
		t.Errorf("no samples: %+v", s)
	}
}

func TestRecorderCountsErrors(t *testing.T) {
	r := newRecorder()
	r.add("GET /", time.Millisecond, nil)
	r.add("POST /rounds", 2*time.Millisecond, errors.New("status 500"))
	r.add("POST /rounds", 3*time.Millisecond, errors.New("status 502"))
	if r.errorCount() != 2 || r.firstError() != "POST /rounds: status 500" {
		t.Errorf("errors %d, first %q", r.errorCount(), r.firstError())
	}
	r.add("GET /auth/:provider/callback", 300*time.Millisecond, nil)
	rep := r.report(time.Second)
	if rep.total.n != 4 || rep.total.errors != 2 || rep.routes[0].route != "GET /auth/:provider/callback" {
		t.Errorf("report %+v", rep)
	}
	if rep.journey.n != 3 || rep.journey.max != 3*time.Millisecond || rep.total.max != 300*time.Millisecond {
		t.Errorf("journey %+v, all %+v: the login belongs to all only", rep.journey, rep.total)
	}
	var out bytes.Buffer
	printReport(&out, rep, time.Second, "RSS 1 kB")
	if !strings.Contains(out.String(), "POST /rounds") || !strings.Contains(out.String(), "journey (no login)") || !strings.Contains(out.String(), "server memory after the load: RSS 1 kB") {
		t.Errorf("printed:\n%s", out.String())
	}
}

func TestRunNeedsATarget(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), nil, func(string) string { return "" }, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "-url") {
		t.Errorf("err = %v", err)
	}
}

// TestArrivalsSpreadOverTheRamp: learners arrive within the ramp, spread
// over all of it, each at a time of its own seed.
func TestArrivalsSpreadOverTheRamp(t *testing.T) {
	const ramp, buckets = 10 * time.Second, 10
	bank, err := grader.LoadBank()
	if err != nil {
		t.Fatal(err)
	}
	var count [buckets]int
	for i := range 200 {
		d := newLearner(i, "", bank, nil, options{ramp: ramp}).arrival()
		if d < 0 || d > ramp {
			t.Fatalf("learner %d arrives at %v, outside the ramp of %v", i, d, ramp)
		}
		count[min(buckets-1, int(d*buckets/ramp))]++
	}
	for b, n := range count {
		if n < 200/buckets/3 {
			t.Errorf("second %d of the ramp: %d arrivals of 200, want them spread (%v)", b, n, count)
		}
	}
	if a, b := newLearner(3, "", bank, nil, options{ramp: ramp}).arrival(), newLearner(3, "", bank, nil, options{ramp: ramp}).arrival(); a != b {
		t.Errorf("the same learner arrives at %v and %v: runs should repeat", a, b)
	}
}
