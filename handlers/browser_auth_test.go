package handlers

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/mockround/mockround/models/modelstest"
)

// TestBrowserOIDCLogin logs in through the in-process OpenID Connect
// server in Chromium and answers the first question of a round.
func TestBrowserOIDCLogin(t *testing.T) {
	b := newBrowser(t)
	m := startOIDC(t)
	app := newAuthApp(t, modelstest.Open(t, modelstest.SQLite), m, Limits{})
	m.QueueUser(&mockoidc.MockUser{Subject: "browser-user", Email: "dana@example.com", PreferredUsername: "dana"})
	b.run(t,
		chromedp.Navigate(app.srv.URL+"/dashboard"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="login"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="login-provider"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="user-name"]`)),
	)
	if loc := eval[string](t, b, `location.pathname`); loc != "/dashboard" {
		t.Errorf("after login the browser is at %s, want the page it asked for", loc)
	}
	if name := b.text(t, `[data-testid="user-name"]`); !strings.Contains(name, "dana") {
		t.Errorf("user name %q", name)
	}
	b.run(t,
		chromedp.Navigate(app.srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="setup-form"]`)),
		chromedp.SetValue(chromedp.ID("type"), "drill"),
		chromedp.SetValue(chromedp.ID("area"), "caching"),
		chromedp.SetValue(chromedp.ID("count"), "2"),
		chromedp.Click(chromedp.CSS(`[data-testid="start-round"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="prompt"]`)),
	)
	q := questionByPrompt(t, app.h.Bank, b.text(t, `[data-testid="prompt"]`))
	b.answer(t, q.ModelAnswer)
	// The interviewer may push on with a follow-up or move on: either way
	// the feedback on the answer shows.
	b.waitText(t, `[data-testid="feedback"]`, "Your last answer")
	if b.text(t, `[data-testid="feedback-score"]`) == "" {
		t.Error("no feedback after the first answer")
	}
	b.noConsoleErrors(t)
}

// TestBrowserPhoneHeaderLoggedIn: on a 390 px phone the login page fits,
// and a signed-in learner with a long name still gets a compact header
// (at most 120 px) and no sideways scroll.
func TestBrowserPhoneHeaderLoggedIn(t *testing.T) {
	b := newBrowser(t)
	m := startOIDC(t)
	app := newAuthApp(t, modelstest.Open(t, modelstest.SQLite), m, Limits{})
	m.QueueUser(&mockoidc.MockUser{Subject: "phone-user", Email: "maximiliana.rodriguez-villanueva@example.com", PreferredUsername: "maximiliana.rodriguez-villanueva"})
	check := func(page string) {
		t.Helper()
		if h := eval[float64](t, b, `document.querySelector("header.site").getBoundingClientRect().height`); h > 120 {
			t.Errorf("%s: header %.0f px high, want at most 120", page, h)
		}
		if w := eval[int](t, b, `document.documentElement.scrollWidth`); w > 390 {
			t.Errorf("%s: page %d px wide on a 390 px phone", page, w)
		}
	}
	b.run(t,
		chromedp.EmulateViewport(390, 844, chromedp.EmulatePortrait),
		chromedp.Navigate(app.srv.URL+"/dashboard"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="login"]`)),
	)
	check("login")
	b.run(t,
		chromedp.Click(chromedp.CSS(`[data-testid="login-provider"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="user-name"]`)),
	)
	check("dashboard")
	b.noConsoleErrors(t)
}
