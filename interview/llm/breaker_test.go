package llm

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestBreakerOpensAndCloses walks the breaker through its states with the
// fake clock, counting the requests that reach the server.
func TestBreakerOpensAndCloses(t *testing.T) {
	q := question(t, "api-idempotent-retries")
	var healthy atomic.Bool
	h := newHarness(t, func(int, sentRequest) reply {
		if healthy.Load() {
			return ok(`{"followup":"Why?"}`)
		}
		return status(500)
	}, func(c *Config) { c.MaxRetries = -1; c.BreakerThreshold = 3; c.BreakerCooldown = 30 * time.Second })
	ctx := context.Background()
	call := func() error {
		_, err := h.c.PhraseFollowUp(ctx, q, nil, "Why?")
		return err
	}
	step := func(name string, wantOpenErr bool, wantRequests int, wantGauge float64) {
		t.Helper()
		err := call()
		if got := errors.Is(err, ErrCircuitOpen); got != wantOpenErr {
			t.Errorf("%s: err = %v, want circuit open %v", name, err, wantOpenErr)
		}
		if n := h.fake.count(); n != wantRequests {
			t.Errorf("%s: requests = %d, want %d", name, n, wantRequests)
		}
		if g := testutil.ToFloat64(h.c.metrics.circuitOpen); g != wantGauge {
			t.Errorf("%s: circuit open gauge = %v, want %v", name, g, wantGauge)
		}
	}

	step("failure 1", false, 1, 0)
	step("failure 2", false, 2, 0)
	step("failure 3 opens", false, 3, 1)
	step("open: refused", true, 3, 1)
	h.clock.Advance(29 * time.Second)
	step("still open just before the cooldown ends", true, 3, 1)
	h.clock.Advance(time.Second)
	step("half-open: the trial fails", false, 4, 1)
	step("open again at once", true, 4, 1)
	h.clock.Advance(30 * time.Second)
	healthy.Store(true)
	step("half-open: the trial succeeds and closes", false, 5, 0)
	step("closed", false, 6, 0)

	if got := testutil.ToFloat64(h.c.metrics.failures.WithLabelValues(opFollowUp, ReasonCircuitOpen)); got != 3 {
		t.Errorf("failures{followup,circuit_open} = %v, want 3", got)
	}
	if got := testutil.ToFloat64(h.c.metrics.failures.WithLabelValues(opFollowUp, ReasonHTTP5xx)); got != 4 {
		t.Errorf("failures{followup,http_5xx} = %v, want 4", got)
	}
}

// TestBreakerCountsCallsNotAttempts: a call whose retries all fail is one
// failure for the breaker, and a success in between resets the count.
func TestBreakerCountsCallsNotAttempts(t *testing.T) {
	q := question(t, "api-idempotent-retries")
	var healthy atomic.Bool
	h := newHarness(t, func(int, sentRequest) reply {
		if healthy.Load() {
			return ok(`{"followup":"Why?"}`)
		}
		return status(503)
	}, func(c *Config) { c.BreakerThreshold = 2 })
	ctx := context.Background()
	if _, err := h.c.PhraseFollowUp(ctx, q, nil, "Why?"); err == nil {
		t.Fatal("want the first call to fail")
	}
	if n := h.fake.count(); n != 3 {
		t.Errorf("requests = %d, want 3 (two retries)", n)
	}
	healthy.Store(true)
	if _, err := h.c.PhraseFollowUp(ctx, q, nil, "Why?"); err != nil {
		t.Fatalf("second call: %v", err)
	}
	healthy.Store(false)
	if _, err := h.c.PhraseFollowUp(ctx, q, nil, "Why?"); errors.Is(err, ErrCircuitOpen) || err == nil {
		t.Fatalf("third call: err = %v, want a 503 (the success reset the count)", err)
	}
	if g := testutil.ToFloat64(h.c.metrics.circuitOpen); g != 0 {
		t.Errorf("circuit open gauge = %v after one failure in a row, want 0", g)
	}
}

// TestBreakerHalfOpenLetsOneTrialThrough: while the trial call is in
// flight, other calls are refused without a request.
func TestBreakerHalfOpenLetsOneTrialThrough(t *testing.T) {
	q := question(t, "api-idempotent-retries")
	release := make(chan struct{})
	h := newHarness(t, func(n int, _ sentRequest) reply {
		if n == 0 {
			return status(500)
		}
		return reply{content: `{"followup":"Why?"}`, release: release}
	}, func(c *Config) { c.MaxRetries = -1; c.BreakerThreshold = 1 })
	ctx := context.Background()
	if _, err := h.c.PhraseFollowUp(ctx, q, nil, "Why?"); err == nil {
		t.Fatal("want the first call to fail and open the breaker")
	}
	h.clock.Advance(DefaultBreakerCooldown)

	received := make(chan int, 1)
	h.fake.notify(received)
	trial := make(chan error, 1)
	go func() {
		_, err := h.c.PhraseFollowUp(ctx, q, nil, "Why?")
		trial <- err
	}()
	<-received // the trial is at the server
	if _, err := h.c.PhraseFollowUp(ctx, q, nil, "Why?"); !errors.Is(err, ErrCircuitOpen) {
		t.Errorf("a call during the trial: err = %v, want ErrCircuitOpen", err)
	}
	close(release)
	if err := <-trial; err != nil {
		t.Fatalf("trial: %v", err)
	}
	if n := h.fake.count(); n != 2 {
		t.Errorf("requests = %d, want 2", n)
	}
	if g := testutil.ToFloat64(h.c.metrics.circuitOpen); g != 0 {
		t.Errorf("circuit open gauge = %v after a good trial, want 0", g)
	}
}
