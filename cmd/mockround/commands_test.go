package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// runCmd runs a subcommand with stdin and returns stdout, stderr and the
// error.
func runCmd(t *testing.T, env map[string]string, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, envOf(env), strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestGradeQuestion(t *testing.T) {
	out, _, err := runCmd(t, nil, "Yeah, we'd cache it.", "grade", "--question", "cache-read-volume-tripled")
	if err != nil {
		t.Fatal(err)
	}
	var res map[string]any
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out)
	}
	for _, field := range []string{"question_id", "overall", "dimensions", "hits", "misses", "red_flags", "followup", "status", "grader"} {
		if _, ok := res[field]; !ok {
			t.Errorf("field %s missing", field)
		}
	}
	dims := res["dimensions"].(map[string]any)
	for _, d := range []string{"accuracy", "depth", "tradeoffs", "structure", "specificity", "communication"} {
		if _, ok := dims[d]; !ok {
			t.Errorf("dimension %s missing", d)
		}
	}
	if o := res["overall"].(float64); o < 4 || o > 5 {
		t.Errorf("a correct but shallow answer graded %v, want 4-5", o)
	}
	if res["grader"] != "rubric" || res["status"] != "graded" {
		t.Errorf("grader %v status %v", res["grader"], res["status"])
	}
}

func TestGradeJSONL(t *testing.T) {
	in := strings.Join([]string{
		`{"question_id":"api-pagination","answer":"Use limit and offset."}`,
		`{"question_id":"no-such-question","answer":"x"}`,
		`not json`,
		`{"question_id":"api-pagination","answer":"I don't know."}`,
	}, "\n")
	out, _, err := runCmd(t, nil, in, "grade", "--jsonl")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines for 4 inputs:\n%s", len(lines), out)
	}
	var first, second, third, fourth map[string]any
	for i, dst := range []*map[string]any{&first, &second, &third, &fourth} {
		if err := json.Unmarshal([]byte(lines[i]), dst); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
	}
	if first["question_id"] != "api-pagination" || first["overall"] == nil {
		t.Errorf("line 1: %v", first)
	}
	if second["error"] == nil || second["question_id"] != "no-such-question" {
		t.Errorf("line 2 should be an error line: %v", second)
	}
	if third["error"] == nil {
		t.Errorf("line 3 should be an error line: %v", third)
	}
	if fourth["status"] != "insufficient" || fourth["overall"].(float64) != 0 {
		t.Errorf("line 4: %v", fourth)
	}
}

func TestGradeRefusesOverLong(t *testing.T) {
	_, _, err := runCmd(t, nil, strings.Repeat("a", 20001), "grade", "--question", "api-pagination")
	if err == nil || !strings.Contains(err.Error(), "20000") {
		t.Errorf("err = %v", err)
	}
	out, _, err := runCmd(t, nil, `{"question_id":"api-pagination","answer":"`+strings.Repeat("a", 20001)+`"}`, "grade", "--jsonl")
	if err != nil || !strings.Contains(out, `"error"`) {
		t.Errorf("jsonl over-long: %v %s", err, out)
	}
}

func TestGradeUsage(t *testing.T) {
	_, _, err := runCmd(t, nil, "", "grade")
	if exitCode(err) != 2 {
		t.Errorf("grade without a mode: %v", err)
	}
	_, _, err = runCmd(t, nil, "x", "grade", "--question", "nope")
	if err == nil {
		t.Error("an unknown question id was graded")
	}
}

func TestJDCommand(t *testing.T) {
	out, _, err := runCmd(t, nil, "Senior Python engineer, 6+ years, Django, PostgreSQL, Redis, Kafka, Kubernetes.", "jd")
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Stack        string             `json:"stack"`
		Technologies []string           `json:"technologies"`
		Level        string             `json:"level"`
		Areas        map[string]float64 `json:"areas"`
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	if a.Stack != "python" || a.Level != "senior" || strings.Join(a.Technologies, ",") != "postgresql,redis,kafka,kubernetes" {
		t.Errorf("%+v", a)
	}
	sum := 0.0
	for _, w := range a.Areas {
		sum += w
	}
	if sum < 0.999 || sum > 1.001 {
		t.Errorf("areas sum to %v", sum)
	}
	if _, _, err := runCmd(t, nil, strings.Repeat("x", 50001), "jd"); err == nil {
		t.Error("an over-long job description was accepted")
	}
}

func TestPlanCommand(t *testing.T) {
	out, _, err := runCmd(t, nil, "", "plan", "--stack", "go", "--level", "senior", "--type", "full", "--seed", "3")
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		Questions []struct {
			ID, Area, Skill, Level, Kind string
		} `json:"questions"`
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Questions) != 10 {
		t.Fatalf("%d questions", len(p.Questions))
	}
	kinds := map[string]int{}
	for _, q := range p.Questions {
		kinds[q.Kind]++
		if q.ID == "" || q.Area == "" || q.Skill == "" || q.Level == "" {
			t.Errorf("incomplete entry %+v", q)
		}
	}
	if kinds["system-design"] != 1 || kinds["behavioral"] == 0 {
		t.Errorf("a senior full interview: %v", kinds)
	}
	again, _, _ := runCmd(t, nil, "", "plan", "--stack", "go", "--level", "senior", "--type", "full", "--seed", "3")
	if again != out {
		t.Error("the same seed planned differently")
	}
	jd := filepath.Join(t.TempDir(), "jd.txt")
	os.WriteFile(jd, []byte("Go engineer: Kafka, RabbitMQ, queues, streaming, concurrency."), 0o644)
	if _, _, err := runCmd(t, nil, "", "plan", "--stack", "go", "--level", "middle", "--type", "screening", "--jd", jd); err != nil {
		t.Errorf("with --jd: %v", err)
	}
	if _, _, err := runCmd(t, nil, "", "plan", "--stack", "cobol", "--level", "middle"); exitCode(err) != 2 {
		t.Errorf("unknown stack: %v", err)
	}
	out, _, err = runCmd(t, nil, "", "plan", "--stack", "node", "--level", "junior", "--type", "drill", "--area", "caching")
	if err != nil || strings.Count(out, `"area":"caching"`) != 5 {
		t.Errorf("drill: %v %s", err, out)
	}
}

func TestBankCommands(t *testing.T) {
	out, _, err := runCmd(t, nil, "", "bank", "stats", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Total   int            `json:"total"`
		ByArea  map[string]int `json:"by_area"`
		ByLevel map[string]int `json:"by_level"`
		ByStack map[string]int `json:"by_stack"`
		ByKind  map[string]int `json:"by_kind"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	if st.Total < 270 || st.ByArea["databases"] < 35 || st.ByKind["system-design"] < 24 || len(st.ByLevel) != 3 || st.ByStack["any"] == 0 {
		t.Errorf("stats %+v", st)
	}
	if out, _, err := runCmd(t, nil, "", "bank", "validate"); err != nil || !strings.HasPrefix(out, "bank ok") {
		t.Errorf("validate: %v %s", err, out)
	}

	// A team's extra bank with mistakes: named by file and line, exit 1.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "team.yaml"), []byte(`- id: api-pagination
  area: cooking
  skill: apis/pagination
  stacks: [rust]
  levels: [staff]
  kind: screening
  prompt: Duplicate id and bad values.
  key_points:
    - id: a
      text: A
      weight: 1
      any: []
  tradeoffs: [x]
  follow_ups:
    - if_missing: nope
      prompt: What?
  model_answer: ""
  shallow_answer: ""
`), 0o644)
	_, errOut, err := runCmd(t, map[string]string{"MOCKROUND_BANK_DIR": dir}, "", "bank", "validate")
	if exitCode(err) != 1 {
		t.Fatalf("invalid bank: err %v", err)
	}
	for _, want := range []string{"team.yaml:1", "duplicate id", "unknown area", "unknown stack", "unknown level", "no phrasings", "unknown key point", "missing model_answer", "missing shallow_answer"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("validate output lacks %q", want)
		}
	}
	// Start-up refuses the same bank with the same messages.
	_, _, err = runCmd(t, map[string]string{"MOCKROUND_BANK_DIR": dir, "DATA_DIR": t.TempDir(), "ADDR": "127.0.0.1:0"}, "", "serve")
	if err == nil || !strings.Contains(err.Error(), "duplicate id") {
		t.Errorf("serve with an invalid bank: %v", err)
	}
}

// TestGradeWithLLM: with a model configured, grade says which grader
// produced the score, and carries llm_error when the model failed.
func TestGradeWithLLM(t *testing.T) {
	var down atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			http.Error(w, "down", http.StatusBadGateway)
			return
		}
		body, _ := io.ReadAll(r.Body)
		content := `{"followup":"And if one key is hot?"}`
		if !strings.Contains(string(body), `"name":"followup"`) {
			dim := `{"score":7,"reason":"ok"}`
			content = `{"accuracy":` + dim + `,"depth":` + dim + `,"tradeoffs":` + dim + `,"structure":` + dim + `,"specificity":` + dim + `,"communication":` + dim + `,"feedback":"fine"}`
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"id": "x", "object": "chat.completion", "created": 1, "model": "m",
			"choices": []any{map[string]any{"index": 0, "finish_reason": "stop", "message": map[string]any{"role": "assistant", "content": content}}}})
	}))
	defer srv.Close()
	env := map[string]string{"LLM_BASE_URL": srv.URL, "LLM_MODEL": "m", "LLM_TIMEOUT": "2s"}
	out, _, err := runCmd(t, env, "Yeah, we'd cache it.", "grade", "--question", "cache-read-volume-tripled")
	if err != nil {
		t.Fatal(err)
	}
	var res map[string]any
	json.Unmarshal([]byte(out), &res)
	if res["grader"] != "llm+rubric" || res["llm"] == nil {
		t.Errorf("with a model: grader %v (%v)", res["grader"], res["llm_error"])
	}
	down.Store(true)
	out, _, err = runCmd(t, env, "Yeah, we'd cache it.", "grade", "--question", "cache-read-volume-tripled")
	if err != nil {
		t.Fatal(err)
	}
	res = nil
	json.Unmarshal([]byte(out), &res)
	if res["grader"] != "rubric" || res["llm_error"] == nil || res["llm_error"] == "" {
		t.Errorf("with the model down: grader %v llm_error %v", res["grader"], res["llm_error"])
	}
	if _, _, err := runCmd(t, map[string]string{"LLM_BASE_URL": srv.URL}, "x", "grade", "--question", "api-pagination"); err == nil || !strings.Contains(err.Error(), "LLM_MODEL") {
		t.Errorf("LLM_BASE_URL without LLM_MODEL: %v", err)
	}
}

// grade --jsonl with follow-ups: names without explanations bring the
// plain-words probe, and the turns show it and what it added.
func TestGradeJSONLPlainWordsProbe(t *testing.T) {
	line, _ := json.Marshal(map[string]any{
		"question_id": "db-covering-vs-single-column-index",
		"answer":      "Index-only scans, INCLUDE columns, a bigger index, hot queries and the visibility map all play a role here, along with vacuum.",
		"followups":   []map[string]string{{"answer": "Normally the database finds the rows through the index and then has to go to the table to fetch the other columns, like looking up a book in a library catalogue and then walking to the shelf. If the index already stores the columns the query wants, the query gets everything without that trip, which saves a lot of slow random reads."}},
	})
	out, _, err := runCmd(t, nil, string(line), "grade", "--jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Overall float64 `json:"overall"`
		Turns   []struct {
			Asked        string  `json:"asked"`
			Contribution float64 `json:"contribution"`
			Probe        string  `json:"probe"`
			Explained    bool    `json:"explained"`
		} `json:"turns"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(res.Turns) != 2 {
		t.Fatalf("turns %d, want 2: %s", len(res.Turns), out)
	}
	probe := res.Turns[1]
	if probe.Probe != "plain_words" || !strings.Contains(probe.Asked, "junior engineer") || !probe.Explained || probe.Contribution <= 0 {
		t.Errorf("turn 2 = %+v, want the plain-words probe, explained, adding to the score", probe)
	}
}
