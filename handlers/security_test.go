package handlers

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/markbates/goth"
	"github.com/oauth2-proxy/mockoidc"
	"gorm.io/gorm"

	"github.com/mockround/mockround/interview"
	"github.com/mockround/mockround/interview/llm"
	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/models/modelstest"
)

// endlessBody is a request body of n bytes, made up as it is read, that
// counts what the server took from it.
type endlessBody struct {
	prefix []byte
	left   int64
	read   atomic.Int64
}

func newEndlessBody(prefix string, n int64) *endlessBody {
	return &endlessBody{prefix: []byte(prefix), left: n}
}

func (b *endlessBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, io.EOF
	}
	n := 0
	if len(b.prefix) > 0 {
		n = copy(p, b.prefix)
		b.prefix = b.prefix[n:]
	}
	for n < len(p) && int64(n) < b.left {
		p[n] = 'a'
		n++
	}
	b.left -= int64(n)
	b.read.Add(int64(n))
	return n, nil
}

const twoGB = 2 << 30

// sendLarge posts a 2 GB multipart upload to path over a raw connection,
// chunked (no length) or with its length announced, reading the answer
// while it writes, and returns the status and the bytes the server took.
// (Go's client gives up on the answer once a write fails.)
func (a *testApp) sendLarge(path string, chunked bool, header map[string]string) (int, int64) {
	a.t.Helper()
	head := "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.json\"\r\n\r\n"
	body := newEndlessBody(head, twoGB)
	req, err := http.NewRequest(http.MethodPost, a.srv.URL+path, io.NopCloser(body))
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "multipart/form-data; boundary=XYZ")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	base, _ := url.Parse(a.srv.URL)
	for _, c := range a.client.Jar.Cookies(base) {
		req.AddCookie(c)
	}
	req.ContentLength = twoGB
	if chunked {
		req.ContentLength = -1
		req.TransferEncoding = []string{"chunked"}
	}
	conn, err := net.Dial("tcp", base.Host)
	if err != nil {
		a.t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	go req.Write(conn) // stops at the first failed write
	res, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		a.t.Fatalf("POST %s: no answer: %v (after %d bytes)", path, err, body.read.Load())
	}
	return res.StatusCode, body.read.Load()
}

// readBound is how much of a refused upload the test accepts being sent:
// socket buffers and the server's short drain, far from 2 GB.
const readBound = 32 << 20

// TestLargeBodiesAnsweredUnread: a 2 GB upload is answered before it is
// read: anonymous bodies are refused by the session check, and a user's
// by the size limit, both before the CSRF check parses any form.
func TestLargeBodiesAnsweredUnread(t *testing.T) {
	m := startOIDC(t)
	app := newAuthApp(t, modelstest.Open(t, modelstest.SQLite), m, Limits{})
	for _, path := range []string{"/import", "/rounds", "/setup/jd"} {
		for _, chunked := range []bool{true, false} {
			status, read := app.sendLarge(path, chunked, nil)
			if (status != http.StatusSeeOther && status != http.StatusRequestEntityTooLarge) || read > readBound {
				t.Errorf("anonymous %s (chunked %v): %d after reading %d bytes, want a redirect to login, unread", path, chunked, status, read)
			}
		}
	}
	app.loginAs(newUser(t, app.h.Store, "big", "Big"))
	app.get("/")
	for _, path := range []string{"/import", "/rounds"} {
		status, read := app.sendLarge(path, false, map[string]string{"X-CSRF-Token": app.csrf})
		if status != http.StatusRequestEntityTooLarge || read > readBound {
			t.Errorf("logged in, %s with 2 GB announced: %d after reading %d bytes, want 413 unread", path, status, read)
		}
		// Without a token, chunked: read only up to the limit, never parsed.
		status, read = app.sendLarge(path, true, nil)
		if (status != http.StatusRequestEntityTooLarge && status != http.StatusForbidden) || read > maxImport+readBound {
			t.Errorf("logged in, %s chunked: %d after reading %d bytes, want 413 or 403 within the limit", path, status, read)
		}
	}
	// An import of normal size still works.
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("file", "export.json")
	fw.Write([]byte(`{"format":"mockround-export","version":1,"rounds":[],"cards":[],"review_log":[],"drill_plans":[]}`))
	w.WriteField("_csrf", app.csrf)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, app.srv.URL+"/import", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	res, err := app.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("a small import: %d", res.StatusCode)
	}
}

// eachAuthApp runs fn on a login-enabled app over every database.
func eachAuthApp(t *testing.T, fn func(t *testing.T, app *testApp, m *mockoidc.MockOIDC, db *gorm.DB)) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := startOIDC(t)
		fn(t, newAuthApp(t, db, m, Limits{}), m, db)
	})
}

// authApp is a login-enabled app on SQLite and its provider.
func authApp(t *testing.T) (*testApp, *mockoidc.MockOIDC) {
	m := startOIDC(t)
	return newAuthApp(t, modelstest.Open(t, modelstest.SQLite), m, Limits{}), m
}

// browser is another visitor of the same app, with cookies of its own.
func (a *testApp) browser() *testApp {
	jar, _ := cookiejar.New(nil)
	b := *a
	b.client = &http.Client{Jar: jar, CheckRedirect: a.client.CheckRedirect}
	b.csrf = ""
	return &b
}

// loginFrom runs a login from begin (an /auth/... URL) through the
// provider; it stops before the callback and returns the callback URL.
func (a *testApp) loginFrom(begin string) *url.URL {
	a.t.Helper()
	res, _ := a.do(http.MethodGet, begin, nil, nil)
	if res.StatusCode != http.StatusFound {
		a.t.Fatalf("begin %s: %d", begin, res.StatusCode)
	}
	res, err := a.client.Get(res.Header.Get("Location"))
	if err != nil {
		a.t.Fatal(err)
	}
	res.Body.Close()
	cb, err := url.Parse(res.Header.Get("Location"))
	if err != nil || cb.Query().Get("code") == "" {
		a.t.Fatalf("provider did not send back a code: %q", res.Header.Get("Location"))
	}
	return cb
}

// callback opens a callback URL and returns the response.
func (a *testApp) callback(cb *url.URL) *http.Response {
	a.t.Helper()
	res, err := a.client.Get(cb.String())
	if err != nil {
		a.t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

// whoAmI is the name the dashboard shows, "" when not logged in.
func (a *testApp) whoAmI() string {
	a.t.Helper()
	res, body := a.do(http.MethodGet, "/dashboard", nil, nil)
	if res.StatusCode != http.StatusOK {
		return ""
	}
	return strings.TrimSpace(parseDoc(a.t, body).Find(`[data-testid="user-name"]`).Text())
}

// TestLoginStateCannotBeFixed: the state of a login is the app's own, and
// the nonce is random and kept in the login's cookie. A victim who opens
// /auth/openid-connect?state=KNOWN and then the attacker's callback URL is
// not logged in as the attacker (login CSRF).
func TestLoginStateCannotBeFixed(t *testing.T) {
	eachAuthApp(t, func(t *testing.T, app *testApp, m *mockoidc.MockOIDC, db *gorm.DB) {
		// The attacker starts a login of their own and keeps the callback.
		attacker := app.browser()
		m.QueueUser(&mockoidc.MockUser{Subject: "mallory", Email: "mallory@example.com", PreferredUsername: "mallory"})
		cb := attacker.loginFrom("/auth/openid-connect")
		state := cb.Query().Get("state")

		victim := app.browser()
		res, _ := victim.do(http.MethodGet, "/auth/openid-connect?state="+url.QueryEscape(state), nil, nil)
		authURL, _ := url.Parse(res.Header.Get("Location"))
		if got := authURL.Query().Get("state"); got == state || got == "" {
			t.Errorf("the login used the state from the URL: %q", got)
		}
		if res := victim.callback(cb); res.StatusCode != http.StatusForbidden {
			t.Errorf("the attacker's callback in the victim's browser: %d, want 403", res.StatusCode)
		}
		if who := victim.whoAmI(); who != "" {
			t.Errorf("the victim is logged in as %q", who)
		}

		// Nonces are random per login, not derived from anything in the URL.
		n1, n2 := beginNonce(t, app.browser()), beginNonce(t, app.browser())
		if n1 == "" || n1 == n2 {
			t.Errorf("nonces %q and %q", n1, n2)
		}
		// The attacker's own callback still works, once.
		if res := attacker.callback(cb); res.StatusCode != http.StatusSeeOther || attacker.whoAmI() != "mallory" {
			t.Errorf("the attacker's own login: %d as %q", res.StatusCode, attacker.whoAmI())
		}
	})
}

func beginNonce(t *testing.T, a *testApp) string {
	res, _ := a.do(http.MethodGet, "/auth/openid-connect", nil, nil)
	u, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("nonce")
}

// openRedirects are next= values that leave the site, or may, in some
// browser: every one must end the login at "/".
var openRedirects = []string{
	`/\evil.example/x`, "/\t/evil.example/x", `/\/evil.example`, "//evil.example", "///evil.example",
	`\\evil.example`, `\/evil.example`, "https://evil.example/", "http:/evil.example", "http:evil.example",
	"javascript:alert(1)", "evil.example", " /evil.example", "/\r\n/evil.example", "/\x00/evil.example",
	"/%2F/evil.example", "/%5Cevil.example", "/.//evil.example", "/../evil.example", "/dashboard/../../evil",
	"/\u00a0/evil.example", "/not-a-page", "/auth/openid-connect", "/logout", "/export.json", "/rounds/x",
	"/rounds/9223372036854775808", "//%09/evil.example", "/%09/evil.example/x",
}

func TestNextStaysOnSite(t *testing.T) {
	for _, bad := range openRedirects {
		if got := safeNext(bad); got != "/" {
			t.Errorf("safeNext(%q) = %q, want /", bad, got)
		}
	}
	for in, want := range map[string]string{
		"/": "/", "/dashboard": "/dashboard", "/rounds/12": "/rounds/12", "/rounds/12/report": "/rounds/12/report",
		"/review/learn?skill=go+channels": "/review/learn?skill=go+channels", "/help#retention": "/help",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}

	// End to end: the login link and the redirect after the callback, in
	// the form a link would carry them (encoded once, and raw).
	app, m := authApp(t)
	for i, bad := range openRedirects {
		for _, q := range []string{url.QueryEscape(bad), strings.ReplaceAll(url.QueryEscape(bad), "%25", "%")} {
			_, doc := app.browser().get("/login?next=" + q)
			href, _ := doc.Find(`[data-testid="login-provider"]`).Attr("href")
			if u, err := url.Parse(href); err != nil || u.Query().Get("next") != "/" {
				t.Errorf("login link for next=%q: %q", q, href)
			}
			b := app.browser()
			m.QueueUser(&mockoidc.MockUser{Subject: fmt.Sprintf("u%d", i), Email: "u@example.com"})
			res := b.callback(b.loginFrom("/auth/openid-connect?next=" + q))
			if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/" {
				t.Errorf("after login with next=%q: %d to %q, want /", q, res.StatusCode, loc)
			}
		}
	}
	b := app.browser()
	m.QueueUser(&mockoidc.MockUser{Subject: "ok", Email: "ok@example.com"})
	if loc := b.callback(b.loginFrom("/auth/openid-connect?next=" + url.QueryEscape("/rounds/7/report"))).Header.Get("Location"); loc != "/rounds/7/report" {
		t.Errorf("a page of the app as next: went to %q", loc)
	}
}

// TestPagePathsCoverRoutes keeps pagePaths in step with the routes: every
// GET route is a page a login may return to, or known not to be one.
func TestPagePathsCoverRoutes(t *testing.T) {
	notPages := map[string]bool{"/healthz": true, "/metrics": true, "/static/*": true, "/login": true,
		"/auth/:provider": true, "/auth/:provider/callback": true, "/export.json": true, "/export.csv": true}
	app := sqliteApp(t)
	for _, r := range app.h.Echo().Routes() {
		if r.Method != http.MethodGet || notPages[r.Path] {
			continue
		}
		p := strings.NewReplacer(":id", "1").Replace(r.Path)
		if !isPagePath(p) {
			t.Errorf("GET %s is neither in pagePaths nor known not to be a page", r.Path)
		}
	}
}

// sessionCookie is the browser's session cookie, as a copy.
func (a *testApp) sessionCookie() *http.Cookie {
	base, _ := url.Parse(a.srv.URL)
	for _, c := range a.client.Jar.Cookies(base) {
		if c.Name == sessionName {
			return &http.Cookie{Name: c.Name, Value: c.Value}
		}
	}
	return nil
}

// TestLogoutRevokes: a session cookie saved before a logout does not work
// after it; sessions end when idle for a week and 30 days after login.
func TestLogoutRevokes(t *testing.T) {
	eachAuthApp(t, func(t *testing.T, app *testApp, m *mockoidc.MockOIDC, db *gorm.DB) {
		m.QueueUser(&mockoidc.MockUser{Subject: "sam", Email: "sam@example.com", PreferredUsername: "sam"})
		app.callback(app.loginFrom("/auth/openid-connect"))
		saved := app.sessionCookie()
		if saved == nil || app.whoAmI() != "sam" {
			t.Fatal("not logged in")
		}
		app.get("/")
		app.post("/logout", nil)
		thief := app.browser()
		base, _ := url.Parse(app.srv.URL)
		thief.client.Jar.SetCookies(base, []*http.Cookie{saved})
		if who := thief.whoAmI(); who != "" {
			t.Errorf("a cookie saved before logout still works, as %q", who)
		}
		// Logging in again works.
		m.QueueUser(&mockoidc.MockUser{Subject: "sam", Email: "sam@example.com", PreferredUsername: "sam"})
		app.callback(app.loginFrom("/auth/openid-connect"))
		if app.whoAmI() != "sam" {
			t.Error("a login after a logout does not work")
		}
	})
}

func TestSessionLifetimes(t *testing.T) {
	app, _ := authApp(t)
	var now atomic.Int64
	now.Store(time.Now().UnixNano())
	app.h.Auth.now = func() time.Time { return time.Unix(0, now.Load()) }
	advance := func(d time.Duration) { now.Add(int64(d)) }
	u := newUser(t, app.h.Store, "ida", "Ida")

	app.loginAs(u)
	advance(6 * 24 * time.Hour)
	if app.whoAmI() != "Ida" {
		t.Fatal("a session used within the idle limit ended")
	}
	advance(8 * 24 * time.Hour)
	if who := app.whoAmI(); who != "" {
		t.Errorf("a session idle for 8 days still works, as %q", who)
	}

	app.loginAs(u)
	for day := 1; day <= 29; day++ {
		advance(24 * time.Hour)
		if app.whoAmI() != "Ida" {
			t.Fatalf("a session used daily ended on day %d", day)
		}
	}
	advance(2 * 24 * time.Hour)
	if who := app.whoAmI(); who != "" {
		t.Errorf("a session 31 days old still works, as %q", who)
	}
}

// csrfCookieValue is the browser's CSRF cookie.
func (a *testApp) csrfCookieValue() string {
	base, _ := url.Parse(a.srv.URL)
	for _, c := range a.client.Jar.Cookies(base) {
		if c.Name == csrfCookie {
			return c.Value
		}
	}
	return ""
}

// TestCSRFTokenRotatesAtLoginAndLogout: a token known before a login (say,
// planted by another site) is not the one used after it, nor after logout.
func TestCSRFTokenRotatesAtLoginAndLogout(t *testing.T) {
	app, m := authApp(t)
	app.get("/login")
	before := app.csrfCookieValue()
	m.QueueUser(&mockoidc.MockUser{Subject: "cy", Email: "cy@example.com"})
	app.callback(app.loginFrom("/auth/openid-connect"))
	app.get("/dashboard")
	during := app.csrfCookieValue()
	if before == "" || during == "" || during == before {
		t.Errorf("CSRF cookie before login %q, after %q: want a new one", before, during)
	}
	app.post("/logout", nil)
	app.get("/login")
	if after := app.csrfCookieValue(); after == "" || after == during {
		t.Errorf("CSRF cookie after logout %q, during the session %q: want a new one", after, during)
	}
}

// TestCookiesEncrypted: the session and login cookies do not show the
// user id or the nonce to whoever reads them.
func TestCookiesEncrypted(t *testing.T) {
	app, m := authApp(t)
	res, _ := app.do(http.MethodGet, "/auth/openid-connect", nil, nil)
	authURL, _ := url.Parse(res.Header.Get("Location"))
	nonce := authURL.Query().Get("nonce")
	var values []string
	for _, c := range res.Cookies() {
		values = append(values, c.Value)
	}
	m.QueueUser(&mockoidc.MockUser{Subject: "enc", Email: "enc@example.com"})
	res, _ = app.do(http.MethodGet, "/auth/openid-connect", nil, nil)
	for _, c := range res.Cookies() {
		values = append(values, c.Value)
	}
	app.callback(app.loginFrom("/auth/openid-connect"))
	values = append(values, app.sessionCookie().Value)
	for _, v := range values {
		plain := decodeCookieLayers(v)
		for _, secret := range []string{sessionUserKey, sessionIssuedKey, loginNonceKey, nonce, "openid-connect", "AuthURL"} {
			if strings.Contains(plain, inClear(secret)) {
				t.Errorf("a cookie shows %q in clear", secret)
			}
		}
	}
}

// inClear is how a secret shows in a cookie that is not encrypted: a
// short session key ("uid") as gob writes a string, its length byte
// first, since three letters alone turn up in base64 text by chance
// (about one run in a few hundred); a longer one as it is.
func inClear(secret string) string {
	if len(secret) < 8 {
		return string(rune(len(secret))) + secret
	}
	return secret
}

// decodeCookieLayers undoes securecookie's base64 layers: what a signed
// but unencrypted cookie shows to anyone.
func decodeCookieLayers(v string) string {
	out := v
	if b, err := base64.URLEncoding.DecodeString(v); err == nil {
		out += string(b)
		for _, part := range strings.Split(string(b), "|") {
			if p, err := base64.URLEncoding.DecodeString(part); err == nil {
				out += string(p)
			}
		}
	}
	return out
}

// TestMetricsLabelsFixed: made-up methods do not grow the metrics: they
// are counted as "other".
func TestMetricsLabelsFixed(t *testing.T) {
	app := sqliteApp(t)
	for i := range 300 {
		for _, p := range []string{"/", "/rounds/1", "/no-such-page"} {
			app.do(fmt.Sprintf("M%dX", i), p, nil, nil)
		}
	}
	_, body := app.do(http.MethodGet, "/metrics", nil, nil)
	if strings.Contains(body, `method="M1X"`) || strings.Contains(body, `method="M299X"`) {
		t.Error("a made-up method became a label")
	}
	if !strings.Contains(body, `method="other"`) {
		t.Error(`made-up methods should count as method="other"`)
	}
	if n := strings.Count(body, "mockround_http_requests_total{"); n > 10 {
		t.Errorf("%d request series after 900 odd requests, want a handful", n)
	}
}

// TestMetricsToken: with METRICS_TOKEN set, /metrics needs it as a bearer
// token; with a listener of their own, the app's /metrics is 404.
func TestMetricsToken(t *testing.T) {
	app := sqliteApp(t)
	app.h.Metrics.Token = "s3cret-metrics-token"
	for name, auth := range map[string]string{"none": "", "wrong": "Bearer nope", "basic": "Basic czNjcmV0"} {
		res, body := app.do(http.MethodGet, "/metrics", nil, map[string]string{"Authorization": auth})
		if res.StatusCode != http.StatusUnauthorized || strings.Contains(body, "mockround_http") {
			t.Errorf("%s token: %d", name, res.StatusCode)
		}
	}
	res, body := app.do(http.MethodGet, "/metrics", nil, map[string]string{"Authorization": "Bearer s3cret-metrics-token"})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "mockround_http_requests_total") {
		t.Errorf("right token: %d", res.StatusCode)
	}
	app.h.Metrics.OwnListener = true
	if res, _ := app.do(http.MethodGet, "/metrics", nil, map[string]string{"Authorization": "Bearer s3cret-metrics-token"}); res.StatusCode != http.StatusNotFound {
		t.Errorf("metrics on their own listener, app's /metrics: %d, want 404", res.StatusCode)
	}
}

// lockedBuffer is a log destination safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestLoginQueriesNotLogged: the callback's code and state stay out of
// the logs.
func TestLoginQueriesNotLogged(t *testing.T) {
	app, m := authApp(t)
	var logs lockedBuffer
	app.h.Log = slog.New(slog.NewTextHandler(&logs, nil))
	m.QueueUser(&mockoidc.MockUser{Subject: "log", Email: "log@example.com"})
	cb := app.loginFrom("/auth/openid-connect?next=/dashboard")
	app.callback(cb)
	out := logs.String()
	if !strings.Contains(out, "/auth/openid-connect/callback") {
		t.Fatalf("the callback was not logged:\n%s", out)
	}
	for _, secret := range []string{cb.Query().Get("code"), cb.Query().Get("state"), "code=", "state="} {
		if strings.Contains(out, secret) {
			t.Errorf("the logs show %q:\n%s", secret, out)
		}
	}
}

// TestModelCallsLimited: with a model configured, starting or analysing
// rounds calls it at most the per-user budget; re-grades are for fallback
// grades only, and a grade the model gave cannot be re-graded.
func TestModelCallsLimited(t *testing.T) {
	f := newFakeLLM(t)
	app := llmApp(t, f)
	client, err := llm.New(llm.Config{BaseURL: f.srv.URL, Model: "fake-model", MaxRetries: -1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int64
	app.h.AnalyzeJD = func(ctx context.Context, text string) interview.JDAnalysis {
		calls.Add(1)
		return client.AnalyzeJDMerged(ctx, text)
	}
	limited := 0
	for range 30 {
		res, _ := app.post("/rounds", url.Values{"action": {"analyse"}, "stack": {"go"}, "level": {"middle"}, "type": {"screening"},
			"feedback": {"study"}, "jd": {"Backend engineer: Go, PostgreSQL and Redis."}})
		if res.StatusCode == http.StatusTooManyRequests {
			limited++
		}
	}
	// A minute's worth (the default budget) goes through at once; the
	// rest waits.
	if limited != 30-DefaultModelCallsPerMinute || calls.Load() > DefaultModelCallsPerMinute {
		t.Errorf("30 analyses: %d limited, %d model calls; want %d limited, at most %d calls",
			limited, calls.Load(), 30-DefaultModelCallsPerMinute, DefaultModelCallsPerMinute)
	}
}

func TestRegradeOnlyFallbackOnce(t *testing.T) {
	f := newFakeLLM(t)
	app := llmApp(t, f)
	round := app.startDrill("caching", 2, "study")
	_, prompt, pos, step := app.current(round)
	q := questionByPrompt(t, app.h.Bank, prompt)
	app.post(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {q.ModelAnswer}})
	var graded models.Turn
	app.h.Store.DB().Where("status = ?", models.TurnGraded).First(&graded)
	path := fmt.Sprintf("/rounds/%d/turns/%d/regrade", graded.RoundID, graded.ID)
	if res, _ := app.post(path, nil); res.StatusCode != http.StatusConflict {
		t.Errorf("re-grade of the model's own grade: %d, want 409", res.StatusCode)
	}

	f.down.Store(true)
	_, _, pos, step = app.current(round)
	app.post(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {q.ModelAnswer}})
	var fallback models.Turn
	app.h.Store.DB().Where("status = ? AND id <> ?", models.TurnGraded, graded.ID).Order("id DESC").First(&fallback)
	if !strings.Contains(fallback.Evidence, "llm_error") {
		t.Fatalf("the second answer is not a fallback grade: %s", fallback.Evidence)
	}
	f.down.Store(false)
	path = fmt.Sprintf("/rounds/%d/turns/%d/regrade", fallback.RoundID, fallback.ID)
	if res, _ := app.post(path, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("re-grade of a fallback grade: %d", res.StatusCode)
	}
	if res, _ := app.post(path, nil); res.StatusCode != http.StatusConflict {
		t.Errorf("second re-grade: %d, want 409", res.StatusCode)
	}
	if res, _ := app.post(fmt.Sprintf("/rounds/%d/turns/9223372036854775808/regrade", fallback.RoundID), nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("re-grade of turn 2^63: %d, want 404", res.StatusCode)
	}
}

// TestHugeIDsNotFound: ids past PostgreSQL's bigint answer 404 on every
// route that names a row, on both databases.
func TestHugeIDsNotFound(t *testing.T) {
	eachAuthApp(t, func(t *testing.T, app *testApp, _ *mockoidc.MockOIDC, _ *gorm.DB) {
		app.loginAs(newUser(t, app.h.Store, "ids", "Ids"))
		for _, id := range []string{"9223372036854775808", "18446744073709551615", "18446744073709551616", "0", "-1"} {
			for _, r := range []struct{ method, path string }{
				{"GET", "/rounds/" + id}, {"GET", "/rounds/" + id + "/report"},
				{"POST", "/rounds/" + id + "/answers"}, {"POST", "/rounds/" + id + "/skip"}, {"POST", "/rounds/" + id + "/end"},
				{"POST", "/rounds/" + id + "/turns/1/regrade"}, {"POST", "/rounds/1/turns/" + id + "/regrade"},
				{"POST", "/drills/" + id + "/start"}, {"POST", "/drills/" + id + "/abandon"},
			} {
				var res *http.Response
				if r.method == "GET" {
					res, _ = app.do(http.MethodGet, r.path, nil, nil)
				} else {
					res, _ = app.post(r.path, url.Values{"position": {"0"}, "step": {"0"}, "answer": {"x"}})
				}
				if res.StatusCode != http.StatusNotFound {
					t.Errorf("%s %s: %d, want 404", r.method, r.path, res.StatusCode)
				}
			}
		}
	})
}

// TestCSVEveryCellNeutralised: whatever a stored row holds (an import can
// put anything anywhere), no CSV cell starts like a formula.
func TestCSVEveryCellNeutralised(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		app := newTestApp(t, db)
		uid := app.h.localUser.ID
		evil := []string{"=HYPERLINK(\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "\n=1+1"}
		for i, v := range evil {
			r := models.Round{UserID: uid, Type: v, Stack: v, Level: v, Feedback: "study", QuestionIDs: models.StringList{v},
				Status: models.RoundFinished, StartedAt: fixedNow}
			if err := db.Create(&r).Error; err != nil {
				t.Fatal(err)
			}
			tr := models.Turn{RoundID: r.ID, UserID: uid, Position: 0, Step: 0, QuestionID: v, Area: v, Skill: fmt.Sprintf("%s%d", v, i),
				Level: v, Prompt: v, Answer: v, Status: v, Grader: v, Evidence: fmt.Sprintf(`{"llm_error":%q}`, v), AnsweredAt: fixedNow}
			if err := db.Create(&tr).Error; err != nil {
				t.Fatal(err)
			}
		}
		res, body := app.do(http.MethodGet, "/export.csv", nil, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("csv: %d", res.StatusCode)
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(evil)+1 {
			t.Fatalf("%d rows", len(rows))
		}
		for _, row := range rows[1:] {
			for i, cell := range row {
				if cell != "" && strings.ContainsRune("=+-@\t\r\n", rune(cell[0])) {
					t.Errorf("column %s starts like a formula: %q", csvHeader[i], cell)
				}
			}
		}
	})
}

// upload posts a file to /import as the form does.
func (a *testApp) upload(content []byte) (*http.Response, string) {
	a.t.Helper()
	if a.csrf == "" {
		a.get("/")
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("file", "export.json")
	fw.Write(content)
	w.WriteField("_csrf", a.csrf)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/import", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	res, err := a.client.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// TestImportValidatesEveryField: each bad field of an otherwise good export
// is refused with 400 naming the field, and nothing is imported, on both
// databases; the good export then imports.
func TestImportValidatesEveryField(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		src := newTestApp(t, modelstest.Open(t, modelstest.SQLite))
		src.fillDemo(8)
		good, err := src.h.Store.ExportData(context.Background(), src.h.localUser.ID, fixedNow)
		if err != nil {
			t.Fatal(err)
		}
		if len(good.DrillPlans) == 0 {
			good.DrillPlans = append(good.DrillPlans, models.ExportPlan{ID: 900, Area: "caching", Stack: "go", Level: "middle",
				Days: 7, PerDay: 2, StartDay: fixedNow, Status: models.PlanActive})
		}
		raw, _ := json.Marshal(good)
		app := newTestApp(t, db)
		cases := []struct {
			field  string
			change func(e *models.Export)
		}{
			{"rounds[0].answers[0].position", func(e *models.Export) { e.Rounds[0].Answers[0].Position = -1 }},
			{"rounds[0].answers[1]: position 0 step 0 appears twice", func(e *models.Export) {
				e.Rounds[0].Answers = append(e.Rounds[0].Answers[:1], e.Rounds[0].Answers...)
			}},
			{"cards[1].skill", func(e *models.Export) { e.Cards = append(e.Cards[:1], e.Cards...) }},
			{"drill_plans[0].days", func(e *models.Export) { e.DrillPlans[0].Days = -7 }},
			{"drill_plans[0].per_day", func(e *models.Export) { e.DrillPlans[0].PerDay = 100000 }},
			{"plans are active: at most one may be", func(e *models.Export) {
				p := e.DrillPlans[0]
				p.ID, p.Status = 901, models.PlanActive
				e.DrillPlans = append(e.DrillPlans, p)
			}},
			{"user.desired_retention", func(e *models.Export) { e.User.DesiredRetention = 5.0 }},
			{"rounds[0].question_ids[0]", func(e *models.Export) { e.Rounds[0].QuestionIDs[0] = "no-such-question" }},
			{"rounds[0].answers[0].answer: contains a NUL", func(e *models.Export) { e.Rounds[0].Answers[0].Answer = "a\x00b" }},
			{"rounds[0].job_description: contains a NUL", func(e *models.Export) { e.Rounds[0].JobDescription = "Go\x00" }},
			{"rounds[0].type", func(e *models.Export) { e.Rounds[0].Type = "=cmd" }},
			{"rounds[0].status", func(e *models.Export) { e.Rounds[0].Status = "paused" }},
			{"rounds[0].position", func(e *models.Export) { e.Rounds[0].Position = 99 }},
			{"rounds[0].scores.overall", func(e *models.Export) { e.Rounds[0].Scores.Overall = 11 }},
			{"rounds[0].answers[0].scores.depth", func(e *models.Export) { e.Rounds[0].Answers[0].Scores.Depth = -1 }},
			{"rounds[0].answers[0].skill", func(e *models.Export) { e.Rounds[0].Answers[0].Skill = "juggling" }},
			{"rounds[0].answers[0].area", func(e *models.Export) { e.Rounds[0].Answers[0].Area = "astrology" }},
			{"rounds[0].answers[0].level", func(e *models.Export) { e.Rounds[0].Answers[0].Level = "wizard" }},
			{"rounds[1].id: ", func(e *models.Export) { e.Rounds[0].ID = e.Rounds[1].ID }},
			{"review_log[0].rating", func(e *models.Export) { e.Reviews[0].Rating = 9 }},
			{"review_log[0].round_id", func(e *models.Export) { id := uint(12345); e.Reviews[0].RoundID = &id }},
			{"cards[0].state", func(e *models.Export) { e.Cards[0].State = 7 }},
			{"rounds[0].stack", func(e *models.Export) { e.Rounds[0].Stack = strings.Repeat("g", 30) }},
		}
		for _, tc := range cases {
			var e models.Export
			if err := json.Unmarshal(raw, &e); err != nil {
				t.Fatal(err)
			}
			tc.change(&e)
			b, _ := json.Marshal(e)
			res, body := app.upload(b)
			msg := parseDoc(t, body).Find(`[data-testid="error-message"]`).Text()
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(msg, tc.field) {
				t.Errorf("%s: %d %q", tc.field, res.StatusCode, msg)
			}
		}
		var n int64
		db.Model(&models.Round{}).Count(&n)
		if n != 0 {
			t.Fatalf("refused imports left %d rounds", n)
		}
		if res, _ := app.upload(raw); res.StatusCode != http.StatusSeeOther {
			t.Errorf("the good export: %d", res.StatusCode)
		}
		if res, _ := app.get("/dashboard"); res.StatusCode != http.StatusOK {
			t.Errorf("dashboard after import: %d", res.StatusCode)
		}
	})
}

// TestClaimOfferedToFirstAccountOnly: of accounts logging in while the
// local history is unclaimed, only the first is offered it; the others
// can neither see nor claim nor decline it, even logging in at once.
func TestClaimOfferedToFirstAccountOnly(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		newTestApp(t, db).fillDemo(3) // history practised in local mode
		m := startOIDC(t)
		app := newAuthApp(t, db, m, Limits{})
		first, second := app.browser(), app.browser()
		m.QueueUser(&mockoidc.MockUser{Subject: "first", Email: "first@example.com"})
		if loc := first.callback(first.loginFrom("/auth/openid-connect")).Header.Get("Location"); loc != "/claim" {
			t.Fatalf("the first account went to %q, want /claim", loc)
		}
		// The first has not decided yet when the second logs in.
		m.QueueUser(&mockoidc.MockUser{Subject: "second", Email: "second@example.com"})
		if loc := second.callback(second.loginFrom("/auth/openid-connect")).Header.Get("Location"); loc == "/claim" {
			t.Error("a second account was offered the local history")
		}
		if res, _ := second.get("/claim"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("the second account's claim page: %d, want a redirect", res.StatusCode)
		}
		for _, action := range []string{"claim", "decline"} {
			if res, _ := second.post("/claim", url.Values{"action": {action}}); res.StatusCode != http.StatusConflict {
				t.Errorf("the second account's %s: %d, want 409", action, res.StatusCode)
			}
		}
		if res, _ := first.post("/claim", url.Values{"action": {"claim"}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("the first account's claim: %d", res.StatusCode)
		}
	})
}

func TestClaimOfferAtomic(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		newTestApp(t, db).fillDemo(2)
		store := models.NewStore(db)
		const n = 8
		users := make([]models.User, n)
		for i := range users {
			users[i] = newUser(t, store, fmt.Sprintf("racer-%d", i), "Racer")
		}
		var offered atomic.Int32
		var wg sync.WaitGroup
		for _, u := range users {
			wg.Go(func() {
				_, ok, err := store.OfferLocalHistory(context.Background(), u.ID)
				if err != nil {
					t.Error(err)
				}
				if ok {
					offered.Add(1)
				}
			})
		}
		wg.Wait()
		if offered.Load() != 1 {
			t.Errorf("%d accounts were offered the local history at once, want 1", offered.Load())
		}
	})
}

// TestHeadWorks: HEAD answers like GET without a body, /healthz included;
// static folders are 404, not a redirect loop.
func TestHeadWorks(t *testing.T) {
	app := sqliteApp(t)
	for path, want := range map[string]int{"/healthz": 200, "/": 200, "/dashboard": 200, "/static/app.css": 200,
		"/no-such-page": 404, "/rounds/9223372036854775808": 404} {
		res, body := app.do(http.MethodHead, path, nil, nil)
		if res.StatusCode != want || body != "" {
			t.Errorf("HEAD %s: %d with %d bytes, want %d and no body", path, res.StatusCode, len(body), want)
		}
	}
	if res, _ := app.do(http.MethodHead, "/healthz", nil, nil); res.Header.Get("Content-Type") == "" {
		t.Error("HEAD /healthz should carry GET's headers")
	}
	for _, path := range []string{"/static/vendor", "/static/vendor/", "/static/"} {
		res, _ := app.do(http.MethodGet, path, nil, nil)
		if res.StatusCode == http.StatusMovedPermanently {
			res, _ = app.do(http.MethodGet, res.Header.Get("Location"), nil, nil)
		}
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404 (no redirect loop)", path, res.StatusCode)
		}
	}
}

// TestLoginAllowList: with ALLOWED_EMAIL_DOMAINS only verified addresses
// of those domains log in; others get 403 and no account.
func TestLoginAllowList(t *testing.T) {
	eachAuthApp(t, func(t *testing.T, app *testApp, m *mockoidc.MockOIDC, db *gorm.DB) {
		app.h.Auth.emailDomains = lowerSet([]string{"Example.com"})
		for _, u := range []*mockoidc.MockUser{
			{Subject: "out", Email: "mallory@evil.example", EmailVerified: true},
			{Subject: "unverified", Email: "eve@example.com", EmailVerified: false},
			{Subject: "lookalike", Email: "eve@example.com.evil.example", EmailVerified: true},
		} {
			b := app.browser()
			m.QueueUser(u)
			if res := b.callback(b.loginFrom("/auth/openid-connect")); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s: %d, want 403", u.Email, res.StatusCode)
			}
		}
		var n int64
		db.Model(&models.User{}).Where("is_local = ?", false).Count(&n)
		if n != 0 {
			t.Errorf("refused logins created %d accounts", n)
		}
		b := app.browser()
		m.QueueUser(&mockoidc.MockUser{Subject: "in", Email: "alice@EXAMPLE.com", EmailVerified: true, PreferredUsername: "alice"})
		if res := b.callback(b.loginFrom("/auth/openid-connect")); res.StatusCode != http.StatusSeeOther || b.whoAmI() == "" {
			t.Errorf("an allowed address: %d", res.StatusCode)
		}
	})
}

// TestGitHubOrgAllowList checks membership through GitHub's API (here a
// local server answering /user/orgs as GitHub does).
func TestGitHubOrgAllowList(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/user/orgs" {
			http.NotFound(w, r)
			return
		}
		switch r.Header.Get("Authorization") {
		case "Bearer member":
			fmt.Fprint(w, `[{"login":"Other"},{"login":"MockRound-Team"}]`)
		case "Bearer outsider":
			fmt.Fprint(w, `[{"login":"other"}]`)
		default:
			http.Error(w, `{"message":"Bad credentials"}`, http.StatusUnauthorized)
		}
	}))
	t.Cleanup(api.Close)
	a := &Auth{githubOrgs: lowerSet([]string{"mockround-team"}), githubAPI: api.URL, http: api.Client()}
	ctx := context.Background()
	for token, want := range map[string]bool{"member": true, "outsider": false, "expired": false} {
		err := a.allowed(ctx, "github", goth.User{AccessToken: token, Email: "x@example.com"})
		if (err == nil) != want {
			t.Errorf("token %s: allowed = %v, want %v", token, err == nil, want)
		}
	}
	// The org list does not let other providers in.
	if a.allowed(ctx, "openid-connect", goth.User{Email: "x@example.com"}) == nil {
		t.Error("a non-GitHub login passed a GitHub-only allow-list")
	}
}

// TestJobDescriptionNotText: a job description with NUL or invalid UTF-8
// is stored cleaned on both databases, not a server error.
func TestJobDescriptionNotText(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		app := newTestApp(t, db)
		jd := "Backend engineer\x00: Go, \xff\xfePostgreSQL and Redis."
		if res, _ := app.htmx(http.MethodPost, "/setup/jd", url.Values{"jd": {jd}}); res.StatusCode != http.StatusOK {
			t.Errorf("JD chips: %d", res.StatusCode)
		}
		for _, action := range []string{"analyse", ""} {
			res, _ := app.post("/rounds", url.Values{"action": {action}, "stack": {"go"}, "level": {"middle"}, "type": {"screening"},
				"feedback": {"study"}, "jd": {jd}})
			if res.StatusCode >= 500 {
				t.Errorf("POST /rounds action=%q: %d", action, res.StatusCode)
			}
		}
		var r models.Round
		if err := db.First(&r).Error; err != nil {
			t.Fatalf("no round started: %v", err)
		}
		if !utf8.ValidString(r.JobDescription) || strings.ContainsRune(r.JobDescription, 0) || !strings.Contains(r.JobDescription, "PostgreSQL") {
			t.Errorf("stored JD %q", r.JobDescription)
		}
	})
}

// TestCSRFEveryRoute: every state-changing route refuses a logged-in
// request without a token, with another session's token, and with a token
// from before the login, on both databases.
func TestCSRFEveryRoute(t *testing.T) {
	eachAuthApp(t, func(t *testing.T, app *testApp, m *mockoidc.MockOIDC, db *gorm.DB) {
		other := app.browser()
		other.loginAs(newUser(t, app.h.Store, "other", "Other"))
		other.get("/")
		stale := app.browser()
		stale.get("/login")
		staleToken := stale.csrfCookieValue()
		m.QueueUser(&mockoidc.MockUser{Subject: "csrf", Email: "csrf@example.com"})
		stale.callback(stale.loginFrom("/auth/openid-connect"))
		app.loginAs(newUser(t, app.h.Store, "me", "Me"))
		app.get("/")
		n := 0
		for _, r := range app.h.Echo().Routes() {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				continue
			}
			path := strings.NewReplacer(":id", "1", ":turn", "1").Replace(r.Path)
			for name, tok := range map[string]string{"none": "", "another session's": other.csrf, "wrong": "x" + app.csrf} {
				form := url.Values{"action": {"claim"}}
				if tok != "" {
					form.Set("_csrf", tok)
				}
				if res, _ := app.do(r.Method, path, form, nil); res.StatusCode != http.StatusForbidden {
					t.Errorf("%s %s with %s token: %d, want 403", r.Method, r.Path, name, res.StatusCode)
				}
			}
			if res, _ := stale.do(r.Method, path, url.Values{"_csrf": {staleToken}}, nil); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s with the token from before login: %d, want 403", r.Method, r.Path, res.StatusCode)
			}
			n++
		}
		if n < 15 {
			t.Errorf("only %d state-changing routes walked", n)
		}
	})
}

// TestHSTSOnlyUnderHTTPS: Strict-Transport-Security goes out with a
// https BASE_URL on TLS (or X-Forwarded-Proto: https) requests, without
// includeSubDomains.
func TestHSTSOnlyUnderHTTPS(t *testing.T) {
	h, err := New(context.Background(), Deps{Store: models.NewStore(modelstest.Open(t, modelstest.SQLite)),
		Now: func() time.Time { return fixedNow }, BaseURL: "https://m.example", Bank: testBank(t)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h.Echo())
	t.Cleanup(srv.Close)
	get := func(proto string) string {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/healthz", nil)
		if proto != "" {
			req.Header.Set("X-Forwarded-Proto", proto)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.Header.Get("Strict-Transport-Security")
	}
	if got := get("https"); got != "max-age=15552000" {
		t.Errorf("HSTS behind a TLS proxy: %q", got)
	}
	if got := get(""); got != "" {
		t.Errorf("HSTS on plain http: %q", got)
	}
}
