package handlers

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/interview/llm"
)

// fakeLLM speaks the chat-completions API: it grades every dimension 9,
// phrases follow-ups, and reads job descriptions — or fails with 500 while
// down is set.
type fakeLLM struct {
	srv  *httptest.Server
	down atomic.Bool
}

func newFakeLLM(t *testing.T) *fakeLLM {
	f := &fakeLLM{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.down.Load() {
			http.Error(w, `{"error":{"message":"down"}}`, http.StatusInternalServerError)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var content string
		switch s := string(body); {
		case strings.Contains(s, `"name":"followup"`):
			content = `{"followup":"You mentioned a cache: what happens when one key takes most of the traffic?"}`
		case strings.Contains(s, `"name":"job_description"`):
			content = `{"stack":"go","technologies":["cockroachdb"],"level":"senior"}`
		default:
			dim := `{"score":9,"reason":"Clear and specific."}`
			content = `{"accuracy":` + dim + `,"depth":` + dim + `,"tradeoffs":` + dim + `,"structure":` + dim +
				`,"specificity":` + dim + `,"communication":` + dim + `,"feedback":"Name the failure mode before the fix."}`
		}
		reply := map[string]any{"id": "c1", "object": "chat.completion", "created": time.Now().Unix(), "model": "fake-model",
			"choices": []any{map[string]any{"index": 0, "finish_reason": "stop", "message": map[string]any{"role": "assistant", "content": content}}}}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(reply)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// llmApp is a local-mode app whose interviewer is the fake model.
func llmApp(t *testing.T, f *fakeLLM) *testApp {
	t.Helper()
	app := sqliteApp(t)
	client, err := llm.New(llm.Config{BaseURL: f.srv.URL, Model: "fake-model", Timeout: 2 * time.Second, MaxRetries: -1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	app.h.Grader = llm.TurnGrader{Rubric: grader.NewGrader(app.h.Bank), Client: client}
	app.h.LLMModel = "fake-model"
	return app
}

func TestRoundWithLLM(t *testing.T) {
	f := newFakeLLM(t)
	app := llmApp(t, f)
	round := app.startDrill("caching", 1, "study")
	_, prompt, pos, step := app.current(round)
	q := questionByPrompt(t, app.h.Bank, prompt)
	app.post(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {q.ShallowAnswer}})
	doc, followUp, _, _ := app.current(round)
	if followUp != "You mentioned a cache: what happens when one key takes most of the traffic?" {
		t.Errorf("the model should phrase the follow-up, got %q", followUp)
	}
	note := doc.Find(`[data-testid="grader-note"]`).Text()
	if !strings.Contains(note, "fake-model") || !strings.Contains(note, "rubric alone gave") {
		t.Errorf("the feedback should say both graders: %q", note)
	}
}

func TestLLMDownFallsBackVisiblyAndRegrades(t *testing.T) {
	f := newFakeLLM(t)
	f.down.Store(true)
	app := llmApp(t, f)
	round := app.startDrill("caching", 2, "interview")
	_, prompt, pos, step := app.current(round)
	q := questionByPrompt(t, app.h.Bank, prompt)
	app.post(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {q.ModelAnswer}})
	_, doc := app.get(round)
	if !strings.Contains(doc.Find(`[data-testid="notice"]`).Text(), "rubric engine graded it") {
		t.Error("the round should say the answer was graded by the rubric alone")
	}
	app.post(round+"/end", nil)

	_, doc = app.get(round + "/report")
	if doc.Find(`[data-testid="model-fallback"]`).Length() == 0 {
		t.Fatal("the report should mark the rubric's fallback grade")
	}
	_, csv := app.do(http.MethodGet, "/export.csv", nil, nil)
	if !strings.Contains(csv, "HTTP 500") && !strings.Contains(csv, "server failed") {
		t.Errorf("the CSV export should carry the model's error:\n%s", csv)
	}
	regrade, ok := doc.Find(`[data-testid="regrade"]`).Closest("form").Attr("action")
	if !ok {
		t.Fatal("no re-grade button on a fallback grade")
	}
	// The model is back: grade again.
	f.down.Store(false)
	res, _ := app.post(regrade, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("regrade: %d", res.StatusCode)
	}
	_, doc = app.get(round + "/report")
	if doc.Find(`[data-testid="model-fallback"]`).Length() != 0 || !strings.Contains(doc.Find(`[data-testid="grader-note"]`).Text(), "fake-model") {
		t.Error("after the re-grade the report should show the model's grade")
	}
	if !strings.Contains(doc.Find(`[data-testid="graders"]`).Text(), "llm+rubric") {
		t.Errorf("the round's graders: %q", doc.Find(`[data-testid="graders"]`).Text())
	}
}

func TestJDAnalysedWithLLM(t *testing.T) {
	f := newFakeLLM(t)
	app := llmApp(t, f)
	client, _ := llm.New(llm.Config{BaseURL: f.srv.URL, Model: "fake-model", MaxRetries: -1}, nil)
	app.h.AnalyzeJD = client.AnalyzeJDMerged
	// "Analyse" asks the model: its technologies join the built-in ones.
	res, body := app.post("/rounds", url.Values{"action": {"analyse"}, "stack": {"go"}, "level": {"middle"}, "type": {"screening"},
		"feedback": {"study"}, "jd": {"Backend engineer: Go, PostgreSQL and Redis, distributed SQL."}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("analyse: %d", res.StatusCode)
	}
	doc := parseDoc(t, body)
	var chips []string
	doc.Find(`[data-testid="jd-chips"] input`).Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("value")
		chips = append(chips, v)
	})
	if strings.Join(chips, ",") != "postgresql,redis,sql,cockroachdb" {
		t.Errorf("chips %v: want the built-in ones, then the model's", chips)
	}
	// The model down: the built-in analysis stands.
	f.down.Store(true)
	_, body = app.post("/rounds", url.Values{"action": {"analyse"}, "jd": {"Go, PostgreSQL"}})
	if !strings.Contains(body, `value="postgresql"`) {
		t.Error("with the model down the built-in chips should still show")
	}
}
