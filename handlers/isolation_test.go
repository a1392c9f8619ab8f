package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/models/modelstest"
)

// loginAs mints a session for a user, as a login would.
func (a *testApp) loginAs(u models.User) {
	a.t.Helper()
	c, err := a.h.Auth.SessionCookie(u.ID)
	if err != nil {
		a.t.Fatal(err)
	}
	base, _ := url.Parse(a.srv.URL)
	a.client.Jar.SetCookies(base, []*http.Cookie{c})
	a.csrf = ""
}

func newUser(t *testing.T, s *models.Store, subject, name string) models.User {
	t.Helper()
	u, _, err := s.UserForLogin(context.Background(), models.Login{Provider: "openid-connect", Subject: subject, Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// routeCase is how the isolation test calls one route as the other user.
type routeCase struct {
	method, path string
	form         url.Values
	// wantNotFound: the route names the victim's data and must answer 404.
	wantNotFound bool
	// noVictimData: the response must not contain the victim's text.
	noVictimData bool
}

// TestIsolation logs in two users and walks every route with the other
// user's ids: nothing of the victim's leaks, and named rows answer 404
// exactly like rows that do not exist.
func TestIsolation(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := startOIDC(t)
		app := newAuthApp(t, db, m, Limits{})
		store := app.h.Store
		victim := newUser(t, store, "victim", "Victim")
		attacker := newUser(t, store, "attacker", "Attacker")

		// The victim practises: a finished round with a secret answer, an
		// unfinished one, a drill plan and cards.
		const secret = "VICTIM-SECRET-ANSWER about read replicas and caching"
		app.loginAs(victim)
		done := app.startDrill("caching", 1, "study")
		app.answerRound(done, func(string) string { return secret })
		open := app.startDrill("apis", 2, "study")
		app.post("/drills", url.Values{"area": {"databases"}, "per_day": {"1"}, "stack": {"go"}, "level": {"middle"}})
		var plan models.DrillPlan
		db.Where("user_id = ?", victim.ID).First(&plan)
		var card models.SkillCard
		db.Where("user_id = ?", victim.ID).First(&card)
		if plan.ID == 0 || card.ID == 0 {
			t.Fatal("victim data not set up")
		}
		planPath := fmt.Sprintf("/drills/%d", plan.ID)
		var turn models.Turn
		db.Where("user_id = ? AND status = ?", victim.ID, models.TurnGraded).First(&turn)

		app.loginAs(attacker)
		slot := url.Values{"position": {"0"}, "step": {"0"}, "answer": {"x"}}
		routes := map[string]routeCase{
			"GET /healthz":                         {method: "GET", path: "/healthz"},
			"GET /metrics":                         {method: "GET", path: "/metrics", noVictimData: true},
			"GET /static/*":                        {method: "GET", path: "/static/app.css"},
			"GET /login":                           {method: "GET", path: "/login", noVictimData: true},
			"GET /auth/:provider":                  {method: "GET", path: "/auth/nope", wantNotFound: true},
			"GET /auth/:provider/callback":         {method: "GET", path: "/auth/nope/callback", wantNotFound: true},
			"POST /logout":                         {method: "POST", path: "/logout"},
			"GET /claim":                           {method: "GET", path: "/claim", noVictimData: true},
			"POST /claim":                          {method: "POST", path: "/claim", form: url.Values{"action": {"decline"}}, noVictimData: true},
			"GET /":                                {method: "GET", path: "/", noVictimData: true},
			"POST /setup/jd":                       {method: "POST", path: "/setup/jd", form: url.Values{"jd": {"Go"}}, noVictimData: true},
			"POST /setup/plan":                     {method: "POST", path: "/setup/plan", form: url.Values{"stack": {"go"}}, noVictimData: true},
			"POST /rounds":                         {method: "POST", path: "/rounds", form: url.Values{"stack": {"go"}}, noVictimData: true},
			"GET /rounds/:id":                      {method: "GET", path: open, wantNotFound: true},
			"POST /rounds/:id/answers":             {method: "POST", path: open + "/answers", form: slot, wantNotFound: true},
			"POST /rounds/:id/draft":               {method: "POST", path: open + "/draft", form: slot, wantNotFound: true},
			"POST /rounds/:id/skip":                {method: "POST", path: open + "/skip", form: slot, wantNotFound: true},
			"POST /rounds/:id/end":                 {method: "POST", path: open + "/end", wantNotFound: true},
			"GET /rounds/:id/report":               {method: "GET", path: done + "/report", wantNotFound: true},
			"POST /rounds/:id/turns/:turn/regrade": {method: "POST", path: fmt.Sprintf("/rounds/%d/turns/%d/regrade", turn.RoundID, turn.ID), wantNotFound: true},
			"POST /rounds/:id/turns/:turn/disputes": {method: "POST", path: fmt.Sprintf("/rounds/%d/turns/%d/disputes", turn.RoundID, turn.ID),
				form: url.Values{"kind": {"red_flag"}, "target": {"x"}}, wantNotFound: true},
			"GET /dashboard":           {method: "GET", path: "/dashboard", noVictimData: true},
			"GET /export.json":         {method: "GET", path: "/export.json", noVictimData: true},
			"GET /export.csv":          {method: "GET", path: "/export.csv", noVictimData: true},
			"POST /import":             {method: "POST", path: "/import", noVictimData: true},
			"GET /review":              {method: "GET", path: "/review", noVictimData: true},
			"POST /review":             {method: "POST", path: "/review", noVictimData: true},
			"GET /review/learn":        {method: "GET", path: "/review/learn?skill=" + url.QueryEscape(card.Skill), wantNotFound: true},
			"POST /review/learn":       {method: "POST", path: "/review/learn", form: url.Values{"skill": {card.Skill}}, wantNotFound: true},
			"GET /drills":              {method: "GET", path: "/drills", noVictimData: true},
			"POST /drills":             {method: "POST", path: "/drills", form: url.Values{"area": {"x"}}, noVictimData: true},
			"POST /drills/:id/start":   {method: "POST", path: planPath + "/start", wantNotFound: true},
			"POST /drills/:id/abandon": {method: "POST", path: planPath + "/abandon", wantNotFound: true},
			"GET /help":                {method: "GET", path: "/help", noVictimData: true},
			"POST /settings/retention": {method: "POST", path: "/settings/retention", form: url.Values{"retention": {"0.8"}}},
		}
		for _, r := range app.h.Echo().Routes() {
			key := r.Method + " " + r.Path
			if _, ok := routes[key]; !ok {
				t.Errorf("route %s is not in the isolation table: add it", key)
			}
		}
		for name, rc := range routes {
			if rc.path == "/logout" {
				continue // would end the attacker's session mid-walk; covered by the login test
			}
			app.get("/")
			var res *http.Response
			var body string
			if rc.method == "GET" {
				res, body = app.do(http.MethodGet, rc.path, nil, nil)
			} else {
				res, body = app.post(rc.path, rc.form)
			}
			if rc.wantNotFound && res.StatusCode != http.StatusNotFound {
				t.Errorf("%s as another user: %d, want 404", name, res.StatusCode)
			}
			if strings.Contains(body, "VICTIM-SECRET") || strings.Contains(body, "Victim") {
				t.Errorf("%s leaked the victim's data", name)
			}
		}
		// The victim's data is untouched.
		var n int64
		db.Model(&models.Turn{}).Where("user_id = ? AND answer = ?", victim.ID, secret).Count(&n)
		if n == 0 {
			t.Error("the victim's answer is gone")
		}
		db.Model(&models.DrillPlan{}).Where("id = ? AND status = ?", plan.ID, models.PlanActive).Count(&n)
		if n != 1 {
			t.Error("the attacker changed the victim's plan")
		}
	})
}

// TestUserTextIsEscaped renders <script> from an answer, a job
// description and a display name.
func TestUserTextIsEscaped(t *testing.T) {
	m := startOIDC(t)
	app := newAuthApp(t, modelstest.Open(t, modelstest.SQLite), m, Limits{})
	evil := newUser(t, app.h.Store, "evil", `<script>alert("name")</script>`)
	app.loginAs(evil)
	const payload = `<script>alert("x")</script>`
	round := app.startDrill("caching", 1, "study")
	app.answerRound(round, func(string) string { return payload + " I would cache it with a TTL." })
	_, report := app.do(http.MethodGet, round+"/report", nil, nil)
	_, setup := app.post("/rounds", url.Values{"stack": {"go"}, "level": {"middle"}, "type": {"screening"}, "feedback": {"bad"}, "jd": {payload}})
	_, chips := app.htmx(http.MethodPost, "/setup/jd", url.Values{"jd": {payload + " Go and Redis"}})
	for name, body := range map[string]string{"report": report, "setup": setup, "jd chips": chips} {
		if strings.Contains(body, "<script>alert") {
			t.Errorf("%s renders user text unescaped", name)
		}
		if name != "jd chips" && !strings.Contains(body, "&lt;script&gt;") {
			t.Errorf("%s should show the escaped text", name)
		}
	}
}

func TestAnswerRateLimit(t *testing.T) {
	m := startOIDC(t)
	app := newAuthApp(t, modelstest.Open(t, modelstest.SQLite), m, Limits{AnswersPerMinute: 1})
	app.loginAs(newUser(t, app.h.Store, "fast", "Fast"))
	round := app.startDrill("caching", 3, "study")
	form := url.Values{"position": {"0"}, "step": {"0"}, "answer": {"Yeah, we'd cache it."}}
	if res, _ := app.post(round+"/answers", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first answer: %d", res.StatusCode)
	}
	res, body := app.post(round+"/answers", form)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(body, "faster than this server allows") {
		t.Errorf("second answer at once: %d %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
}
