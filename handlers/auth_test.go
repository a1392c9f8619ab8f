package handlers

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"
	"gorm.io/gorm"

	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/models/modelstest"
)

// startOIDC runs a real OpenID Connect server in-process, with optional
// middleware around its endpoints.
func startOIDC(t *testing.T, mws ...func(http.Handler) http.Handler) *mockoidc.MockOIDC {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, mw := range mws {
		if err := m.AddMiddleware(mw); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	return m
}

// newAuthApp is a test app with login through the OIDC server m; opts
// change its dependencies before it starts.
func newAuthApp(t *testing.T, db *gorm.DB, m *mockoidc.MockOIDC, limits Limits, opts ...func(*Deps)) *testApp {
	t.Helper()
	if limits == (Limits{}) {
		limits = Limits{LoginPerMinute: 1e6, AnswersPerMinute: 1e6, DraftsPerMinute: 1e6, RoundsPerMinute: 1e6}
	}
	// The server must know its own URL for the callback: listen first.
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	cfg := m.Config()
	auth, err := NewAuth(context.Background(), AuthOptions{BaseURL: base, Secret: []byte(strings.Repeat("k", 32)),
		OIDC: OAuthClient{ID: cfg.ClientID, Secret: cfg.ClientSecret}, OIDCIssuer: cfg.Issuer})
	if err != nil {
		t.Fatal(err)
	}
	d := Deps{Store: models.NewStore(db), Now: func() time.Time { return fixedNow },
		BaseURL: base, SessionSecret: []byte(strings.Repeat("s", 32)), Bank: testBank(t), Auth: auth, Limits: limits}
	for _, o := range opts {
		o(&d)
	}
	h, err := New(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = h.Echo()
	srv.Start()
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &testApp{t: t, h: h, srv: srv, client: client}
}

// oidcLogin runs the whole login: our begin URL, the provider's authorize
// endpoint, our callback. It returns the callback's response.
func (a *testApp) oidcLogin(tamper func(callback *url.URL)) *http.Response {
	a.t.Helper()
	res, _ := a.do(http.MethodGet, "/auth/openid-connect", nil, nil)
	if res.StatusCode != http.StatusFound {
		a.t.Fatalf("begin: %d", res.StatusCode)
	}
	authURL, _ := url.Parse(res.Header.Get("Location"))
	if authURL.Query().Get("nonce") == "" || authURL.Query().Get("state") == "" {
		a.t.Fatalf("authorize URL without state or nonce: %s", authURL)
	}
	res, err := a.client.Get(authURL.String())
	if err != nil {
		a.t.Fatal(err)
	}
	res.Body.Close()
	cb, _ := url.Parse(res.Header.Get("Location"))
	if tamper != nil {
		tamper(cb)
	}
	res, err = a.client.Get(cb.String())
	if err != nil {
		a.t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

func TestOIDCLogin(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := startOIDC(t)
		app := newAuthApp(t, db, m, Limits{})

		// Not logged in: pages send you to /login, which lists the provider.
		res, _ := app.do(http.MethodGet, "/dashboard", nil, nil)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Fatalf("anonymous dashboard: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		_, doc := app.get("/login")
		if doc.Find(`[data-testid="login-provider"]`).Length() != 1 {
			t.Fatal("login page should list the OpenID Connect provider")
		}
		for _, p := range []string{"/healthz", "/metrics", "/static/app.css"} {
			if res, _ := app.do(http.MethodGet, p, nil, nil); res.StatusCode != http.StatusOK {
				t.Errorf("%s needs no login, got %d", p, res.StatusCode)
			}
		}

		m.QueueUser(&mockoidc.MockUser{Subject: "alice-1", Email: "alice@example.com", PreferredUsername: "alice"})
		res = app.oidcLogin(nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("callback: %d", res.StatusCode)
		}
		var users int64
		db.Model(&models.User{}).Where("is_local = ?", false).Count(&users)
		if users != 1 {
			t.Fatalf("%d users after the first login", users)
		}
		res, doc = app.get("/dashboard")
		if res.StatusCode != http.StatusOK || !strings.Contains(doc.Find(`[data-testid="user-name"]`).Text(), "alice") {
			t.Fatalf("logged in dashboard: %d, user %q", res.StatusCode, doc.Find(`[data-testid="user-name"]`).Text())
		}

		// Log out, then log in again: the same user is found.
		app.get("/")
		app.post("/logout", nil)
		if res, _ := app.do(http.MethodGet, "/dashboard", nil, nil); res.StatusCode != http.StatusSeeOther {
			t.Errorf("after logout the dashboard should redirect, got %d", res.StatusCode)
		}
		m.QueueUser(&mockoidc.MockUser{Subject: "alice-1", Email: "alice@example.com"})
		app.oidcLogin(nil)
		db.Model(&models.User{}).Where("is_local = ?", false).Count(&users)
		if users != 1 {
			t.Errorf("a returning user created a new account: %d users", users)
		}
	})
}

func TestOIDCForgedStateRefused(t *testing.T) {
	m := startOIDC(t)
	app := newAuthApp(t, modelstest.Open(t, modelstest.SQLite), m, Limits{})
	res := app.oidcLogin(func(cb *url.URL) {
		q := cb.Query()
		q.Set("state", "forged-"+q.Get("state"))
		cb.RawQuery = q.Encode()
	})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("forged state: %d, want 403", res.StatusCode)
	}
	if res, _ := app.do(http.MethodGet, "/dashboard", nil, nil); res.StatusCode == http.StatusOK {
		t.Error("a forged state logged someone in")
	}
}

// TestOIDCTokenFromAnotherKeyRefused has the provider's token endpoint
// hand out an id_token with the right claims signed by a key the issuer
// does not publish: the signature check must refuse it.
func TestOIDCTokenFromAnotherKeyRefused(t *testing.T) {
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	forger, err := mockoidc.NewKeypair(other)
	if err != nil {
		t.Fatal(err)
	}
	var forgedSent atomic.Bool
	m := startOIDC(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasSuffix(r.URL.Path, "/token") {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var body map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Errorf("token response: %v", err)
				return
			}
			// oauth2 first tries the client's credentials in a header,
			// which mockoidc refuses: pass that refusal on as it is, so
			// the client retries with them in the form.
			idToken, ok := body["id_token"].(string)
			if !ok {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(rec.Code)
				w.Write(rec.Body.Bytes())
				return
			}
			// Same claims, re-signed with the forger's key.
			claims := jwt.MapClaims{}
			if _, _, err := jwt.NewParser().ParseUnverified(idToken, claims); err != nil {
				t.Errorf("parse id_token: %v", err)
			}
			forged, err := forger.SignJWT(claims)
			if err != nil {
				t.Errorf("sign: %v", err)
			}
			body["id_token"] = forged
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(body)
			forgedSent.Store(true)
		})
	})
	app := newAuthApp(t, modelstest.Open(t, modelstest.SQLite), m, Limits{})
	res := app.oidcLogin(nil)
	if !forgedSent.Load() {
		t.Fatal("the app never asked for the token the test forges")
	}
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("token signed by another key: %d, want 403", res.StatusCode)
	}
	var n int64
	app.h.Store.DB().Model(&models.User{}).Where("is_local = ?", false).Count(&n)
	if n != 0 {
		t.Error("a forged token created a user")
	}
}

func TestLoginPageListsConfiguredProviders(t *testing.T) {
	auth, err := NewAuth(context.Background(), AuthOptions{BaseURL: "https://m.example", Secret: []byte(strings.Repeat("k", 32)),
		GitHub: OAuthClient{"gh", "ghs"}, Google: OAuthClient{"g", "gs"}})
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, p := range auth.Providers() {
		labels = append(labels, p.Label)
	}
	if strings.Join(labels, ",") != "GitHub,Google" {
		t.Errorf("providers %v", labels)
	}
	if !auth.store.Options.Secure || auth.store.Options.SameSite != http.SameSiteLaxMode || !auth.store.Options.HttpOnly {
		t.Errorf("session cookie options %+v: want Secure under https, SameSite=Lax, HttpOnly", auth.store.Options)
	}
}

func TestClaimLocalHistory(t *testing.T) {
	m := startOIDC(t)
	db := modelstest.Open(t, modelstest.SQLite)
	// History practised in local mode, before login was configured.
	local := sqliteAppOn(t, db)
	local.fillDemo(5)
	var localRounds int64
	db.Model(&models.Round{}).Count(&localRounds)

	app := newAuthApp(t, db, m, Limits{})
	m.QueueUser(&mockoidc.MockUser{Subject: "first", Email: "first@example.com"})
	res := app.oidcLogin(nil)
	if loc := res.Header.Get("Location"); loc != "/claim" {
		t.Fatalf("the first account should be asked, went to %q", loc)
	}
	_, doc := app.get("/claim")
	if doc.Find(`[data-testid="claim"]`).Length() != 1 {
		t.Fatal("claim page missing")
	}
	app.post("/claim", url.Values{"action": {"claim"}})
	var mine int64
	db.Model(&models.Round{}).Joins("JOIN users ON users.id = rounds.user_id").Where("users.is_local = ?", false).Count(&mine)
	if mine != localRounds || mine == 0 {
		t.Errorf("claimed %d of %d rounds", mine, localRounds)
	}
	// A second account is not asked.
	app.post("/logout", nil)
	m.QueueUser(&mockoidc.MockUser{Subject: "second", Email: "second@example.com"})
	if loc := app.oidcLogin(nil).Header.Get("Location"); loc == "/claim" {
		t.Error("a second account was offered the local history")
	}
}

// sqliteAppOn is a local-mode app on a given database.
func sqliteAppOn(t *testing.T, db *gorm.DB) *testApp { return newTestApp(t, db) }
