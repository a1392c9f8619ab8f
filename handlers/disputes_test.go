package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"gorm.io/gorm"

	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/models/modelstest"
	"github.com/mockround/mockround/srs"
)

// loadAside follows a shallow answer in the dispute tests: a last
// sentence with a number to point a dispute at, long enough that the
// answer is not held for being brief (a dispute cannot lift a hold).
const loadAside = " It depends on the load, for example 200 requests per second, so I would measure the hit rate and the latency before and after the change, on the same hardware and with the same mix of reads and writes, and keep it only if both get clearly better under real traffic for a whole week."

// shallowRound finishes a one-question drill answered shallowly, every
// follow-up with "I don't know": the first answer carries the grade.
func (a *testApp) shallowRound(area string) string {
	a.t.Helper()
	return a.answerShallow(a.startDrill(area, 1, "interview"))
}

// answerShallow answers a round as shallowRound does.
func (a *testApp) answerShallow(round string) string {
	a.t.Helper()
	a.answerRound(round, func(p string) string {
		for _, q := range a.h.Bank.Questions() {
			if q.Prompt == p {
				return q.ShallowAnswer + loadAside
			}
		}
		return "I don't know."
	})
	return round
}

// disputeFormOf reads the first dispute form of kind on a page.
func disputeFormOf(t *testing.T, doc *goquery.Document, testid string) (action string, form url.Values) {
	t.Helper()
	f := doc.Find(`form[data-testid="` + testid + `"]`).First()
	if f.Length() == 0 {
		t.Fatalf("no %s form on the page", testid)
	}
	action, _ = f.Attr("action")
	form = url.Values{}
	f.Find("input[type=hidden]").Each(func(_ int, s *goquery.Selection) {
		n, _ := s.Attr("name")
		v, _ := s.Attr("value")
		if n != "_csrf" {
			form.Set(n, v)
		}
	})
	if opt := f.Find("select option").First(); opt.Length() > 0 {
		v, _ := opt.Attr("value")
		form.Set("sentence", v)
	}
	return action, form
}

func TestDisputeRescoresAndRatingFollows(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		app := newTestApp(t, db)
		round := app.shallowRound("caching")
		var before models.Turn
		db.Where("status = ? AND final = ?", models.TurnGraded, true).First(&before)
		if before.ID == 0 {
			t.Fatal("no graded final turn")
		}
		_, doc := app.get(round + "/report")
		action, form := disputeFormOf(t, doc, "dispute-missed")
		if form.Get("sentence") == "" || form.Get("target") == "" {
			t.Fatalf("the form offers no sentence or key point: %v", form)
		}

		res, body := app.post(action, form)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), round+"/report") {
			t.Fatalf("dispute: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), body)
		}
		var after models.Turn
		db.First(&after, before.ID)
		if after.Overall <= before.Overall || after.AdjustedEvidence == "" || after.Evidence != before.Evidence {
			t.Errorf("overall %v → %v, adjusted %d bytes, evidence kept %v", before.Overall, after.Overall, len(after.AdjustedEvidence), after.Evidence == before.Evidence)
		}
		var adj grader.Result
		if err := json.Unmarshal([]byte(after.AdjustedEvidence), &adj); err != nil {
			t.Fatal(err)
		}
		made := false
		for _, h := range adj.Hits {
			made = made || (h.ID == form.Get("target") && h.Disputed && h.Sentence == form.Get("sentence"))
		}
		if !made {
			t.Errorf("the adjusted grade does not count %s in the chosen sentence: %+v", form.Get("target"), adj.Hits)
		}
		var r models.Round
		db.First(&r)
		if r.Overall != after.Overall {
			t.Errorf("round overall %v, want the adjusted %v", r.Overall, after.Overall)
		}
		// The skill's review is redone from the adjusted score.
		var log models.ReviewLog
		db.Where("skill = ?", after.Skill).First(&log)
		if log.Score != after.Overall || log.Rating != int(srs.RatingFor(after.Overall)) {
			t.Errorf("review log score %v rating %d, want %v rated %d", log.Score, log.Rating, after.Overall, srs.RatingFor(after.Overall))
		}
		u, _ := app.h.Store.LocalUser(context.Background())
		card, _ := app.h.Store.Card(context.Background(), u.ID, after.Skill)
		if !card.Due.Equal(log.Due) {
			t.Errorf("card due %v, the redone review says %v", card.Due, log.Due)
		}

		// The report marks it and keeps the grader's score in view.
		_, doc = app.get(round + "/report")
		if doc.Find(`[data-testid="question-row"] [data-testid="adjusted-mark"]`).Length() != 1 {
			t.Error("the question list does not mark the adjusted grade")
		}
		note := doc.Find(`[data-testid="adjusted-note"]`).Text()
		if !strings.Contains(note, "The grader gave "+score1(before.Overall)) || !strings.Contains(note, "You made the point") {
			t.Errorf("adjusted note %q", note)
		}

		// The exports keep the grader's grade and the adjusted one.
		_, raw := app.do(http.MethodGet, "/export.json", nil, nil)
		var exp models.Export
		if err := json.Unmarshal([]byte(raw), &exp); err != nil {
			t.Fatal(err)
		}
		for _, a := range exp.Rounds[0].Answers {
			if a.Step != after.Step {
				continue
			}
			if a.Scores.Overall != after.Overall || a.OriginalScores == nil || a.OriginalScores.Overall != before.Overall || len(a.Adjusted) == 0 || len(a.Evidence) == 0 {
				t.Errorf("export: scores %v original %+v adjusted %d bytes", a.Scores.Overall, a.OriginalScores, len(a.Adjusted))
			}
		}
		_, csvText := app.do(http.MethodGet, "/export.csv", nil, nil)
		if !strings.Contains(csvText, ",yes,"+score1(before.Overall)) {
			t.Errorf("the CSV does not mark the adjusted answer with the grader's %s:\n%s", score1(before.Overall), csvText)
		}

		t.Run("ErrDisputeTwice", func(t *testing.T) {
			res, body := app.post(action, form)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "You already disputed that") {
				t.Errorf("%d\n%s", res.StatusCode, body)
			}
		})
		t.Run("ErrDisputeSentence", func(t *testing.T) {
			action, form := disputeFormOf(t, doc, "dispute-missed")
			form.Set("sentence", "A sentence I never wrote in this answer.")
			res, body := app.post(action, form)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "not in it") {
				t.Errorf("%d\n%s", res.StatusCode, body)
			}
		})
		t.Run("OK htmx", func(t *testing.T) {
			action, form := disputeFormOf(t, doc, "dispute-missed")
			res, _ := app.htmx(http.MethodPost, action, form)
			if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("HX-Redirect"), round+"/report") {
				t.Errorf("htmx dispute: %d HX-Redirect %q", res.StatusCode, res.Header.Get("HX-Redirect"))
			}
			var n int64
			db.Model(&models.Dispute{}).Count(&n)
			if n != 2 {
				t.Errorf("%d disputes stored, want 2", n)
			}
		})
	})
}

// TestReadinessShowsAdjustedAnswers: the readiness of a level says how
// many answers of the rounds it counts were adjusted by the learner.
func TestReadinessShowsAdjustedAnswers(t *testing.T) {
	app := sqliteApp(t)
	round := app.answerShallow(app.startScreening(3, "interview"))
	_, doc := app.get("/dashboard")
	if doc.Find(`[data-testid="readiness-adjusted"]`).Length() != 0 {
		t.Fatal("no answer is adjusted yet")
	}
	_, doc = app.get(round + "/report")
	action, form := disputeFormOf(t, doc, "dispute-missed")
	if res, body := app.post(action, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("dispute: %d\n%s", res.StatusCode, body)
	}
	_, doc = app.get("/dashboard")
	if got := strings.TrimSpace(doc.Find(`[data-testid="readiness-middle"] [data-testid="readiness-adjusted"]`).Text()); got != "1 answer adjusted by you" {
		t.Errorf("middle readiness says %q", got)
	}
}

func score1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// TestDisputeHoldsForFollowUps: a point the learner said they made, on the
// feedback in study mode, stays made in the grade of their next answer to
// a follow-up of the same question.
func TestDisputeHoldsForFollowUps(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		app := newTestApp(t, db)
		round := app.startDrill("caching", 1, "study")
		_, prompt, pos, step := app.current(round)
		q := questionByPrompt(t, app.h.Bank, prompt)
		app.post(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {q.ShallowAnswer + loadAside}})
		doc, _, pos, step := app.current(round)
		if step != "1" {
			t.Skipf("no follow-up after the shallow answer (step %s)", step)
		}
		action, form := disputeFormOf(t, doc, "dispute-missed")
		if form.Get("back") != "round" {
			t.Errorf("the feedback's dispute returns to %q", form.Get("back"))
		}
		res, body := app.post(action, form)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != round {
			t.Fatalf("dispute: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), body)
		}
		app.post(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {"The cost is memory: each entry takes about 1 KB, so 1 million keys need 1 GB of RAM."}})
		var next models.Turn
		db.Where("step = ?", 1).First(&next)
		if next.Status != models.TurnGraded || next.AdjustedEvidence == "" {
			t.Fatalf("the follow-up's grade is %s, adjusted %q", next.Status, next.AdjustedEvidence)
		}
		var adj grader.Result
		json.Unmarshal([]byte(next.AdjustedEvidence), &adj)
		made := false
		for _, h := range adj.Hits {
			made = made || (h.ID == form.Get("target") && h.Disputed)
		}
		if !made || next.Overall != adj.Overall {
			t.Errorf("the disputed point %s is not made in the follow-up's grade (%v), or the scores %v are not the adjusted %v", form.Get("target"), made, next.Overall, adj.Overall)
		}
		// The feedback on the follow-up says the grade is adjusted.
		res, doc2 := app.get(round)
		if res.StatusCode == http.StatusSeeOther {
			_, doc2 = app.get(round + "/report")
		}
		if doc2.Find(`[data-testid="adjusted-note"]`).Length() != 1 {
			t.Error("the grade of the follow-up is not marked adjusted")
		}
		// The same point disputed again, on the new grade, is refused.
		var nextForm url.Values = url.Values{"kind": {"missed"}, "target": {form.Get("target")}, "sentence": {form.Get("sentence")}}
		if res, body := app.post(fmt.Sprintf("/rounds/%d/turns/%d/disputes", next.RoundID, next.ID), nextForm); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("the same dispute on the follow-up: %d\n%s", res.StatusCode, body)
		}
	})
}
