package handlers

import (
	"context"
	"os"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

func shot(t *testing.T, b *browser, name string) {
	for _, dark := range []bool{false, true} {
		for _, w := range []int64{1280, 390} {
			scheme := "light"
			if dark {
				scheme = "dark"
			}
			b.run(t,
				chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
					_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
					return err
				}),
				chromedp.EmulateViewport(w, 900),
			)
			buf, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile("/tmp/i17/"+name+"-"+scheme+"-"+itoa(int(w))+".png", buf, 0o644)
		}
	}
}

func TestZZShots(t *testing.T) {
	b := newBrowser(t)
	app := sqliteApp(t)
	round := app.startDrill("caching", 1, "study")
	b.run(t,
		onNewDocument(fakeSpeech),
		chromedp.Navigate(app.srv.URL+round),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="voice-toggle"]`)),
	)
	shot(t, b, "round-idle")
	b.run(t, chromedp.Click(chromedp.CSS(`[data-testid="voice-toggle"]`)))
	b.waitText(t, `[data-testid="voice-status"]`, "Listening")
	b.run(t, chromedp.Evaluate[chromedp.Void](`__speech.say("A cache can make things slower when the hit rate is low: every miss pays for the cache lookup and then the database", true); __speech.say(" and a hot key", false); __advance(35)`))
	b.waitText(t, `[data-testid="speak-countdown"]`, "left")
	shot(t, b, "round-listening")
	b.run(t, chromedp.Click(chromedp.CSS(`[data-testid="voice-toggle"]`)))
	b.waitText(t, `[data-testid="voice-status"]`, "stopped")
	b.run(t, chromedp.Click(chromedp.CSS(`[data-testid="submit-answer"]`)))
	b.waitText(t, `[data-testid="feedback"]`, "Dictated")
	shot(t, b, "feedback")
	b.run(t, chromedp.Click(chromedp.CSS(`[data-testid="skip"]`)))
	b.waitText(t, "h1", "Round report")
	shot(t, b, "report")
	b.run(t, chromedp.Navigate(app.srv.URL+"/help"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="voice-help"]`)))
	shot(t, b, "help")
}
