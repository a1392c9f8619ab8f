package handlers

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"

	"github.com/mockround/mockround/models"
)

// Limits are the request rates the app allows, per minute. They are there
// to stop abuse, not people: each allows its whole minute's worth at once
// (someone answering "I don't know" as fast as they can click), and
// refills at the same rate.
type Limits struct {
	// LoginPerMinute per IP address.
	LoginPerMinute int
	// AnswersPerMinute per user; an IP address gets ten times as many
	// (a team behind one proxy or office address shares it).
	AnswersPerMinute int
	// ModelCallsPerMinute per user, on the other routes that call the
	// model (job description analysis and round start, re-grades) when
	// one is configured.
	ModelCallsPerMinute int
	// DraftsPerMinute per user: the answer box saves as you type, a
	// second or so after you stop.
	DraftsPerMinute int
	// RoundsPerMinute per user: rounds started.
	RoundsPerMinute int
}

// Default limits, per minute.
const (
	DefaultLoginPerMinute      = 20
	DefaultAnswersPerMinute    = 30
	DefaultModelCallsPerMinute = 20
	DefaultDraftsPerMinute     = 120
	DefaultRoundsPerMinute     = 20
)

// answersPerAddress is how many users' worth of answers one IP address
// may send.
const answersPerAddress = 10

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.LoginPerMinute, DefaultLoginPerMinute)
	def(&l.AnswersPerMinute, DefaultAnswersPerMinute)
	def(&l.ModelCallsPerMinute, DefaultModelCallsPerMinute)
	def(&l.DraftsPerMinute, DefaultDraftsPerMinute)
	def(&l.RoundsPerMinute, DefaultRoundsPerMinute)
	return l
}

// RateStore counts requests against per-minute limits, by key. The memory
// store keeps the counts in this process; the Redis store shares them
// between instances.
type RateStore interface {
	// Allow takes one request from key's allowance of perMinute (all of
	// which may come at once) at now. When none is left it returns false
	// and how long until one is.
	Allow(ctx context.Context, key string, perMinute int, now time.Time) (ok bool, retryAfter time.Duration, err error)
}

// MemoryRates is a RateStore in this process's memory: each instance
// behind a load balancer counts on its own.
type MemoryRates struct {
	mu        sync.Mutex
	limiters  map[string]*memoryLimiter
	lastSweep time.Time
}

type memoryLimiter struct {
	lim  *rate.Limiter
	seen time.Time
}

// memoryIdle is how long a key's limiter is kept after its last request:
// by then its allowance is full again and it can start afresh.
const memoryIdle = 10 * time.Minute

// NewMemoryRates returns an empty memory store.
func NewMemoryRates() *MemoryRates {
	return &MemoryRates{limiters: map[string]*memoryLimiter{}}
}

// Allow implements RateStore.
func (m *MemoryRates) Allow(_ context.Context, key string, perMinute int, now time.Time) (bool, time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if now.Sub(m.lastSweep) > memoryIdle {
		for k, l := range m.limiters {
			if now.Sub(l.seen) > memoryIdle {
				delete(m.limiters, k)
			}
		}
		m.lastSweep = now
	}
	l, ok := m.limiters[key]
	if !ok {
		l = &memoryLimiter{lim: rate.NewLimiter(rate.Limit(float64(perMinute)/60), perMinute)}
		m.limiters[key] = l
	}
	l.seen = now
	r := l.lim.ReserveN(now, 1)
	if !r.OK() {
		return false, time.Minute, nil
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d, nil
	}
	return true, 0, nil
}

// rateDenied is a request over a limit: deny answers it.
type rateDenied func(c echo.Context, retryAfter time.Duration) error

// rateLimit limits a route's requests by the key that id gives (a route
// name and a user or an address) to perMinute. skip, when it says so,
// lets the request through uncounted.
func (h *Handlers) rateLimit(name string, perMinute int, id func(echo.Context) string, skip func(echo.Context) bool, deny rateDenied) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if skip != nil && skip(c) {
				return next(c)
			}
			ok, wait, err := h.Rates.Allow(c.Request().Context(), name+":"+id(c), perMinute, h.Now())
			if err != nil {
				// A limiter that cannot count must not take the app down
				// with it: the request goes ahead, and the failure is logged.
				if _, first := h.limitFailures.log(time.Now()); first {
					h.Log.Warn("rate limit store failed: requests are not limited", "limit", name, "err", err)
				}
				return next(c)
			}
			if ok {
				return next(c)
			}
			secs := int(math.Ceil(wait.Seconds()))
			c.Response().Header().Set("Retry-After", strconv.Itoa(max(1, secs)))
			return deny(c, wait)
		}
	}
}

// tooMany is the usual answer to a request over a limit: a 429 page (or
// fragment) saying how long to wait.
func tooMany(what string) rateDenied {
	return func(_ echo.Context, wait time.Duration) error {
		return echo.NewHTTPError(http.StatusTooManyRequests,
			fmt.Sprintf("Too many %s in a short time. Wait %s, then try again: nothing you typed is lost.", what, waitText(wait)))
	}
}

// waitText says a wait in words people read at a glance.
func waitText(d time.Duration) string {
	s := int(math.Ceil(d.Seconds()))
	switch {
	case s <= 1:
		return "a second"
	case s < 60:
		return strconv.Itoa(s) + " seconds"
	case s < 120:
		return "a minute"
	default:
		return strconv.Itoa((s+59)/60) + " minutes"
	}
}

// plural is n and the unit that fits it, e.g. "1 answer a minute".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}

func byIP(c echo.Context) string { return "ip:" + c.RealIP() }

func byUser(c echo.Context) string {
	return "user:" + strconv.FormatUint(uint64(currentUser(c).ID), 10)
}

// loginLimit limits login attempts per IP address.
func (h *Handlers) loginLimit() echo.MiddlewareFunc {
	return h.rateLimit("login", h.Limits.LoginPerMinute, byIP, nil, tooMany("login attempts"))
}

// answerLimit limits answer submissions per user and per IP address. Over
// the limit, the round comes back with a notice beside the answer form
// and the answer still in the box.
func (h *Handlers) answerLimit() []echo.MiddlewareFunc {
	perAddress := h.Limits.AnswersPerMinute * answersPerAddress
	return []echo.MiddlewareFunc{
		h.rateLimit("answers", h.Limits.AnswersPerMinute, byUser, nil,
			h.answerTooSoon(plural(h.Limits.AnswersPerMinute, "answer a minute", "answers a minute"))),
		h.rateLimit("answers-ip", perAddress, byIP, nil,
			h.answerTooSoon(plural(perAddress, "answer a minute", "answers a minute")+" from one network address")),
	}
}

// draftLimit limits draft saves per user.
func (h *Handlers) draftLimit() echo.MiddlewareFunc {
	return h.rateLimit("drafts", h.Limits.DraftsPerMinute, byUser, nil, tooMany("draft saves"))
}

// roundLimit limits rounds started per user.
func (h *Handlers) roundLimit() echo.MiddlewareFunc {
	return h.rateLimit("rounds", h.Limits.RoundsPerMinute, byUser, nil, tooMany("new rounds"))
}

// modelLimit limits, per user, the requests other than answers that call
// the model: one budget shared by every route it is put on. Without a
// model configured those routes call none and are not limited.
func (h *Handlers) modelLimit() echo.MiddlewareFunc {
	return h.rateLimit("model", h.Limits.ModelCallsPerMinute, byUser,
		func(echo.Context) bool { return h.LLMModel == "" }, tooMany("requests to the model"))
}

// regradeOnlyFallback lets a re-grade through only for a fallback grade of
// the user's own turn (see models.Store.RegradeAllowed).
func (h *Handlers) regradeOnlyFallback(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		roundID, err1 := strconv.ParseUint(c.Param("id"), 10, 63)
		turnID, err2 := strconv.ParseUint(c.Param("turn"), 10, 63)
		if err1 != nil || err2 != nil {
			return echo.ErrNotFound
		}
		err := h.Store.RegradeAllowed(c.Request().Context(), currentUser(c).ID, uint(roundID), uint(turnID))
		if errors.Is(err, models.ErrConflict) {
			return echo.NewHTTPError(http.StatusConflict, "Only an answer the model could not grade can be graded again, and only until the model has graded it.")
		}
		if err != nil {
			return err
		}
		return next(c)
	}
}
