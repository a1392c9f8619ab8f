package handlers

import (
	"bufio"
	"bytes"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

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
func eachAuthApp(t *testing.T, fn func(t *testing.T, app *testApp, db *gorm.DB)) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		app := newAuthApp(t, db, startOIDC(t), Limits{})
		fn(t, app, db)
	})
}

var (
	_ = url.Values{}
	_ = strings.Contains
)
