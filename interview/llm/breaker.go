package llm

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// breaker is a circuit breaker over calls to the model. Closed, calls go
// through and failures in a row are counted; at threshold it opens and
// refuses every call for cooldown; then it is half-open and lets one trial
// call through: a success closes it, a failure opens it again.
type breaker struct {
	threshold int
	cooldown  time.Duration
	now       func() time.Time
	gauge     prometheus.Gauge

	mu       sync.Mutex
	failures int       // failed calls in a row while closed
	openedAt time.Time // zero while closed
	trial    bool      // the half-open trial call is in flight
}

func newBreaker(threshold int, cooldown time.Duration, now func() time.Time, gauge prometheus.Gauge) *breaker {
	gauge.Set(0)
	return &breaker{threshold: threshold, cooldown: cooldown, now: now, gauge: gauge}
}

// allow says whether a call may go through, and whether it is the
// half-open trial.
func (b *breaker) allow() (trial bool, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.openedAt.IsZero():
		return false, nil
	case b.now().Before(b.openedAt.Add(b.cooldown)), b.trial:
		return false, ErrCircuitOpen
	}
	b.trial = true
	return true, nil
}

// success closes the breaker.
func (b *breaker) success() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failures, b.openedAt, b.trial = 0, time.Time{}, false
	b.gauge.Set(0)
}

// failure counts a failed call, opening the breaker at threshold; a
// failed trial opens it again for another cooldown.
func (b *breaker) failure(trial bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if trial {
		b.trial = false
	}
	if !b.openedAt.IsZero() {
		b.openedAt = b.now()
		return
	}
	b.failures++
	if b.failures >= b.threshold {
		b.openedAt = b.now()
		b.gauge.Set(1)
	}
}

// release ends a call that neither succeeded nor failed (the caller went
// away): a trial frees the half-open slot for the next call.
func (b *breaker) release(trial bool) {
	if !trial {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.trial = false
}
