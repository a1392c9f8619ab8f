// Package llm is mockround's optional LLM interviewer. It asks a model
// behind any OpenAI-compatible chat-completions endpoint (a hosted API,
// Ollama, llama.cpp's server, vLLM) to grade an answer next to the rubric
// engine, to phrase the rubric's follow-up in the flow of the
// conversation, and to read a job description.
//
// The rubric engine stays the floor: a model's scores only move the
// rubric's within grader.Anchor's limits, and when the model fails
// TurnGrader returns the rubric's grade with the reason, never an error.
//
// Every call is bounded: each attempt by Config.Timeout, the whole call by
// the caller's context. HTTP 429, 5xx and network errors are retried with a
// short jittered backoff; a circuit breaker stops calling a model that keeps
// failing, so a dead endpoint costs users nothing but a log line.
package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Defaults for the zero values of Config.
const (
	DefaultTimeout          = 20 * time.Second
	DefaultMaxRetries       = 2
	DefaultBreakerThreshold = 3
	DefaultBreakerCooldown  = 30 * time.Second
)

// Retry timing. The base is small because a user is waiting for the grade.
const (
	backoffBase = 200 * time.Millisecond
	backoffMax  = 2 * time.Second
	// maxRetryAfter is the longest Retry-After honoured; a server asking
	// for longer is not retried, as the rubric's grade is ready now.
	maxRetryAfter = 5 * time.Second
	maxRetries    = 10
)

// Operations, as the op label of the metrics.
const (
	opGrade    = "grade"
	opFollowUp = "followup"
	opJD       = "jd"
)

// Why a call failed, as the reason label of mockround_llm_failures_total
// and Error.Reason.
const (
	ReasonTimeout     = "timeout"
	ReasonHTTP429     = "http_429"
	ReasonHTTP5xx     = "http_5xx"
	ReasonHTTP4xx     = "http_4xx"
	ReasonMalformed   = "malformed"
	ReasonCircuitOpen = "circuit_open"
	ReasonNetwork     = "network"
)

var reasons = []string{ReasonTimeout, ReasonHTTP429, ReasonHTTP5xx, ReasonHTTP4xx, ReasonMalformed, ReasonCircuitOpen, ReasonNetwork}

var (
	// ErrCircuitOpen is returned without calling the model while the
	// circuit breaker is open.
	ErrCircuitOpen = errors.New("circuit breaker open")
	// ErrMalformed is returned for a reply that is not what was asked:
	// not JSON, a field missing or out of range, a refusal.
	ErrMalformed = errors.New("malformed reply")
	// ErrTimeout is returned when an attempt outlives Config.Timeout or the
	// call outlives its context's deadline.
	ErrTimeout = errors.New("timed out")
)

// Error is a failed call to the model. It wraps ErrCircuitOpen,
// ErrMalformed, ErrTimeout, an *apiError for HTTP failures, or the
// network error.
type Error struct {
	// Op is grade, followup or jd.
	Op string
	// Reason is one of the Reason constants.
	Reason string
	// StatusCode is the HTTP status for http_* reasons.
	StatusCode int
	Err        error
}

func (e *Error) Error() string {
	return fmt.Sprintf("llm %s: %s: %v", e.Op, e.Reason, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Config says which model to call and how patiently. Zero values take the
// defaults.
type Config struct {
	// BaseURL is the API root, e.g. https://api.openai.com/v1 or
	// http://localhost:11434/v1 (Ollama); requests go to
	// BaseURL/chat/completions.
	BaseURL string
	// Model is the model name the endpoint knows, e.g. gpt-4o-mini or
	// qwen2.5:7b.
	Model string
	// APIKey is sent as a bearer token; empty sends none (local servers).
	APIKey string
	// Timeout bounds each attempt (default 20s). A timed-out attempt is not
	// retried: a model that slow will not be faster the second time, and
	// the user is waiting.
	Timeout time.Duration
	// MaxRetries is how many times a 429, 5xx or network failure is retried
	// (default 2; negative for none).
	MaxRetries int
	// BreakerThreshold is how many calls in a row must fail to open the
	// circuit breaker (default 3).
	BreakerThreshold int
	// BreakerCooldown is how long the breaker stays open before one trial
	// call may go through (default 30s).
	BreakerCooldown time.Duration
	// Now is the clock (default time.Now); tests pass a fake one.
	Now func() time.Time
}

// withDefaults validates c and fills in the defaults.
func (c Config) withDefaults() (Config, error) {
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return c, fmt.Errorf("llm: base URL %q must be an absolute http or https URL", c.BaseURL)
	}
	if strings.TrimSpace(c.Model) == "" {
		return c, errors.New("llm: a model name is required")
	}
	switch {
	case c.Timeout < 0:
		return c, fmt.Errorf("llm: timeout %v must not be negative", c.Timeout)
	case c.Timeout == 0:
		c.Timeout = DefaultTimeout
	}
	switch {
	case c.MaxRetries > maxRetries:
		return c, fmt.Errorf("llm: max retries %d is over %d", c.MaxRetries, maxRetries)
	case c.MaxRetries < 0:
		c.MaxRetries = 0
	case c.MaxRetries == 0:
		c.MaxRetries = DefaultMaxRetries
	}
	switch {
	case c.BreakerThreshold < 0:
		return c, fmt.Errorf("llm: breaker threshold %d must not be negative", c.BreakerThreshold)
	case c.BreakerThreshold == 0:
		c.BreakerThreshold = DefaultBreakerThreshold
	}
	switch {
	case c.BreakerCooldown < 0:
		return c, fmt.Errorf("llm: breaker cooldown %v must not be negative", c.BreakerCooldown)
	case c.BreakerCooldown == 0:
		c.BreakerCooldown = DefaultBreakerCooldown
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c, nil
}

// Client calls the model. It is safe for concurrent use.
type Client struct {
	chat       *chatAPI
	model      string
	timeout    time.Duration
	maxRetries int
	now        func() time.Time
	breaker    *breaker
	metrics    *metrics

	// Retry timing and the wait between attempts are fields so tests can
	// retry without sleeping.
	backoffBase, backoffMax, maxRetryAfter time.Duration
	sleep                                  func(context.Context, time.Duration) error
}

// New returns a client for the model in cfg and registers its metrics on
// reg (none when reg is nil). Only cfg configures the endpoint: no
// environment variable (OPENAI_* included) is read.
func New(cfg Config, reg prometheus.Registerer) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}
	return &Client{
		chat:          newChatAPI(cfg.BaseURL, cfg.APIKey),
		model:         cfg.Model,
		timeout:       cfg.Timeout,
		maxRetries:    cfg.MaxRetries,
		now:           cfg.Now,
		breaker:       newBreaker(cfg.BreakerThreshold, cfg.BreakerCooldown, cfg.Now, m.circuitOpen),
		metrics:       m,
		backoffBase:   backoffBase,
		backoffMax:    backoffMax,
		maxRetryAfter: maxRetryAfter,
		sleep:         sleep,
	}, nil
}

// Model is the name of the model the client calls.
func (c *Client) Model() string { return c.model }

// metrics are the client's Prometheus collectors.
type metrics struct {
	duration    *prometheus.HistogramVec
	failures    *prometheus.CounterVec
	circuitOpen prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "mockround_llm_request_duration_seconds",
			Help:    "Duration of calls to the LLM, retries included, by operation and outcome.",
			Buckets: []float64{0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40},
		}, []string{"op", "outcome"}),
		// Failed attempts, not calls: a flaky server shows here even when a
		// retry hides it from users. The histogram's outcome says how calls
		// ended.
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mockround_llm_failures_total",
			Help: "Failed attempts to call the LLM (retried or not) and calls refused by the open circuit breaker, by operation and reason.",
		}, []string{"op", "reason"}),
		circuitOpen: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "mockround_llm_circuit_open",
			Help: "1 while the circuit breaker keeps calls from the LLM, else 0.",
		}),
	}
	// Every series from zero, so rate() sees the first failure.
	for _, op := range []string{opGrade, opFollowUp, opJD} {
		for _, r := range reasons {
			m.failures.WithLabelValues(op, r)
		}
	}
	if reg == nil {
		return m, nil
	}
	var done []prometheus.Collector
	for _, c := range []prometheus.Collector{m.duration, m.failures, m.circuitOpen} {
		if err := reg.Register(c); err != nil {
			for _, d := range done {
				reg.Unregister(d)
			}
			return nil, fmt.Errorf("llm: register metrics: %w", err)
		}
		done = append(done, c)
	}
	return m, nil
}

// call sends one chat completion for op, retrying as the policy allows, and
// hands the reply's text to parse; a parse error makes the reply malformed.
// It goes through the circuit breaker and records the metrics.
func (c *Client) call(ctx context.Context, op string, req chatRequest, parse func(content string) error) error {
	trial, err := c.breaker.allow()
	if err != nil {
		c.metrics.failures.WithLabelValues(op, ReasonCircuitOpen).Inc()
		return &Error{Op: op, Reason: ReasonCircuitOpen, Err: err}
	}
	req.Model = c.model
	start := c.now()
	err = c.attempts(ctx, op, req, parse)
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	c.metrics.duration.WithLabelValues(op, outcome).Observe(c.now().Sub(start).Seconds())
	switch {
	case err == nil:
		c.breaker.success()
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		// The caller went away: that says nothing about the model.
		c.breaker.release(trial)
	default:
		c.breaker.failure(trial)
	}
	return err
}

// attempts runs the attempts of one call.
func (c *Client) attempts(ctx context.Context, op string, req chatRequest, parse func(string) error) error {
	for attempt := 0; ; attempt++ {
		content, err := c.attempt(ctx, req)
		if err == nil {
			if err := parse(content); err != nil {
				c.metrics.failures.WithLabelValues(op, ReasonMalformed).Inc()
				return &Error{Op: op, Reason: ReasonMalformed, Err: err}
			}
			return nil
		}
		if ctx.Err() != nil {
			return c.ended(ctx, op)
		}
		f := classify(err, c.now())
		c.metrics.failures.WithLabelValues(op, f.reason).Inc()
		failed := &Error{Op: op, Reason: f.reason, StatusCode: f.status, Err: err}
		if !f.retry || attempt >= c.maxRetries {
			return failed
		}
		delay, ok := c.delay(attempt, f)
		if !ok {
			return failed
		}
		// No point waiting for a retry the caller's deadline will not allow.
		// The deadline is on the real clock, so this compares real time.
		if dl, has := ctx.Deadline(); has && time.Until(dl) <= delay {
			return failed
		}
		if err := c.sleep(ctx, delay); err != nil {
			return c.ended(ctx, op)
		}
	}
}

// attempt makes one request, bounded by the per-attempt timeout, and
// returns the text of the first choice.
func (c *Client) attempt(ctx context.Context, req chatRequest) (string, error) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	res, err := c.chat.complete(actx, req)
	if err != nil {
		// However the transport words it, an attempt that outlived its
		// timeout is a timeout.
		if errors.Is(actx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
			return "", fmt.Errorf("%w after %v: %w", ErrTimeout, c.timeout, err)
		}
		return "", err
	}
	if len(res.Choices) == 0 {
		return "", fmt.Errorf("%w: no choices", ErrMalformed)
	}
	msg := res.Choices[0].Message
	if msg.Refusal != "" {
		return "", fmt.Errorf("%w: the model refused: %.200s", ErrMalformed, msg.Refusal)
	}
	return msg.Content, nil
}

// ended is the error for a call whose context ended: a timeout when its
// deadline passed (counted against the model), else the cancellation.
func (c *Client) ended(ctx context.Context, op string) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		c.metrics.failures.WithLabelValues(op, ReasonTimeout).Inc()
		return &Error{Op: op, Reason: ReasonTimeout, Err: fmt.Errorf("%w: %w", ErrTimeout, ctx.Err())}
	}
	return fmt.Errorf("llm %s: %w", op, ctx.Err())
}

// failure is a failed attempt, classified.
type failure struct {
	reason string
	status int
	retry  bool
	// wait is the server's Retry-After, when it sent one.
	wait    time.Duration
	hasWait bool
}

// classify says why an attempt failed and whether to retry it: 429, 5xx
// and network errors are retried, other 4xx, timeouts and malformed
// replies are not.
func classify(err error, now time.Time) failure {
	var apiErr *apiError
	switch {
	case errors.Is(err, ErrTimeout):
		return failure{reason: ReasonTimeout}
	case errors.As(err, &apiErr):
		f := failure{status: apiErr.StatusCode}
		switch {
		case f.status == http.StatusTooManyRequests:
			f.reason, f.retry = ReasonHTTP429, true
		case f.status >= 500:
			f.reason, f.retry = ReasonHTTP5xx, true
		default:
			return failure{reason: ReasonHTTP4xx, status: f.status}
		}
		f.wait, f.hasWait = retryAfter(apiErr.Response, now)
		return f
	case errors.Is(err, ErrMalformed):
		return failure{reason: ReasonMalformed}
	case isNetwork(err):
		return failure{reason: ReasonNetwork, retry: true}
	}
	// What is left is a 2xx body that is not a chat completion.
	return failure{reason: ReasonMalformed}
}

func isNetwork(err error) bool {
	var urlErr *url.Error
	var netErr net.Error
	return errors.As(err, &urlErr) || errors.As(err, &netErr) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// retryAfter reads the server's wish: retry-after-ms (OpenAI), or
// Retry-After in seconds or as an HTTP date.
func retryAfter(res *http.Response, now time.Time) (time.Duration, bool) {
	if res == nil {
		return 0, false
	}
	if v := res.Header.Get("Retry-After-Ms"); v != "" {
		if ms, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && ms >= 0 && ms < 1e9 {
			return time.Duration(ms * float64(time.Millisecond)), true
		}
	}
	v := strings.TrimSpace(res.Header.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(min(s, 1<<20)) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// delay is the wait before retry number attempt+1: the server's
// Retry-After when it sent one (no retry when that is over
// maxRetryAfter), else exponential backoff with equal jitter, so clients
// that failed together do not retry together.
func (c *Client) delay(attempt int, f failure) (time.Duration, bool) {
	if f.hasWait {
		if f.wait > c.maxRetryAfter {
			return 0, false
		}
		return f.wait, true
	}
	d := c.backoffMax
	if attempt < 16 {
		d = min(c.backoffBase<<attempt, c.backoffMax)
	}
	half := d / 2
	return half + rand.N(d-half+1), true
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// describe is a short reason for a failed call that a user can read next
// to the rubric's grade.
func describe(err error) string {
	var e *Error
	if !errors.As(err, &e) {
		if errors.Is(err, context.Canceled) {
			return "the request was cancelled"
		}
		return "the model could not be asked"
	}
	switch e.Reason {
	case ReasonTimeout:
		return "the model did not reply in time"
	case ReasonHTTP429:
		return "the model's server is rate limiting requests"
	case ReasonHTTP5xx:
		return fmt.Sprintf("the model's server failed (HTTP %d)", e.StatusCode)
	case ReasonHTTP4xx:
		return fmt.Sprintf("the model's server refused the request (HTTP %d)", e.StatusCode)
	case ReasonMalformed:
		return "the model's reply could not be read"
	case ReasonCircuitOpen:
		return "the model is paused after repeated failures"
	case ReasonNetwork:
		return "the model's server could not be reached"
	}
	return "the model could not be asked"
}
