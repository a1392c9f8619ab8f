package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mockround/mockround/interview/grader"
	"github.com/prometheus/client_golang/prometheus"
)

// epoch is the fake clock's start.
var epoch = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// sentRequest is what the fake server reads of a chat-completions request.
type sentRequest struct {
	Model    string `json:"model"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
	ResponseFormat struct {
		Type       string `json:"type"`
		JSONSchema struct {
			Name   string         `json:"name"`
			Strict bool           `json:"strict"`
			Schema map[string]any `json:"schema"`
		} `json:"json_schema"`
	} `json:"response_format"`
	// Header is the request's HTTP header.
	Header http.Header `json:"-"`
}

// message returns the content of the first message with the role.
func (r sentRequest) message(role string) string {
	for _, m := range r.Messages {
		if m.Role == role {
			return m.Content
		}
	}
	return ""
}

// reply is what the fake server does with one request.
type reply struct {
	status  int               // HTTP status; 0 is 200
	header  map[string]string // extra response headers
	content string            // the assistant's message content, for 200
	body    string            // a raw body instead of a chat completion
	hang    bool              // never reply: wait for the client to give up
	hangup  bool              // close the connection without a reply
	release chan struct{}     // wait for this to close before replying
}

func ok(content string) reply { return reply{content: content} }

func status(code int) reply { return reply{status: code} }

// seq replies in order; the last reply repeats.
func seq(rs ...reply) func(int, sentRequest) reply {
	return func(n int, _ sentRequest) reply { return rs[min(n, len(rs)-1)] }
}

// byFormat replies by the name of the requested response format.
func byFormat(rs map[string]reply) func(int, sentRequest) reply {
	return func(_ int, r sentRequest) reply { return rs[r.ResponseFormat.JSONSchema.Name] }
}

// fakeLLM is an OpenAI-compatible chat-completions server with scripted
// replies. It records every request it receives.
type fakeLLM struct {
	t       *testing.T
	srv     *httptest.Server
	respond func(n int, r sentRequest) reply

	mu       sync.Mutex
	requests []sentRequest
	// received gets each request's number as it arrives, when not nil.
	received chan<- int
}

func newFakeLLM(t *testing.T, respond func(int, sentRequest) reply) *fakeLLM {
	f := &fakeLLM{t: t, respond: respond}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeLLM) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		f.t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		f.t.Errorf("read request: %v", err)
		return
	}
	var req sentRequest
	if err := json.Unmarshal(body, &req); err != nil {
		f.t.Errorf("decode request %s: %v", body, err)
	}
	req.Header = r.Header.Clone()
	f.mu.Lock()
	n := len(f.requests)
	f.requests = append(f.requests, req)
	received := f.received
	f.mu.Unlock()
	if received != nil {
		received <- n
	}

	rep := f.respond(n, req)
	switch {
	case rep.hang:
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
			f.t.Error("the client did not give up on a hanging request")
		}
		return
	case rep.hangup:
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			f.t.Errorf("hijack: %v", err)
			return
		}
		_ = conn.Close()
		return
	case rep.release != nil:
		select {
		case <-rep.release:
		case <-r.Context().Done():
			return
		}
	}
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	if rep.body != "" {
		w.WriteHeader(max(rep.status, http.StatusOK))
		_, _ = io.WriteString(w, rep.body)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if rep.status != 0 && rep.status != http.StatusOK {
		w.WriteHeader(rep.status)
		fmt.Fprintf(w, `{"error":{"message":"scripted failure","type":"server_error","param":null,"code":null}}`)
		return
	}
	out, err := json.Marshal(map[string]any{
		"id": fmt.Sprintf("chatcmpl-%d", n), "object": "chat.completion", "created": epoch.Unix(), "model": req.Model,
		"choices": []map[string]any{{
			"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": rep.content},
		}},
	})
	if err != nil {
		f.t.Errorf("encode reply: %v", err)
	}
	_, _ = w.Write(out)
}

// notify sends each request's number to ch from now on.
func (f *fakeLLM) notify(ch chan<- int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.received = ch
}

// count is how many requests the server received.
func (f *fakeLLM) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

// request returns request n.
func (f *fakeLLM) request(n int) sentRequest {
	f.t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if n >= len(f.requests) {
		f.t.Fatalf("request %d not received (got %d)", n, len(f.requests))
	}
	return f.requests[n]
}

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// harness is a client wired to a fake server, a fake clock and a private
// registry; it records the waits between retries instead of sleeping.
type harness struct {
	c     *Client
	fake  *fakeLLM
	clock *fakeClock
	reg   *prometheus.Registry

	mu     sync.Mutex
	sleeps []time.Duration
}

// newHarness starts a fake server replying with respond and a client for
// it; configure adjusts the client's config (nil keeps the test defaults:
// a generous timeout, the default retries and breaker).
func newHarness(t *testing.T, respond func(int, sentRequest) reply, configure func(*Config)) *harness {
	t.Helper()
	h := &harness{fake: newFakeLLM(t, respond), clock: &fakeClock{now: epoch}, reg: prometheus.NewRegistry()}
	cfg := Config{BaseURL: h.fake.srv.URL + "/v1", Model: "test-model", Timeout: 5 * time.Second, Now: h.clock.Now}
	if configure != nil {
		configure(&cfg)
	}
	c, err := New(cfg, h.reg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	c.sleep = func(ctx context.Context, d time.Duration) error {
		h.mu.Lock()
		h.sleeps = append(h.sleeps, d)
		h.mu.Unlock()
		return ctx.Err()
	}
	h.c = c
	return h
}

func (h *harness) waits() []time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]time.Duration(nil), h.sleeps...)
}

// observed is how many calls the duration histogram saw for op and outcome.
func (h *harness) observed(t *testing.T, op, outcome string) uint64 {
	t.Helper()
	mfs, err := h.reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "mockround_llm_request_duration_seconds" {
			continue
		}
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["op"] == op && labels["outcome"] == outcome {
				return m.GetHistogram().GetSampleCount()
			}
		}
	}
	return 0
}

// The real bank, loaded once for every test.
var (
	bankOnce sync.Once
	bank     *grader.Bank
	bankErr  error
)

func loadBank(t *testing.T) (*grader.Bank, *grader.Grader) {
	t.Helper()
	bankOnce.Do(func() { bank, bankErr = grader.LoadBank() })
	if bankErr != nil {
		t.Fatalf("load bank: %v", bankErr)
	}
	return bank, grader.NewGrader(bank)
}

func question(t *testing.T, id string) *grader.Question {
	t.Helper()
	b, _ := loadBank(t)
	q, found := b.Question(id)
	if !found {
		t.Fatalf("no question %s", id)
	}
	return q
}

// gradeJSON is a model's grade with every dimension at its score in dims.
func gradeJSON(t *testing.T, dims grader.Dimensions) string {
	t.Helper()
	reply := map[string]any{"feedback": "Say what the server does with a retry that arrives after success."}
	for _, name := range grader.DimensionNames {
		reply[name] = map[string]any{"score": dims.Get(name), "reason": "Because of the answer's " + name + "."}
	}
	out, err := json.Marshal(reply)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// allTens is a model that gives every dimension a 10.
var allTens = grader.Dimensions{Accuracy: 10, Depth: 10, Tradeoffs: 10, Structure: 10, Specificity: 10, Communication: 10}

// block returns the text inside the first tag block of s, and s without it.
func block(t *testing.T, s, tag string) (inside, outside string) {
	t.Helper()
	open, closing := "<"+tag+">\n", "\n</"+tag+">"
	i := strings.Index(s, open)
	j := strings.Index(s, closing)
	if i < 0 || j < i {
		t.Fatalf("no %s block in %q", tag, s)
	}
	return s[i+len(open) : j], s[:i] + s[j+len(closing):]
}
