package llm

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestNewConfig(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cfg     Config
		wantErr string
		// the effective settings when valid
		timeout    time.Duration
		maxRetries int
		threshold  int
		cooldown   time.Duration
	}{
		{name: "OK/Defaults", cfg: Config{BaseURL: "http://localhost:11434/v1", Model: "qwen2.5:7b"},
			timeout: DefaultTimeout, maxRetries: DefaultMaxRetries, threshold: DefaultBreakerThreshold, cooldown: DefaultBreakerCooldown},
		{name: "OK/Explicit", cfg: Config{BaseURL: "https://api.example.com/v1", Model: "m", Timeout: time.Second, MaxRetries: 4, BreakerThreshold: 5, BreakerCooldown: time.Minute},
			timeout: time.Second, maxRetries: 4, threshold: 5, cooldown: time.Minute},
		{name: "OK/NoRetries", cfg: Config{BaseURL: "http://127.0.0.1:8080", Model: "m", MaxRetries: -1},
			timeout: DefaultTimeout, maxRetries: 0, threshold: DefaultBreakerThreshold, cooldown: DefaultBreakerCooldown},
		{name: "ErrNoBaseURL", cfg: Config{Model: "m"}, wantErr: "absolute http or https URL"},
		{name: "ErrRelativeBaseURL", cfg: Config{BaseURL: "/v1", Model: "m"}, wantErr: "absolute http or https URL"},
		{name: "ErrNoHost", cfg: Config{BaseURL: "http:///v1", Model: "m"}, wantErr: "absolute http or https URL"},
		{name: "ErrScheme", cfg: Config{BaseURL: "ftp://example.com", Model: "m"}, wantErr: "absolute http or https URL"},
		{name: "ErrNoModel", cfg: Config{BaseURL: "http://localhost:8080", Model: "  "}, wantErr: "model name is required"},
		{name: "ErrNegativeTimeout", cfg: Config{BaseURL: "http://localhost:8080", Model: "m", Timeout: -time.Second}, wantErr: "timeout"},
		{name: "ErrTooManyRetries", cfg: Config{BaseURL: "http://localhost:8080", Model: "m", MaxRetries: 11}, wantErr: "max retries"},
		{name: "ErrNegativeThreshold", cfg: Config{BaseURL: "http://localhost:8080", Model: "m", BreakerThreshold: -1}, wantErr: "breaker threshold"},
		{name: "ErrNegativeCooldown", cfg: Config{BaseURL: "http://localhost:8080", Model: "m", BreakerCooldown: -time.Second}, wantErr: "breaker cooldown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(tc.cfg, nil)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if c.timeout != tc.timeout || c.maxRetries != tc.maxRetries || c.breaker.threshold != tc.threshold || c.breaker.cooldown != tc.cooldown {
				t.Errorf("settings = %v, %d retries, threshold %d, cooldown %v; want %v, %d, %d, %v",
					c.timeout, c.maxRetries, c.breaker.threshold, c.breaker.cooldown, tc.timeout, tc.maxRetries, tc.threshold, tc.cooldown)
			}
			if c.Model() != tc.cfg.Model || c.now == nil {
				t.Errorf("model %q, clock set %v", c.Model(), c.now != nil)
			}
		})
	}
}

func TestNewRegistersMetricsOnce(t *testing.T) {
	reg := prometheus.NewRegistry()
	cfg := Config{BaseURL: "http://localhost:8080", Model: "m"}
	if _, err := New(cfg, reg); err != nil {
		t.Fatalf("first New: %v", err)
	}
	if _, err := New(cfg, reg); err == nil || !strings.Contains(err.Error(), "register metrics") {
		t.Errorf("second New on the same registry: err = %v, want a registration error", err)
	}
	if n, err := testutil.GatherAndCount(reg, "mockround_llm_failures_total", "mockround_llm_circuit_open"); err != nil || n != 3*len(reasons)+1 {
		t.Errorf("registered series = %d (%v), want every op × reason and the gauge", n, err)
	}
}

// TestNewIgnoresOpenAIEnvironment: only Config says where requests go and
// with which key, whatever OPENAI_* variables the process has.
func TestNewIgnoresOpenAIEnvironment(t *testing.T) {
	t.Setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/v1")
	t.Setenv("OPENAI_API_KEY", "sk-from-env")
	t.Setenv("OPENAI_ORG_ID", "org-from-env")
	t.Setenv("OPENAI_CUSTOM_HEADERS", "X-Leak: yes")
	q := question(t, "api-idempotent-retries")
	for _, tc := range []struct {
		name, key, wantAuth string
	}{
		{"OK/NoKey", "", ""},
		{"OK/Key", "sk-config", "Bearer sk-config"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, seq(ok(`{"followup":"Why?"}`)), func(c *Config) { c.APIKey = tc.key })
			if _, err := h.c.PhraseFollowUp(context.Background(), q, nil, "Why?"); err != nil {
				t.Fatalf("PhraseFollowUp: %v", err)
			}
			hdr := h.fake.request(0).Header
			if got := hdr.Get("Authorization"); got != tc.wantAuth {
				t.Errorf("Authorization = %q, want %q", got, tc.wantAuth)
			}
			if hdr.Get("X-Leak") != "" || hdr.Get("OpenAI-Organization") != "" {
				t.Errorf("environment leaked into the request: %v", hdr)
			}
		})
	}
}

// TestRetries runs one Grade call per case against a scripted server and
// checks how many requests it made, the waits between them, the error and
// the metrics.
func TestRetries(t *testing.T) {
	q := question(t, "api-idempotent-retries")
	_, g := loadBank(t)
	rubric, err := g.Grade(q, q.ShallowAnswer)
	if err != nil {
		t.Fatal(err)
	}
	good := ok(gradeJSON(t, rubric.Dimensions))
	for _, tc := range []struct {
		name      string
		replies   []reply
		requests  int
		waits     [][2]time.Duration // the range each wait must fall in
		reason    string             // "" for success
		status    int
		failures  map[string]float64 // grade failures by reason
		malformed bool
	}{
		{name: "OK/FirstTime", replies: []reply{good}, requests: 1},
		{name: "OK/500ThenSuccess", replies: []reply{status(500), good}, requests: 2,
			waits: [][2]time.Duration{{100 * time.Millisecond, 200 * time.Millisecond}}, failures: map[string]float64{ReasonHTTP5xx: 1}},
		{name: "OK/429RetryAfterThenSuccess", replies: []reply{{status: 429, header: map[string]string{"Retry-After": "1"}}, good}, requests: 2,
			waits: [][2]time.Duration{{time.Second, time.Second}}, failures: map[string]float64{ReasonHTTP429: 1}},
		{name: "OK/503RetryAfterDateThenSuccess", replies: []reply{{status: 503, header: map[string]string{"Retry-After": epoch.Add(3 * time.Second).Format(http.TimeFormat)}}, good}, requests: 2,
			waits: [][2]time.Duration{{3 * time.Second, 3 * time.Second}}, failures: map[string]float64{ReasonHTTP5xx: 1}},
		{name: "OK/NetworkErrorThenSuccess", replies: []reply{{hangup: true}, good}, requests: 2,
			waits: [][2]time.Duration{{100 * time.Millisecond, 200 * time.Millisecond}}, failures: map[string]float64{ReasonNetwork: 1}},
		{name: "Err5xxPersistent", replies: []reply{status(502)}, requests: 3,
			waits:  [][2]time.Duration{{100 * time.Millisecond, 200 * time.Millisecond}, {200 * time.Millisecond, 400 * time.Millisecond}},
			reason: ReasonHTTP5xx, status: 502, failures: map[string]float64{ReasonHTTP5xx: 3}},
		{name: "Err429AfterRetries", replies: []reply{status(429)}, requests: 3,
			waits:  [][2]time.Duration{{100 * time.Millisecond, 200 * time.Millisecond}, {200 * time.Millisecond, 400 * time.Millisecond}},
			reason: ReasonHTTP429, status: 429, failures: map[string]float64{ReasonHTTP429: 3}},
		{name: "Err429RetryAfterTooLong", replies: []reply{{status: 429, header: map[string]string{"Retry-After": "120"}}}, requests: 1,
			reason: ReasonHTTP429, status: 429, failures: map[string]float64{ReasonHTTP429: 1}},
		{name: "Err400NotRetried", replies: []reply{status(400)}, requests: 1,
			reason: ReasonHTTP4xx, status: 400, failures: map[string]float64{ReasonHTTP4xx: 1}},
		{name: "ErrMalformedContent", replies: []reply{ok("Sure! Here are the scores: 8, 7, 6.")}, requests: 1,
			reason: ReasonMalformed, malformed: true, failures: map[string]float64{ReasonMalformed: 1}},
		{name: "ErrMalformedBody", replies: []reply{{body: "<html>upstream says hi</html>", header: map[string]string{"Content-Type": "text/html"}}}, requests: 1,
			reason: ReasonMalformed, failures: map[string]float64{ReasonMalformed: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, seq(tc.replies...), nil)
			got, err := h.c.Grade(context.Background(), q, q.ShallowAnswer, rubric)

			if n := h.fake.count(); n != tc.requests {
				t.Errorf("requests = %d, want %d", n, tc.requests)
			}
			waits := h.waits()
			if len(waits) != len(tc.waits) {
				t.Errorf("waits = %v, want %d", waits, len(tc.waits))
			}
			for i := range min(len(waits), len(tc.waits)) {
				if waits[i] < tc.waits[i][0] || waits[i] > tc.waits[i][1] {
					t.Errorf("wait %d = %v, want within %v", i, waits[i], tc.waits[i])
				}
			}
			if tc.reason == "" {
				if err != nil || got.Grader != "llm+rubric" {
					t.Fatalf("Grade = %q, %v; want a model grade", got.Grader, err)
				}
			} else {
				var e *Error
				if !errors.As(err, &e) || e.Reason != tc.reason || e.StatusCode != tc.status || e.Op != opGrade {
					t.Fatalf("err = %v, want an *Error for grade with reason %s, status %d", err, tc.reason, tc.status)
				}
				if errors.Is(err, ErrMalformed) != tc.malformed {
					t.Errorf("errors.Is(err, ErrMalformed) = %v, want %v", !tc.malformed, tc.malformed)
				}
			}
			for _, r := range reasons {
				if got := testutil.ToFloat64(h.c.metrics.failures.WithLabelValues(opGrade, r)); got != tc.failures[r] {
					t.Errorf("failures{grade,%s} = %v, want %v", r, got, tc.failures[r])
				}
			}
			wantOK, wantErr := uint64(1), uint64(0)
			if tc.reason != "" {
				wantOK, wantErr = 0, 1
			}
			if o, e := h.observed(t, opGrade, "ok"), h.observed(t, opGrade, "error"); o != wantOK || e != wantErr {
				t.Errorf("duration observations ok=%d error=%d, want %d and %d", o, e, wantOK, wantErr)
			}
		})
	}
}

// TestCallerContext: a caller that goes away does not count against the
// model; a caller's deadline that passes during a retry wait is a timeout.
func TestCallerContext(t *testing.T) {
	q := question(t, "api-idempotent-retries")
	t.Run("Canceled", func(t *testing.T) {
		h := newHarness(t, seq(status(500)), func(c *Config) { c.BreakerThreshold = 1 })
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		for range 3 {
			if _, err := h.c.PhraseFollowUp(ctx, q, nil, "Why?"); !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
		}
		if got := testutil.ToFloat64(h.c.metrics.circuitOpen); got != 0 {
			t.Errorf("circuit open = %v: cancelled calls opened the breaker", got)
		}
		for _, r := range reasons {
			if got := testutil.ToFloat64(h.c.metrics.failures.WithLabelValues(opFollowUp, r)); got != 0 {
				t.Errorf("failures{followup,%s} = %v, want 0", r, got)
			}
		}
	})
	t.Run("DeadlineDuringWait", func(t *testing.T) {
		h := newHarness(t, seq(status(500)), nil)
		h.c.backoffBase = 10 * time.Millisecond
		// A wait that outlasts the caller's deadline.
		h.c.sleep = func(ctx context.Context, _ time.Duration) error {
			<-ctx.Done()
			return ctx.Err()
		}
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := h.c.PhraseFollowUp(ctx, q, nil, "Why?")
		var e *Error
		if !errors.As(err, &e) || e.Reason != ReasonTimeout || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want a timeout", err)
		}
		if got := testutil.ToFloat64(h.c.metrics.failures.WithLabelValues(opFollowUp, ReasonTimeout)); got != 1 {
			t.Errorf("failures{followup,timeout} = %v, want 1", got)
		}
	})
	t.Run("DeadlineTooCloseToWait", func(t *testing.T) {
		h := newHarness(t, seq(status(503)), nil)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := h.c.PhraseFollowUp(ctx, q, nil, "Why?")
		var e *Error
		if !errors.As(err, &e) || e.Reason != ReasonHTTP5xx {
			t.Fatalf("err = %v, want the 503 back at once", err)
		}
		if w := h.waits(); len(w) != 0 || h.fake.count() != 1 {
			t.Errorf("waited %v over %d requests: a retry the deadline cannot allow", w, h.fake.count())
		}
	})
}

func TestDescribe(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&Error{Reason: ReasonTimeout}, "the model did not reply in time"},
		{&Error{Reason: ReasonHTTP429, StatusCode: 429}, "the model's server is rate limiting requests"},
		{&Error{Reason: ReasonHTTP5xx, StatusCode: 503}, "the model's server failed (HTTP 503)"},
		{&Error{Reason: ReasonHTTP4xx, StatusCode: 401}, "the model's server refused the request (HTTP 401)"},
		{&Error{Reason: ReasonMalformed}, "the model's reply could not be read"},
		{&Error{Reason: ReasonCircuitOpen}, "the model is paused after repeated failures"},
		{&Error{Reason: ReasonNetwork}, "the model's server could not be reached"},
		{context.Canceled, "the request was cancelled"},
	} {
		if got := describe(tc.err); got != tc.want {
			t.Errorf("describe(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
