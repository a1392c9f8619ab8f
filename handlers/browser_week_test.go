package handlers

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserJDDrivesTheRound pastes a job description: the stack and
// level selects follow it with their reason, the planned round changes
// (Kafka brings concurrency questions, Kubernetes deployment), a choice the
// user makes afterwards stands, and the round starts as shown.
func TestBrowserJDDrivesTheRound(t *testing.T) {
	b := newBrowser(t)
	app := sqliteApp(t)
	b.run(t,
		chromedp.Navigate(app.srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="round-plan-areas"]`)),
	)
	before := b.text(t, `[data-testid="round-plan-areas"]`)
	if !strings.HasPrefix(before, "3 Python") || strings.Contains(before, "concurrency") || strings.Contains(before, "deployment") {
		t.Errorf("plan without a JD = %q, want Python and the pillars", before)
	}
	b.run(t,
		chromedp.Click(chromedp.ID("jd")),
		chromedp.SendKeys(chromedp.ID("jd"), "Senior Go engineer, PostgreSQL, Kafka, Kubernetes, 6+ years"),
	)
	b.waitText(t, `[data-testid="round-plan-areas"]`, "deployment")
	if got := eval[string](t, b, `document.getElementById("stack").value + "/" + document.getElementById("level").value`); got != "go/senior" {
		t.Errorf("selects = %s, want go/senior from the JD", got)
	}
	for _, id := range []string{"stack-from-jd", "level-from-jd"} {
		if got := b.text(t, `[data-testid="`+id+`"]`); got != "From the job description" {
			t.Errorf("%s = %q", id, got)
		}
	}
	plan := b.text(t, `[data-testid="round-plan-areas"]`)
	for _, want := range []string{"3 Go", "2 concurrency", "1 deployment", "databases"} {
		if !strings.Contains(plan, want) {
			t.Errorf("plan %q lacks %q", plan, want)
		}
	}
	if strings.Contains(plan, "caching") {
		t.Errorf("plan %q kept caching over the JD's areas", plan)
	}

	// The learner picks Java: the plan follows, the reason goes, and more
	// typing in the JD does not undo the choice.
	b.run(t, chromedp.SetValue(chromedp.ID("stack"), "java"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("stack").dispatchEvent(new Event("change", {bubbles: true}))`))
	b.waitText(t, `[data-testid="round-plan-areas"]`, "3 Java")
	if n := eval[int](t, b, `document.querySelectorAll('[data-testid="stack-from-jd"]').length`); n != 0 {
		t.Error("the stack still says it comes from the job description after the learner changed it")
	}
	b.run(t, chromedp.SendKeys(chromedp.ID("jd"), " Observability matters."))
	b.waitText(t, `[data-testid="jd-analysis"]`, "Technologies found")
	b.run(t, chromedp.Sleep(900*time.Millisecond)) // past the 700 ms debounce and its answer
	if got := eval[string](t, b, `document.getElementById("stack").value`); got != "java" {
		t.Errorf("stack = %s after more JD text, want the learner's java", got)
	}
	b.run(t, chromedp.SetValue(chromedp.ID("stack"), "go"),
		chromedp.Click(chromedp.CSS(`[data-testid="start-round"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="prompt"]`)),
	)
	var r struct{ Stack, Level string }
	app.h.Store.DB().Raw(`SELECT stack, level FROM rounds ORDER BY id DESC LIMIT 1`).Scan(&r)
	if r.Stack != "go" || r.Level != "senior" {
		t.Errorf("round started as %s/%s, want go/senior", r.Stack, r.Level)
	}
	b.noConsoleErrors(t)
}

// TestBrowserReviewListsSkillsAndReviewsAhead finishes one round in the
// browser: the review page then lists every skill it rated with its state,
// last score and when it comes back, and "Review ahead" starts a review of
// them although nothing is due.
func TestBrowserReviewListsSkillsAndReviewsAhead(t *testing.T) {
	b := newBrowser(t)
	app := sqliteApp(t)
	b.run(t,
		chromedp.Navigate(app.srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="setup-form"]`)),
		chromedp.SetValue(chromedp.ID("stack"), "go"),
		chromedp.SetValue(chromedp.ID("type"), "drill"),
		chromedp.SetValue(chromedp.ID("area"), "caching"),
		chromedp.SetValue(chromedp.ID("count"), "2"),
		chromedp.Click(chromedp.CSS(`[data-testid="start-round"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="prompt"]`)),
	)
	b.answer(t, questionByPrompt(t, app.h.Bank, b.text(t, `[data-testid="prompt"]`)).ModelAnswer)
	b.waitText(t, `[data-testid="progress-text"]`, "2 of 2")
	b.answer(t, questionByPrompt(t, app.h.Bank, b.text(t, `[data-testid="prompt"]`)).ModelAnswer)
	b.waitText(t, "h1", "Round report")
	b.run(t, chromedp.Navigate(app.srv.URL+"/review"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="skills"]`)))
	rows := eval[[]string](t, b, `[...document.querySelectorAll('[data-testid="skill-row"]')].map(r => r.innerText.replace(/\s+/g, " ").trim())`)
	if len(rows) == 0 {
		t.Fatal("no skills listed after a round")
	}
	for _, r := range rows {
		if !strings.HasPrefix(r, "Caching · ") || !strings.Contains(r, "review") || !strings.Contains(r, "in ") {
			t.Errorf("skill row %q: want a labelled caching skill, its state and when it comes back", r)
		}
	}
	b.run(t,
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="nothing-due"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="review-ahead"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="prompt"]`)),
	)
	if got := b.text(t, `[data-testid="round"]`); !strings.Contains(got, "Review · Go") {
		t.Errorf("review ahead page does not say it is a Go review: %.200q", got)
	}
	q := questionByPrompt(t, app.h.Bank, b.text(t, `[data-testid="prompt"]`))
	if q.Area != "caching" {
		t.Errorf("review ahead asked a %s question, want one of the caching skills", q.Area)
	}
	b.noConsoleErrors(t)
}

// phonePages starts an unfinished round over 60 days of demo history and
// returns the main pages to look at: home, round, feedback (a round after
// an answer), report, review, dashboard, drills, help.
func phonePages(t *testing.T, app *testApp) map[string]string {
	t.Helper()
	app.fillDemo(60)
	open := app.startDrill("caching", 2, "study")
	var report struct{ ID uint }
	app.h.Store.DB().Raw(`SELECT id FROM rounds WHERE status = 'finished' ORDER BY id DESC LIMIT 1`).Scan(&report)
	if report.ID == 0 {
		t.Fatal("the demo history has no finished round")
	}
	// The feedback after an answer: a study round with one shallow answer.
	feedback := app.startDrill("databases", 2, "study")
	_, prompt, pos, step := app.current(feedback)
	app.post(feedback+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {questionByPrompt(t, app.h.Bank, prompt).ShallowAnswer}})
	return map[string]string{
		"home": "/", "round": open, "feedback": feedback, "report": roundURL(report.ID, "/report"), "review": "/review",
		"dashboard": "/dashboard", "drills": "/drills", "help": "/help",
	}
}

// TestBrowserPhoneLayout looks at the main pages on a 390 px phone: the
// header stays compact (at most 120 px) and nothing scrolls sideways.
func TestBrowserPhoneLayout(t *testing.T) {
	b := newBrowser(t)
	app := sqliteApp(t)
	pages := phonePages(t, app)
	b.run(t, chromedp.EmulateViewport(390, 844, chromedp.EmulatePortrait))
	for _, name := range []string{"home", "round", "feedback", "report", "review", "dashboard", "drills", "help"} {
		b.run(t, chromedp.Navigate(app.srv.URL+pages[name]), chromedp.WaitReady(chromedp.CSS("footer.site")))
		if h := eval[float64](t, b, `document.querySelector("header.site").getBoundingClientRect().height`); h > 120 {
			t.Errorf("%s: header is %.0f px high on a phone, want at most 120", name, h)
		}
		if w := eval[int](t, b, `document.documentElement.scrollWidth`); w > 390 {
			wide := eval[string](t, b, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 390.5).slice(0, 4).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right)).join(", ")`)
			t.Errorf("%s: the page is %d px wide on a 390 px phone (too wide: %s)", name, w, wide)
		}
	}
	b.noConsoleErrors(t)
}

// TestBrowserDashboardAfterOneRound: one round is not a trend, so no
// chart is drawn with fewer than two points; the page says what to do
// instead. The forecast's bars sit above their own day labels.
func TestBrowserDashboardAfterOneRound(t *testing.T) {
	b := newBrowser(t)
	app := sqliteApp(t)
	round := app.startDrill("caching", 1, "study")
	app.answerRound(round, func(p string) string { return questionByPrompt(t, app.h.Bank, p).ModelAnswer })
	b.run(t, chromedp.Navigate(app.srv.URL+"/dashboard"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="charts-empty"]`)))
	if n := eval[int](t, b, `[...document.querySelectorAll("svg.chart")].filter(s => s.querySelectorAll("circle").length < 2).length`); n != 0 {
		t.Errorf("%d charts drawn with fewer than two points", n)
	}
	if got := b.text(t, `[data-testid="charts-empty"]`); !strings.Contains(got, "second round") {
		t.Errorf("empty state %q does not say what to do", got)
	}
	if got := b.text(t, `[data-testid="totals"]`); strings.Contains(got, "0 days") {
		t.Errorf("totals %q", got)
	}
	offsets := eval[[]float64](t, b, `[...document.querySelectorAll('[data-testid="forecast-day"]')].map(d => {
		const bar = d.querySelector("rect").getBoundingClientRect(), label = d.querySelector(".forecast-label").getBoundingClientRect();
		return Math.abs((bar.left + bar.right) / 2 - (label.left + label.right) / 2);
	})`)
	if len(offsets) != ForecastDays {
		t.Fatalf("%d forecast days, want %d", len(offsets), ForecastDays)
	}
	for i, off := range offsets {
		if off > 1 {
			t.Errorf("forecast day %d: bar is %.1f px off its label", i, off)
		}
	}
	b.noConsoleErrors(t)
}

// TestBrowserDashboardReadinessLinks: with two weeks of demo history, every readiness
// item is a link to the round or drill that fixes it, readiness holds up
// the ladder, and the charts' dots stay inside their frames.
func TestBrowserDashboardReadinessLinks(t *testing.T) {
	b := newBrowser(t)
	app := sqliteApp(t)
	app.fillDemo(14) // two weeks: some levels not ready yet
	b.run(t, chromedp.Navigate(app.srv.URL+"/dashboard"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="readiness"]`)))
	items := eval[[]string](t, b, `[...document.querySelectorAll('[data-testid="missing"] li')].map(li => { const a = li.querySelector("a[href]"); return a ? a.getAttribute("href") : "" })`)
	if len(items) == 0 {
		t.Fatal("no readiness items to check")
	}
	for i, href := range items {
		if !strings.HasPrefix(href, "/?") || !strings.Contains(href, "#setup") {
			t.Errorf("readiness item %d links to %q, want the setup of a round or drill", i, href)
		}
	}
	ready := eval[[]bool](t, b, `["junior", "middle", "senior"].map(l => document.querySelector('[data-testid="readiness-' + l + '"]').classList.contains("ready"))`)
	for i := 0; i+1 < len(ready); i++ {
		if ready[i+1] && !ready[i] {
			t.Errorf("readiness %v: a level is ready above one that is not", ready)
		}
	}
	if n := eval[int](t, b, `[...document.querySelectorAll("svg.chart")].filter(s => { const f = s.getBoundingClientRect(); return [...s.querySelectorAll("circle")].some(c => { const r = c.getBoundingClientRect(); return r.left < f.left || r.right > f.right || r.top < f.top || r.bottom > f.bottom; }); }).length`); n != 0 {
		t.Errorf("%d charts have dots outside their frame", n)
	}
	// Follow the first drill item: the setup comes prefilled for it.
	var href string
	for _, h := range items {
		if strings.Contains(h, "type=drill") {
			href = h
			break
		}
	}
	if href == "" {
		t.Fatal("no readiness item links to a drill")
	}
	b.run(t, chromedp.Click(chromedp.CSS(`[data-testid="missing"] a[href="`+href+`"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="setup-form"]`)))
	if got := eval[string](t, b, `document.getElementById("type").value + "/" + document.getElementById("area").value`); !strings.HasPrefix(got, "drill/") || got == "drill/" {
		t.Errorf("the readiness link opened the setup as %q, want a drill on the area", got)
	}
	b.noConsoleErrors(t)
}
