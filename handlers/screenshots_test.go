package handlers

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/mockround/mockround/interview/grader"
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

// TestScreenshots writes screenshots of the main pages (and the setup
// shaped by a job description) at 1280 px and
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
	pages["probe"] = probePage(t, app)
	pages["more"] = shortLinePage(t, app)
	for _, scheme := range []string{"light", "dark"} {
		for _, width := range []int64{1280, 390} {
			height := int64(900)
			if width == 390 {
				height = 844
			}
			b.run(t, colorScheme(scheme), chromedp.EmulateViewport(width, height, chromedp.EmulatePortrait))
			for _, name := range []string{"home", "setup-jd", "round", "probe", "more", "feedback", "report", "review", "dashboard", "drills", "help"} {
				if name == "setup-jd" {
					// The setup once a job description has shaped it.
					b.run(t, chromedp.Navigate(app.srv.URL+"/#setup"), chromedp.WaitReady(chromedp.ID("jd")),
						chromedp.SendKeys(chromedp.ID("jd"), "Senior Go engineer, PostgreSQL, Kafka, Kubernetes, 6+ years"))
					b.waitText(t, `[data-testid="round-plan-areas"]`, "deployment")
					b.run(t, chromedp.Evaluate[chromedp.Void](`document.getElementById("setup").scrollIntoView()`))
				} else {
					b.run(t, chromedp.Navigate(app.srv.URL+pages[name]), chromedp.WaitReady(chromedp.CSS("footer.site")))
				}
				top := 0.0
				if name == "setup-jd" {
					top = eval[float64](t, b, `document.getElementById("setup").getBoundingClientRect().top + window.scrollY - 16`)
				}
				shot, err := chromedp.Run(b.ctx, screenshot(float64(width), top, maxShotHeight))
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

// probePage is a round waiting on the plain-words probe: its first answer
// named the rubric's terms and explained none.
func probePage(t *testing.T, app *testApp) string {
	t.Helper()
	for range 5 {
		round := app.startDrill("databases", 1, "study")
		_, prompt, pos, step := app.current(round)
		q := questionByPrompt(t, app.h.Bank, prompt)
		var names []string
		for _, kp := range q.KeyPoints {
			names = append(names, kp.Any[0])
		}
		app.post(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {strings.Join(names, ", ") + " all matter here."}})
		if _, next, _, _ := app.current(round); grader.KindOf(next) == grader.FollowUpPlainWords {
			return strings.TrimPrefix(round, app.srv.URL)
		}
	}
	t.Fatal("no answer of names brought the plain-words probe")
	return ""
}

// shortLinePage is a round whose first answer was a line too short to
// place: the interviewer asks for more.
func shortLinePage(t *testing.T, app *testApp) string {
	t.Helper()
	round := app.startDrill("behavioral", 1, "study")
	_, _, pos, step := app.current(round)
	app.post(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {"We talked it through and found a compromise."}})
	if _, next, _, _ := app.current(round); !strings.HasPrefix(next, "Could you say more?") {
		t.Fatalf("after a short line the interviewer asks %q", next)
	}
	return strings.TrimPrefix(round, app.srv.URL)
}

// maxShotHeight bounds a screenshot: the top of a long page is what a
// change in look shows, and the folder stays small.
const maxShotHeight = 1800

// screenshot captures the page from top down, at most maxHeight pixels.
func screenshot(width, top, maxHeight float64) chromedp.Action[[]byte] {
	return func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		m, err := cdp.Call(ctx, t, page.GetLayoutMetrics, cdp.Empty{})
		if err != nil {
			return nil, err
		}
		height := min(m.CSSContentSize.Height-top, maxHeight)
		beyond := true
		r, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format: page.CaptureScreenshotFormatPng, CaptureBeyondViewport: &beyond,
			Clip: &page.Viewport{X: 0, Y: top, Width: width, Height: height, Scale: 1},
		})
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	}
}

// smallPNG re-encodes a screenshot as a 256-colour PNG with the best
// compression, so the committed folder stays small. The palette is the
// page's most frequent colours, so the interface's own colours stay exact
// and only anti-aliased edges move to their nearest neighbour.
func smallPNG(t *testing.T, shot []byte) []byte {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	freq := map[color.RGBA]int{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			freq[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)]++
		}
	}
	colors := make([]color.RGBA, 0, len(freq))
	for c := range freq {
		colors = append(colors, c)
	}
	sort.Slice(colors, func(i, j int) bool {
		if freq[colors[i]] != freq[colors[j]] {
			return freq[colors[i]] > freq[colors[j]]
		}
		ci, cj := colors[i], colors[j]
		return uint32(ci.R)<<16|uint32(ci.G)<<8|uint32(ci.B) < uint32(cj.R)<<16|uint32(cj.G)<<8|uint32(cj.B)
	})
	pal := make(color.Palette, 0, 256)
	for _, c := range colors[:min(len(colors), 256)] {
		pal = append(pal, c)
	}
	out := image.NewPaletted(b, pal)
	index := map[color.RGBA]uint8{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			i, ok := index[c]
			if !ok {
				i = uint8(pal.Index(c))
				index[c] = i
			}
			out.SetColorIndex(x, y, i)
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, out); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
