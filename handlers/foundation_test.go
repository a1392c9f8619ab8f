package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/mockround/mockround/models/modelstest"
)

func TestHomePage(t *testing.T) {
	app := sqliteApp(t)
	res, doc := app.get("/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status = %d", res.StatusCode)
	}
	if doc.Find(`[data-testid="home-intro"]`).Length() != 1 {
		t.Error("home intro missing")
	}
	src, _ := doc.Find(`script[src*="htmx-2.0.11"]`).Attr("src")
	if !strings.Contains(src, "?v=") {
		t.Errorf("htmx script src = %q, want a versioned URL", src)
	}
	if doc.Find("script:not([src])").Length() != 0 {
		t.Error("page has an inline script")
	}
	if cur, _ := doc.Find(`[data-testid="nav-home"]`).Attr("aria-current"); cur != "page" {
		t.Errorf("nav-home aria-current = %q", cur)
	}
	if app.csrf == "" {
		t.Error("no CSRF token in hx-headers")
	}
}

func TestSecurityHeaders(t *testing.T) {
	app := sqliteApp(t)
	res, _ := app.get("/")
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if vary := strings.Join(res.Header.Values("Vary"), ","); !strings.Contains(vary, "HX-Request") {
		t.Errorf("Vary = %q, want HX-Request in it", vary)
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline: %q", csp)
	}
	for h, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
	} {
		if got := res.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
}

func TestStaticAssets(t *testing.T) {
	app := sqliteApp(t)
	res, body := app.do(http.MethodGet, "/static/vendor/htmx-2.0.11.min.js?v=x", nil, nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "htmx") {
		t.Fatalf("htmx: status %d", res.StatusCode)
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("Cache-Control = %q", cc)
	}
}

func TestHealth(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		app := newTestApp(t, db)
		res, body := app.do(http.MethodGet, "/healthz", nil, nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `"ok"`) {
			t.Fatalf("healthy: %d %s", res.StatusCode, body)
		}
		sqlDB, _ := db.DB()
		sqlDB.Close()
		res, body = app.do(http.MethodGet, "/healthz", nil, nil)
		if res.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("closed database: %d %s", res.StatusCode, body)
		}
	})
}

func TestMetricsCountRoutes(t *testing.T) {
	app := sqliteApp(t)
	app.get("/")
	app.get("/no-such-page")
	_, body := app.do(http.MethodGet, "/metrics", nil, nil)
	for _, want := range []string{
		`mockround_http_requests_total{method="GET",route="/",status="200"} 1`,
		`mockround_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`mockround_http_request_duration_seconds_bucket{method="GET",route="/"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestNotFoundPage(t *testing.T) {
	app := sqliteApp(t)
	res, doc := app.get("/no-such-page")
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("status = %d", res.StatusCode)
	}
	if doc.Find(`[data-testid="error"]`).Length() != 1 || doc.Find("header.site").Length() != 1 {
		t.Error("404 should be a full page with the error")
	}
	res, body := app.htmx(http.MethodGet, "/no-such-page", nil)
	if res.StatusCode != http.StatusNotFound || strings.Contains(body, "<html") {
		t.Errorf("htmx 404 should be a fragment, got %d", res.StatusCode)
	}
}

func TestCSRFRequired(t *testing.T) {
	app := sqliteApp(t)
	res, _ := app.do(http.MethodPost, "/", url.Values{"x": {"1"}}, nil)
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("POST without token: status %d, want 403", res.StatusCode)
	}
}
