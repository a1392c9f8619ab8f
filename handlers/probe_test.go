package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/models/modelstest"
)

// TestReportMarksThePlainWordsProbe: an answer of names brings the
// plain-words probe; answered in plain words, it raises the score, and the
// report marks the probe and what it did.
func TestReportMarksThePlainWordsProbe(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		app := newTestApp(t, db)
		round := app.startDrill("databases", 3, "interview")
		var q *grader.Question
		probes := 0
		for range 30 {
			if res, _ := app.get(round); res.StatusCode == http.StatusSeeOther {
				break
			}
			doc, prompt, pos, step := app.current(round)
			answer := "I don't know."
			switch {
			case step == "0":
				q = questionByPrompt(t, app.h.Bank, prompt)
				var names []string
				for _, kp := range q.KeyPoints {
					names = append(names, kp.Any[0])
				}
				answer = strings.Join(names, ", ") + " all matter here."
			case grader.KindOf(prompt) == grader.FollowUpPlainWords:
				probes++
				if doc.Find(`[data-testid="probe-label"]`).Length() != 1 {
					t.Error("the round page does not say the follow-up asks for plain words")
				}
				answer = q.Explanation + " Think of it like a library catalogue, because it saves a trip."
			}
			app.post(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {answer}})
		}
		if probes == 0 {
			t.Fatal("no answer of names brought the plain-words probe")
		}
		res, doc := app.get(round + "/report")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("report: %d", res.StatusCode)
		}
		if got := doc.Find(`[data-testid="probe"]`).Length(); got != probes {
			t.Errorf("report marks %d probes, want %d", got, probes)
		}
		if !strings.Contains(doc.Find(`[data-testid="probe-result"]`).Text(), "Explained in plain words") {
			t.Errorf("no probe answered in the question's own plain words counted as explained: %q", doc.Find(`[data-testid="probe-result"]`).Text())
		}
	})
}
