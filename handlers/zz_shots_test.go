package handlers

import (
	"context"
	"os"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/mockround/mockround/models/modelstest"
)

func TestZZShots(t *testing.T) {
	dir := os.Getenv("SHOTS_DIR")
	if dir == "" {
		t.Skip()
	}
	for _, dark := range []bool{false, true} {
		for _, w := range []int64{1280, 390} {
			b := newBrowser(t)
			app := newTestAppWith(t, modelstest.Open(t, modelstest.SQLite), Limits{AnswersPerMinute: 1})
			round := app.startDrill("caching", 3, "study")
			scheme := "light"
			if dark {
				scheme = "dark"
			}
			b.run(t, chromedp.EmulateViewport(w, 900), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
				return err
			}))
			b.run(t, chromedp.Navigate(app.srv.URL+round), chromedp.WaitVisible(chromedp.ID("answer")))
			b.answer(t, "Yeah, we'd cache it.")
			b.waitText(t, `[data-testid="feedback"]`, "Your last answer")
			b.answer(t, "A second answer, far too soon.")
			b.waitText(t, `[data-testid="answer-wait"]`, "faster")
			b.run(t, chromedp.ScrollIntoView(chromedp.CSS(`[data-testid="answer-wait"]`)))
			png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(dir+"/wait-"+scheme+"-"+itoa(int(w))+".png", png, 0o644)
		}
	}
}
