package handlers

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/srs"
)

// startScreening starts a Tech Screening of count questions.
func (a *testApp) startScreening(count int, feedback string) string {
	a.t.Helper()
	res, body := a.post("/rounds", url.Values{
		"stack": {"go"}, "level": {"middle"}, "type": {"screening"},
		"count": {itoa(count)}, "feedback": {feedback},
	})
	if res.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("start round: %d\n%s", res.StatusCode, body)
	}
	return res.Header.Get("Location")
}

// answerWithFollowUps answers every question shallowly, so the interviewer
// follows up, and every follow-up with the question's model answer; it
// returns how many follow-ups were answered.
func (a *testApp) answerWithFollowUps(round string) int {
	a.t.Helper()
	followUps := 0
	for range 60 {
		res, doc := a.get(round)
		if res.StatusCode == http.StatusSeeOther {
			return followUps
		}
		_, prompt, pos, step := a.current(round)
		_ = doc
		q := questionByPrompt(a.t, a.h.Bank, prompt)
		answer := q.ShallowAnswer
		if step != "0" {
			answer = q.ModelAnswer
			followUps++
		}
		a.post(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {answer}})
	}
	a.t.Fatal("round did not finish")
	return 0
}

// TestBrowserReportFitsOneScreen: a report of 10 questions with follow-ups
// is short at 1280 px, shows the overall and the dimensions in the first
// 900 px, one labelled score per question, and quotes each sentence once.
func TestBrowserReportFitsOneScreen(t *testing.T) {
	b := newBrowser(t)
	app := sqliteApp(t)
	round := app.startScreening(10, "interview")
	if n := app.answerWithFollowUps(round); n < 5 {
		t.Fatalf("only %d follow-ups answered: the report must be tested with follow-ups", n)
	}
	b.run(t,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(app.srv.URL+round+"/report"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="report"]`)),
	)
	h := eval[float64](t, b, `document.documentElement.scrollHeight`)
	t.Logf("report height at 1280 px: %.0f px", h)
	if h > 6000 {
		t.Errorf("the report is %.0f px tall at 1280 px, want at most 6000", h)
	}
	for _, sel := range []string{`[data-testid="overall"]`, `[data-testid="dimensions"]`} {
		if bottom := eval[float64](t, b, `document.querySelector('`+sel+`').getBoundingClientRect().bottom`); bottom > 900 {
			t.Errorf("%s ends at %.0f px, want within the first 900", sel, bottom)
		}
	}
	if n := eval[int](t, b, `document.querySelectorAll('[data-testid="question-row"]').length`); n != 10 {
		t.Errorf("%d question rows, want 10", n)
	}
	// One score per question, labelled, in the list and in each question.
	if n := eval[int](t, b, `[...document.querySelectorAll('[data-testid="question-row"], [data-testid="report-question"]')]
		.filter(e => e.querySelectorAll('[data-testid="question-score"], [data-testid="question-skipped"]').length !== 1).length`); n != 0 {
		t.Errorf("%d questions do not show exactly one score", n)
	}
	if n := eval[int](t, b, `[...document.querySelectorAll('[data-testid="question-row"] .qscore')].filter(e => !e.textContent.includes('score')).length`); n != 0 {
		t.Errorf("%d scores are not labelled", n)
	}
	// Details are collapsed, and open on demand: then every sentence of the
	// answer is quoted at most once per question.
	if n := eval[int](t, b, `document.querySelectorAll('details[data-testid="report-question"][open]').length`); n != 0 {
		t.Errorf("%d questions open by default", n)
	}
	b.run(t, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('details').forEach(d => d.open = true)`))
	dupes := eval[[]string](t, b, `[...document.querySelectorAll('[data-testid="report-question"]')].flatMap(q => {
		const seen = new Set(), dup = [];
		q.querySelectorAll('[data-testid="hits"] blockquote, [data-testid="red-flags"] blockquote, [data-testid="contradictions"] blockquote, [data-testid="beats"] dd').forEach(e => {
			const s = e.textContent.trim();
			if (s === '' || s.startsWith('Same sentence') || s.startsWith('—') || s.startsWith('(missing')) return;
			if (seen.has(s)) dup.push(s); else seen.add(s);
		});
		return dup;
	})`)
	if len(dupes) > 0 {
		t.Errorf("sentences quoted more than once: %q", dupes)
	}
	if n := eval[int](t, b, `document.querySelectorAll('[data-testid="followup-added"]').length`); n == 0 {
		t.Error("no follow-up says what it added")
	}
	b.noConsoleErrors(t)
}

// TestBrowserStudySubmitFocusesNextQuestion: after an answer in study mode,
// the next question's answer box is in view and has the focus.
func TestBrowserStudySubmitFocusesNextQuestion(t *testing.T) {
	b := newBrowser(t)
	app := sqliteApp(t)
	round := app.startDrill("databases", 3, "study")
	b.run(t,
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(app.srv.URL+round),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="prompt"]`)),
	)
	q := questionByPrompt(t, app.h.Bank, b.text(t, `[data-testid="prompt"]`))
	// A long, complete answer: the feedback is as long as it gets.
	b.answer(t, q.ModelAnswer)
	b.run(t, chromedp.WaitVisible(chromedp.CSS(`[data-testid="feedback"]`)))
	b.waitText(t, `[data-testid="progress-text"]`, "2 of 3")
	if id := eval[string](t, b, `document.activeElement ? document.activeElement.id : ""`); id != "answer" {
		t.Errorf("focus is on %q, want the answer box", id)
	}
	inView := `(() => { const p = document.querySelector('[data-testid="prompt"]').getBoundingClientRect();
		const a = document.getElementById('answer').getBoundingClientRect();
		return p.top >= 0 && p.bottom <= innerHeight && a.top >= 0 && a.top < innerHeight; })()`
	if !eval[bool](t, b, inView) {
		t.Error("the next question and its answer box are not in view after the submit")
	}
	b.noConsoleErrors(t)
}

// TestBrowserDisputeRescoresAndRatingFollows: on the report a learner says
// the grader missed a point they made, choosing their sentence; the
// question is re-scored and marked adjusted by you, and the skill's
// review follows the new score.
func TestBrowserDisputeRescoresAndRatingFollows(t *testing.T) {
	b := newBrowser(t)
	app := sqliteApp(t)
	round := app.shallowRound("caching")
	b.run(t,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(app.srv.URL+round+"/report"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="question-row"]`)),
	)
	before := b.text(t, `[data-testid="question-row"] [data-testid="question-score"]`)
	b.run(t,
		chromedp.Click(chromedp.CSS(`#q1 > summary`)),
		chromedp.Click(chromedp.CSS(`#q1 [data-testid="dispute"] > summary`)),
		chromedp.WaitVisible(chromedp.CSS(`#q1 [data-testid="dispute-missed"] select`)),
	)
	// Point at the answer's last sentence (the one with a number).
	sentence := eval[string](t, b, `(() => { const s = document.querySelector('#q1 [data-testid="dispute-missed"] select');
		s.selectedIndex = s.options.length - 1; return s.value; })()`)
	target := eval[string](t, b, `document.querySelector('#q1 [data-testid="dispute-missed"] input[name="target"]').value`)
	b.run(t, chromedp.Click(chromedp.CSS(`#q1 [data-testid="dispute-missed"] [data-testid="dispute-submit"]`)))
	b.waitText(t, `[data-testid="question-row"]`, "adjusted by you")
	after := b.text(t, `[data-testid="question-row"] [data-testid="question-score"]`)
	if after == before {
		t.Errorf("the score stayed %s after the dispute", before)
	}
	if got := b.text(t, `[data-testid="overall"]`); got != after {
		t.Errorf("the round's overall %s, want the adjusted question's %s", got, after)
	}

	var turn models.Turn
	app.h.Store.DB().Where("final = ? AND adjusted_evidence <> ''", true).First(&turn)
	var adj grader.Result
	if err := json.Unmarshal([]byte(turn.AdjustedEvidence), &adj); err != nil {
		t.Fatalf("no adjusted grade stored: %v", err)
	}
	made := false
	for _, h := range adj.Hits {
		made = made || (h.ID == target && h.Disputed && h.Sentence == sentence)
	}
	if !made || score1(turn.Overall) != after {
		t.Errorf("adjusted grade: %s made in %q: %v; stored overall %v, shown %s", target, sentence, made, turn.Overall, after)
	}
	var log models.ReviewLog
	app.h.Store.DB().Where("skill = ?", turn.Skill).First(&log)
	if log.Score != turn.Overall || log.Rating != int(srs.RatingFor(turn.Overall)) {
		t.Errorf("review: score %v rating %d, want %v rated %d", log.Score, log.Rating, turn.Overall, srs.RatingFor(turn.Overall))
	}
	b.noConsoleErrors(t)
}
