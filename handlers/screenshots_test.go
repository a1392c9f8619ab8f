package handlers

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// colorScheme emulates prefers-color-scheme: "light" or "dark".
func colorScheme(scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	})
}

// TestScreenshots writes screenshots of the main pages at 1280 px and
// 390 px, light and dark, over 60 days of demo history, into the folder
// SCREENSHOTS names (make screenshots: docs/screenshots). Without it the
// test is skipped: it is a tool for review, not a check.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("SCREENSHOTS")
	if dir == "" {
		t.Skip("set SCREENSHOTS to a folder to write screenshots (make screenshots)")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	app := sqliteApp(t)
	pages := phonePages(t, app)
	// The feedback after an answer: a study round with one shallow answer.
	feedback := app.startDrill("databases", 2, "study")
	_, prompt, pos, step := app.current(feedback)
	app.post(feedback+"/answers", map[string][]string{"position": {pos}, "step": {step}, "answer": {questionByPrompt(t, app.h.Bank, prompt).ShallowAnswer}})
	pages["feedback"] = feedback
	for _, scheme := range []string{"light", "dark"} {
		for _, width := range []int64{1280, 390} {
			height := int64(900)
			if width == 390 {
				height = 844
			}
			b.run(t, colorScheme(scheme), chromedp.EmulateViewport(width, height, chromedp.EmulatePortrait))
			for _, name := range []string{"home", "round", "feedback", "report", "review", "dashboard", "drills", "help"} {
				b.run(t, chromedp.Navigate(app.srv.URL+pages[name]), chromedp.WaitReady(chromedp.CSS("footer.site")))
				shot, err := chromedp.Run(b.ctx, screenshot(float64(width), maxShotHeight))
				if err != nil {
					t.Fatalf("screenshot %s: %v", name, err)
				}
				file := filepath.Join(dir, name+"-"+itoa(int(width))+"-"+scheme+".png")
				if err := os.WriteFile(file, smallPNG(t, shot), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// maxShotHeight bounds a screenshot: the top of a long page is what a
// change in look shows, and the folder stays small.
const maxShotHeight = 1800

// screenshot captures the page from the top, at most maxHeight pixels of it.
func screenshot(width, maxHeight float64) chromedp.Action[[]byte] {
	return func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		m, err := cdp.Call(ctx, t, page.GetLayoutMetrics, cdp.Empty{})
		if err != nil {
			return nil, err
		}
		height := min(m.CSSContentSize.Height, maxHeight)
		beyond := true
		r, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format: page.CaptureScreenshotFormatPng, CaptureBeyondViewport: &beyond,
			Clip: &page.Viewport{X: 0, Y: 0, Width: width, Height: height, Scale: 1},
		})
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	}
}

// smallPNG re-encodes a screenshot with the best compression, so the
// committed folder stays small.
func smallPNG(t *testing.T, shot []byte) []byte {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
