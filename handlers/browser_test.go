package handlers

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/mockround/mockround/models/modelstest"
)

// chromiumPath finds Debian's Chromium (CHROMIUM_PATH overrides).
func chromiumPath() string {
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser is a headless Chromium tab that records console errors.
type browser struct {
	ctx    context.Context
	mu     sync.Mutex
	errors []string
}

// newBrowser starts Chromium with the flags this machine needs, in a fresh
// profile. Without Chromium the test is skipped, or fails under CI.
func newBrowser(t *testing.T, extra ...chromedp.ExecAllocatorOption) *browser {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests do not run with -short")
	}
	path := chromiumPath()
	if path == "" {
		modelstest.SkipOrFail(t, "Chromium is not installed, so the browser tests do not run (apt-get install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	opts = append(opts, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	b := &browser{ctx: ctx}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				b.mu.Lock()
				b.errors = append(b.errors, fmt.Sprintf("%s (%s:%d)", m.Text, m.URL, m.Line))
				b.mu.Unlock()
			}
		}
	}()
	return b
}

// run runs steps and fails the test on error.
func (b *browser) run(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// settled waits until htmx has finished its swap (no request, swap or
// settle in progress) and the page stops moving: a swapped fragment
// focuses its answer box, which scrolls, and a click aimed at a button
// before that lands wherever the button was.
func (b *browser) settled(t *testing.T) {
	t.Helper()
	const probe = `(document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling') ? 'busy' : '') +
		'|' + window.scrollY + '|' + (document.activeElement ? document.activeElement.id : '')`
	last := ""
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		got, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](probe))
		if err == nil && !strings.HasPrefix(got, "busy") && got == last {
			return
		}
		last = got
		_ = chromedp.Do(b.ctx, chromedp.Sleep(100*time.Millisecond))
	}
	t.Fatal("the page never settled after its last swap")
}

// click clicks the first element matching sel once the page has settled.
func (b *browser) click(t *testing.T, sel string) {
	t.Helper()
	b.settled(t)
	b.run(t, chromedp.Click(chromedp.CSS(sel)))
}

// text returns the text of the first element matching sel.
func (b *browser) text(t *testing.T, sel string) string {
	t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// eval evaluates a JavaScript expression.
func eval[T any](t *testing.T, b *browser, expr string) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("eval %s: %v", expr, err)
	}
	return v
}

// noConsoleErrors fails the test when the page logged an error.
func (b *browser) noConsoleErrors(t *testing.T) {
	t.Helper()
	// Console messages arrive asynchronously; give the last ones a moment.
	_ = chromedp.Do(b.ctx, chromedp.Sleep(100*time.Millisecond))
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.errors) > 0 {
		t.Errorf("console errors:\n  %s", strings.Join(b.errors, "\n  "))
	}
}

func TestBrowserHomeSmoke(t *testing.T) {
	b := newBrowser(t)
	app := sqliteApp(t)
	b.run(t,
		chromedp.Navigate(app.srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="home-intro"]`)),
	)
	if got := b.text(t, "h1"); !strings.Contains(got, "backend interview") {
		t.Errorf("h1 = %q", got)
	}
	if v := eval[string](t, b, `typeof htmx === "object" ? htmx.version : "missing"`); v != "2.0.11" {
		t.Errorf("htmx version = %q, want 2.0.11", v)
	}
	b.noConsoleErrors(t)
}
