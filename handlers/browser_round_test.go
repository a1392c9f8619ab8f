package handlers

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/mockround/mockround/models/modelstest"
)

// answerInBrowser fills the answer box and submits with the button.
func (b *browser) answer(t *testing.T, text string) {
	t.Helper()
	b.settled(t)
	b.run(t, chromedp.SetValue(chromedp.ID("answer"), text))
	b.click(t, `[data-testid="submit-answer"]`)
}

// waitText waits until the element's text contains want.
func (b *browser) waitText(t *testing.T, sel, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		got, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel), chromedp.AtLeast(0)))
		if err == nil && strings.Contains(got, want) {
			return
		}
		_ = chromedp.Do(b.ctx, chromedp.Sleep(50*time.Millisecond))
	}
	t.Fatalf("%s never contained %q", sel, want)
}

// TestBrowserFullRound runs a round from the setup form through a
// follow-up to the report, and restores a draft after a reload.
func TestBrowserFullRound(t *testing.T) {
	b := newBrowser(t)
	app := sqliteApp(t)
	b.run(t,
		chromedp.Navigate(app.srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="setup-form"]`)),
		chromedp.SetValue(chromedp.ID("stack"), "go"),
		chromedp.SetValue(chromedp.ID("level"), "junior"),
		chromedp.SetValue(chromedp.ID("type"), "drill"),
		chromedp.SetValue(chromedp.ID("area"), "observability"),
		chromedp.SetValue(chromedp.ID("count"), "2"),
		chromedp.Click(chromedp.CSS(`[data-testid="start-round"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="prompt"]`)),
	)
	if got := b.text(t, `[data-testid="progress-text"]`); got != "1 of 2" {
		t.Errorf("progress %q", got)
	}
	prompt := b.text(t, `[data-testid="prompt"]`)
	q := questionByPrompt(t, app.h.Bank, prompt)

	// Type a draft, reload, and find it again.
	b.run(t, chromedp.SendKeys(chromedp.ID("answer"), "A draft that must survive"))
	b.waitText(t, `[data-testid="draft-status"]`, "Draft saved")
	b.run(t, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("answer")))
	if v, _ := chromedp.Run(b.ctx, chromedp.Value(chromedp.ID("answer"))); v != "A draft that must survive" {
		t.Fatalf("after reload the answer box holds %q", v)
	}

	// A shallow answer, sent with Ctrl+Enter, earns a follow-up.
	b.run(t,
		chromedp.SetValue(chromedp.ID("answer"), q.ShallowAnswer),
		chromedp.Focus(chromedp.ID("answer")),
		chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(chromedp.ModifierCtrl)),
	)
	b.waitText(t, `[data-testid="round"]`, "Follow-up 1")
	if b.text(t, `[data-testid="feedback-score"]`) == "" {
		t.Error("study mode shows the score of the last answer")
	}
	// The model answer closes the question; skip the second to finish.
	b.answer(t, q.ModelAnswer)
	b.waitText(t, `[data-testid="progress-text"]`, "2 of 2")
	// The second question's form, not the first one's on its way out.
	b.run(t, chromedp.WaitReady(chromedp.CSS(`input[name="position"][value="1"]`)))
	b.click(t, `[data-testid="skip"]`)
	b.waitText(t, "h1", "Round report")
	if n := eval[int](t, b, `document.querySelectorAll('[data-testid="report-question"]').length`); n != 2 {
		t.Errorf("report lists %d questions", n)
	}
	if s := b.text(t, `[data-testid="overall"]`); s == "" || s == "0.0" {
		t.Errorf("overall %q", s)
	}
	b.noConsoleErrors(t)
}

// TestBrowserReviewFromHome starts today's reviews from the home page and
// finishes one.
func TestBrowserReviewFromHome(t *testing.T) {
	b := newBrowser(t)
	app := sqliteApp(t)
	round := app.startDrill("observability", 1, "study")
	app.answerRound(round, func(p string) string { return questionByPrompt(t, app.h.Bank, p).ShallowAnswer })
	// Tomorrow the skill is due (a shallow answer is rated Hard or Again).
	app.setClock(fixedNow.Add(3 * 24 * time.Hour))
	b.run(t,
		chromedp.Navigate(app.srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="due-reviews"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="start-reviews"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="start-review"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="start-review"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="prompt"]`)),
	)
	if !strings.Contains(b.text(t, `[data-testid="round"]`), "Review") {
		t.Error("the round should be a review")
	}
	q := questionByPrompt(t, app.h.Bank, b.text(t, `[data-testid="prompt"]`))
	b.answer(t, q.ModelAnswer)
	b.waitText(t, "h1", "Round report")
	b.run(t, chromedp.Navigate(app.srv.URL+"/review"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="nothing-due"]`)))
	b.noConsoleErrors(t)
}

// TestBrowserDashboard loads the dashboard on demo data and follows its
// links to the actions they promise.
func TestBrowserDashboard(t *testing.T) {
	b := newBrowser(t)
	app := sqliteApp(t)
	app.fillDemo(90)
	app.setClock(fixedNow)
	b.run(t,
		chromedp.Navigate(app.srv.URL+"/dashboard"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="readiness"]`)),
	)
	if n := eval[int](t, b, `document.querySelectorAll('svg.chart polyline').length`); n != 6 {
		t.Errorf("%d dimension lines drawn", n)
	}
	// The drill plan link opens the plan.
	b.run(t,
		chromedp.Click(chromedp.CSS(`[data-testid="dash-plan-link"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="active-plan"]`)),
		chromedp.Navigate(app.srv.URL+"/dashboard"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="weak-skill"] a`)),
		chromedp.Click(chromedp.CSS(`[data-testid="weak-skill"] a`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="setup-form"]`)),
	)
	if v, _ := chromedp.Run(b.ctx, chromedp.Value(chromedp.ID("type"))); v != "drill" {
		t.Errorf("a weak skill's link should set up a drill, type is %q", v)
	}
	if v, _ := chromedp.Run(b.ctx, chromedp.Value(chromedp.ID("area"))); v == "" {
		t.Error("the drill's area should be set")
	}
	// Today's reviews start from the dashboard.
	b.run(t, chromedp.Navigate(app.srv.URL+"/dashboard"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="today"]`)))
	if eval[int](t, b, `document.querySelectorAll('[data-testid="dash-start-reviews"]').length`) == 1 {
		// A review round, or first the learn step of a skill that keeps slipping.
		b.run(t,
			chromedp.Click(chromedp.CSS(`[data-testid="dash-start-reviews"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="prompt"], [data-testid="learn"]`)),
		)
	} else {
		t.Error("90 days of demo history should leave reviews due")
	}
	b.noConsoleErrors(t)
}

// TestBrowserAnswerTooSoonInline: an answer over the rate limit shows a
// notice beside the answer form (the 429 is swapped in place, not shown
// as a page or in the flash area), and the answer stays in the box.
func TestBrowserAnswerTooSoonInline(t *testing.T) {
	b := newBrowser(t)
	app := newTestAppWith(t, modelstest.Open(t, modelstest.SQLite), Limits{AnswersPerMinute: 1})
	round := app.startDrill("caching", 3, "study")
	b.run(t, chromedp.Navigate(app.srv.URL+round), chromedp.WaitVisible(chromedp.ID("answer")))
	b.answer(t, "Yeah, we'd cache it.")
	b.waitText(t, `[data-testid="feedback"]`, "Your last answer")
	b.answer(t, "A second answer, far too soon.")
	b.waitText(t, `[data-testid="answer-form"] [data-testid="answer-wait"]`, "faster than this server allows")
	if v, _ := chromedp.Run(b.ctx, chromedp.Value(chromedp.ID("answer"))); v != "A second answer, far too soon." {
		t.Errorf("the answer box holds %q after the 429", v)
	}
	if got := b.text(t, `[data-testid="flash"]`); got != "" {
		t.Errorf("the flash area shows %q: the notice belongs beside the form", got)
	}
	if n, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#round").length`)); n != 1 {
		t.Errorf("%d round panels on the page after the swap", n)
	}
	// No console check: Chromium and htmx both log a 429 as an error.
}

// TestBrowserTimer: the timer counts from the server's clock, whatever
// the browser's says.
func TestBrowserTimer(t *testing.T) {
	b := newBrowser(t)
	app := sqliteApp(t)
	round := app.startDrill("caching", 2, "study")
	app.setClock(fixedNow.Add(3*time.Minute + 5*time.Second))
	b.run(t, chromedp.Navigate(app.srv.URL+round), chromedp.WaitVisible(chromedp.ID("answer")))
	b.waitText(t, `[data-testid="timer"]`, " of 20:00")
	if got := b.text(t, `[data-testid="timer"]`); !strings.HasPrefix(got, "3:0") {
		t.Errorf("timer %q, want about 3:05 of the budget", got)
	}
}

// TestBrowserBackAfterRoundEnded: Back to a round page after the round
// ended must not show an editable question: Chromium restores pages from
// its back/forward cache even when they were served no-store, so the page
// reloads itself (static/app.js, on pageshow).
func TestBrowserBackAfterRoundEnded(t *testing.T) {
	// The back/forward cache as Chromium ships it, no-store pages included.
	b := newBrowser(t, chromedp.Flag("enable-features",
		"NetworkService,NetworkServiceInProcess,BackForwardCache,CacheControlNoStoreEnterBackForwardCache"))
	app := sqliteApp(t)
	round := app.startDrill("caching", 2, "interview")
	b.run(t, chromedp.Navigate(app.srv.URL+round), chromedp.WaitVisible(chromedp.ID("answer")))
	b.run(t, chromedp.Navigate(app.srv.URL+"/help"))
	b.waitText(t, `body`, "Readiness")
	// The round ends meanwhile (in another tab).
	if res, _ := app.post(round+"/end", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("end: %d", res.StatusCode)
	}
	// history.back, as the Back button does: chromedp's NavigateBack waits
	// for a load event a page restored from the cache never fires.
	eval[bool](t, b, `history.back(), true`)
	deadline := time.Now().Add(10 * time.Second)
	for {
		loc, err := chromedp.Run(b.ctx, chromedp.Location())
		if err == nil && strings.HasSuffix(loc, "/report") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after Back the browser is at %s, want the report", loc)
		}
		_ = chromedp.Do(b.ctx, chromedp.Sleep(50*time.Millisecond))
	}
	b.waitText(t, `body`, "Round report")
	if n := eval[int](t, b, `document.querySelectorAll("#answer").length`); n != 0 {
		t.Error("Back shows an editable answer box for a finished round")
	}
}

// TestBrowserKeepsUnsentText: text typed is kept in the browser until
// the server accepts the answer, and comes back if the server lost it.
func TestBrowserKeepsUnsentText(t *testing.T) {
	b := newBrowser(t)
	app := sqliteApp(t)
	round := app.startDrill("caching", 2, "interview")
	b.run(t, chromedp.Navigate(app.srv.URL+round), chromedp.WaitVisible(chromedp.ID("answer")))
	b.run(t, chromedp.SendKeys(chromedp.ID("answer"), "Typed while the database was down"))
	b.waitText(t, `[data-testid="draft-status"]`, "Draft saved")
	// The server lost the draft (say it was down): the browser's copy
	// comes back. A write to a round's drafts moves its version, or a
	// page kept of the round would be served as if nothing had changed.
	if err := app.h.Store.DB().Exec("DELETE FROM drafts").Error; err != nil {
		t.Fatal(err)
	}
	if err := app.h.Store.DB().Exec("UPDATE rounds SET version = version + 1").Error; err != nil {
		t.Fatal(err)
	}
	b.run(t, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("answer")))
	if v, _ := chromedp.Run(b.ctx, chromedp.Value(chromedp.ID("answer"))); v != "Typed while the database was down" {
		t.Fatalf("after reload the answer box holds %q", v)
	}
	b.waitText(t, `[data-testid="draft-status"]`, "kept in this browser")
	// Accepted by the server: the copy is dropped.
	b.click(t, `[data-testid="submit-answer"]`)
	deadline := time.Now().Add(10 * time.Second)
	for eval[string](t, b, `(document.getElementById("answer") || {value: ""}).value`) != "" {
		if time.Now().After(deadline) {
			t.Fatal("the round did not move on after the answer")
		}
		_ = chromedp.Do(b.ctx, chromedp.Sleep(50*time.Millisecond))
	}
	// htmx settles the swap and fires its events just after: wait for them.
	for eval[int](t, b, `Object.keys(localStorage).filter(function (k) { return k.indexOf("mockround:unsent:") === 0 && localStorage.getItem(k) === "Typed while the database was down"; }).length`) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the browser still keeps the text after the server accepted it")
		}
		_ = chromedp.Do(b.ctx, chromedp.Sleep(50*time.Millisecond))
	}
	b.noConsoleErrors(t)
}
