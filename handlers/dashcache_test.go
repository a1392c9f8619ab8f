package handlers

import (
	"net/http"
	"net/http/cookiejar"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"gorm.io/gorm"

	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/models/modelstest"
)

// TestDashboardCached: a second view of an unchanged history is the same
// page from one query (the fingerprint) instead of the dashboard's seven,
// and a round finished in between is on the next view.
func TestDashboardCached(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		app := newTestApp(t, db)
		app.fillDemo(30)
		qc := modelstest.CountStatements(t, app.h.Store)
		view := func() (string, int64, string) {
			t.Helper()
			before := qc.Load()
			res, doc := app.get("/dashboard")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			html, _ := doc.Find("main").Html()
			return html, qc.Load() - before, strings.TrimSpace(doc.Find(`[data-testid="totals"]`).Text())
		}
		first, drawn, totals := view()
		again, cached, _ := view()
		if again != first {
			t.Error("the cached dashboard differs from the one drawn")
		}
		if cached != 1 || drawn <= models.DashboardQueries {
			t.Errorf("queries: %d drawn, %d cached; want the fingerprint alone when cached", drawn, cached)
		}
		// Another session sees the kept dashboard with its own form token.
		jar, _ := cookiejar.New(nil)
		other := &testApp{t: t, h: app.h, srv: app.srv, client: &http.Client{Jar: jar}}
		tokens := func(a *testApp) (page string, forms []string) {
			_, doc := a.get("/dashboard")
			doc.Find(`input[name="_csrf"]`).Each(func(_ int, s *goquery.Selection) { forms = append(forms, s.AttrOr("value", "")) })
			return csrfFromDoc(doc), forms
		}
		for _, a := range []*testApp{app, other} {
			page, forms := tokens(a)
			if page == "" || len(forms) == 0 || slices.ContainsFunc(forms, func(f string) bool { return f != page }) {
				t.Errorf("the dashboard's forms carry %q, the session's token is %q", forms, page)
			}
		}
		if a, b := csrfFromDoc(parseDoc(t, mustGetBody(t, app))), csrfFromDoc(parseDoc(t, mustGetBody(t, other))); a == b {
			t.Error("two sessions got the same form token")
		}
		round := app.startDrill("caching", 1, "study")
		app.answerRound(round, func(p string) string { return questionByPrompt(t, app.h.Bank, p).ModelAnswer })
		_, _, after := view()
		if after == totals {
			t.Errorf("after a finished round the dashboard still says %q", after)
		}
	})
}

func mustGetBody(t *testing.T, a *testApp) string {
	t.Helper()
	_, body := a.do(http.MethodGet, "/dashboard", nil, nil)
	return body
}

// TestShortDashboardNotKept: a dashboard of a short history is drawn on
// every view rather than kept: it is cheap to draw, and the next round
// finished would draw it again anyway.
func TestShortDashboardNotKept(t *testing.T) {
	app := sqliteApp(t)
	round := app.startDrill("caching", 1, "study")
	app.answerRound(round, func(p string) string { return questionByPrompt(t, app.h.Bank, p).ModelAnswer })
	qc := modelstest.CountStatements(t, app.h.Store)
	for i := range 2 {
		before := qc.Load()
		if res, _ := app.get("/dashboard"); res.StatusCode != http.StatusOK {
			t.Fatalf("status %d", res.StatusCode)
		}
		if n := qc.Load() - before; n <= models.DashboardQueries {
			t.Errorf("view %d of a one-round history ran %d statements: it was served kept, want it drawn", i+1, n)
		}
	}
	if n := app.h.dashboards.Size(); n != 0 {
		t.Errorf("%d bytes of dashboards kept for a one-round history", n)
	}
}
