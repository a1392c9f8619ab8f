package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/mockround/mockround/models/modelstest"
)

// TestQuestionPageQueryCount: the question page, as a full page and as the
// htmx panel, runs at most 2 statements, 1 when viewed again (the kept
// round's version), and still shows the saved draft,
// the last answer's feedback and the reviews due.
func TestQuestionPageQueryCount(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		app := newTestApp(t, db)
		app.fillDemo(30)
		due, err := app.h.Store.CountDue(context.Background(), app.h.localUser.ID, endOfDay(fixedNow))
		if err != nil || due == 0 {
			t.Fatalf("due reviews after the demo: %d, %v", due, err)
		}
		round := app.startDrill("caching", 3, "study")
		_, prompt, pos, step := app.current(round)
		q := questionByPrompt(t, app.h.Bank, prompt)
		if res, body := app.post(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {q.ModelAnswer}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("answer: %d\n%s", res.StatusCode, body)
		}
		_, _, pos, step = app.current(round)
		if res, body := app.post(round+"/draft", url.Values{"position": {pos}, "step": {step}, "answer": {"half an answer, kept"}}); res.StatusCode != http.StatusNoContent {
			t.Fatalf("draft: %d\n%s", res.StatusCode, body)
		}
		qc := modelstest.CountStatements(t, app.h.Store)
		for _, htmx := range []bool{false, true} {
			qc.Store(0)
			var body string
			var res *http.Response
			if htmx {
				res, body = app.htmx(http.MethodGet, round, nil)
			} else {
				res, body = app.do(http.MethodGet, round, nil, nil)
			}
			n := qc.Load()
			if res.StatusCode != http.StatusOK {
				t.Fatalf("htmx %v: status %d", htmx, res.StatusCode)
			}
			if n > 2 {
				t.Errorf("htmx %v: the question page ran %d statements, want at most 2", htmx, n)
			}
			if htmx && n != 1 {
				t.Errorf("the question page viewed again ran %d statements, want 1 (the round's version)", n)
			}
			doc := parseDoc(t, body)
			if got := doc.Find("#answer").Text(); got != "half an answer, kept" {
				t.Errorf("htmx %v: answer box %q, want the saved draft", htmx, got)
			}
			if doc.Find(`[data-testid="feedback"]`).Length() != 1 {
				t.Errorf("htmx %v: no feedback on the last answer", htmx)
			}
			if !htmx {
				if got := strings.TrimSpace(doc.Find("#due-count").Text()); got != strconv.Itoa(due) {
					t.Errorf("due badge %q, want %d", got, due)
				}
			}
		}
	})
}
