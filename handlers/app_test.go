package handlers

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"gorm.io/gorm"

	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/models/modelstest"
)

// fixedNow is the clock of handler tests.
var fixedNow = time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)

// testApp is a real server over a real database, with a client that keeps
// cookies and sends the CSRF token like the pages do.
type testApp struct {
	t      *testing.T
	h      *Handlers
	srv    *httptest.Server
	client *http.Client
	csrf   string
}

func newTestApp(t *testing.T, db *gorm.DB) *testApp {
	t.Helper()
	// Tests answer far faster than people: the rate limits have tests of their own.
	return newTestAppWith(t, db, Limits{LoginPerMinute: 1e6, AnswersPerMinute: 1e6, DraftsPerMinute: 1e6, RoundsPerMinute: 1e6})
}

func newTestAppWith(t *testing.T, db *gorm.DB, limits Limits) *testApp {
	t.Helper()
	h, err := New(context.Background(), Deps{
		Store:         models.NewStore(db),
		Now:           func() time.Time { return fixedNow },
		BaseURL:       "http://127.0.0.1",
		SessionSecret: []byte(strings.Repeat("s", 32)),
		Bank:          testBank(t),
		Limits:        limits,
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h.Echo())
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &testApp{t: t, h: h, srv: srv, client: client}
}

// testBank is the real embedded bank, loaded once.
func testBank(t *testing.T) *grader.Bank {
	t.Helper()
	bankOnce.Do(func() { bank, bankErr = grader.LoadBank() })
	if bankErr != nil {
		t.Fatalf("load bank: %v", bankErr)
	}
	return bank
}

var (
	bankOnce sync.Once
	bank     *grader.Bank
	bankErr  error
)

// sqliteApp is a test app on SQLite, for handler tests that do not depend
// on the database engine.
func sqliteApp(t *testing.T) *testApp {
	return newTestApp(t, modelstest.Open(t, modelstest.SQLite))
}

// do sends a request and returns the response with its body read.
func (a *testApp) do(method, path string, form url.Values, header map[string]string) (*http.Response, string) {
	a.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, a.srv.URL+path, body)
	if err != nil {
		a.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := a.client.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	return res, string(b)
}

// get fetches a page and remembers its CSRF token.
func (a *testApp) get(path string) (*http.Response, *goquery.Document) {
	a.t.Helper()
	res, body := a.do(http.MethodGet, path, nil, nil)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	if tok := csrfFromDoc(doc); tok != "" {
		a.csrf = tok
	}
	return res, doc
}

// post submits a form with the CSRF token of the last page.
func (a *testApp) post(path string, form url.Values) (*http.Response, string) {
	a.t.Helper()
	if a.csrf == "" {
		a.get("/")
	}
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", a.csrf)
	return a.do(http.MethodPost, path, form, nil)
}

// htmx submits a form as htmx does: the token in a header, HX-Request set.
func (a *testApp) htmx(method, path string, form url.Values) (*http.Response, string) {
	a.t.Helper()
	if a.csrf == "" {
		a.get("/")
	}
	return a.do(method, path, form, map[string]string{"HX-Request": "true", "X-CSRF-Token": a.csrf})
}

func csrfFromDoc(doc *goquery.Document) string {
	if v, ok := doc.Find("body").Attr("hx-headers"); ok {
		const key = `"X-CSRF-Token":"`
		if i := strings.Index(v, key); i >= 0 {
			rest := v[i+len(key):]
			return rest[:strings.IndexByte(rest, '"')]
		}
	}
	return ""
}

func parseDoc(t *testing.T, body string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// A rendered page is sent whole, with its length, not in chunks.
func TestPageSentWithLength(t *testing.T) {
	app := sqliteApp(t)
	res, body := app.do(http.MethodGet, "/help", nil, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("help: %d", res.StatusCode)
	}
	if res.ContentLength != int64(len(body)) || len(res.TransferEncoding) > 0 {
		t.Errorf("Content-Length %d, transfer encoding %v, body %d bytes: want the length and no chunks", res.ContentLength, res.TransferEncoding, len(body))
	}
}
