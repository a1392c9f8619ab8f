package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mockround/mockround/models/modelstest"
)

// steppedClock is a clock the test moves on; the server reads it.
type steppedClock struct{ ns atomic.Int64 }

func newSteppedClock(at time.Time) *steppedClock {
	c := &steppedClock{}
	c.ns.Store(at.UnixNano())
	return c
}

func (c *steppedClock) now() time.Time               { return time.Unix(0, c.ns.Load()).UTC() }
func (c *steppedClock) advance(d time.Duration)      { c.ns.Add(int64(d)) }
func (a *testApp) useClock(c *steppedClock) *testApp { a.h.Now = c.now; return a }

// TestAnswersAtTypingSpeedPass: with the default limits, 15 answers at
// one every 1.5 s (someone answering "I don't know" as fast as they can)
// all pass; a script sending answers without pause is still stopped.
func TestAnswersAtTypingSpeedPass(t *testing.T) {
	clock := newSteppedClock(fixedNow)
	app := newTestAppWith(t, modelstest.Open(t, modelstest.SQLite), Limits{}).useClock(clock)
	round := app.startDrill("caching", 5, "study")
	for i := range 15 {
		clock.advance(1500 * time.Millisecond)
		res, doc := app.get(round)
		if res.StatusCode == http.StatusSeeOther { // the round is over: the next one
			round = app.startDrill("caching", 5, "study")
			res, doc = app.get(round)
		}
		if res.StatusCode != http.StatusOK {
			t.Fatalf("answer %d: round page %d", i+1, res.StatusCode)
		}
		pos, _ := doc.Find(`input[name="position"]`).Attr("value")
		step, _ := doc.Find(`input[name="step"]`).Attr("value")
		res, body := app.post(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {"I don't know."}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("answer %d of 15 at one every 1.5 s: status %d, want 303\n%s", i+1, res.StatusCode, body)
		}
	}
	// Without pause: the default allows a minute's worth (30) at once,
	// then refuses.
	limited := false
	for range DefaultAnswersPerMinute + 1 {
		res, _ := app.post(round+"/answers", url.Values{"position": {"0"}, "step": {"0"}, "answer": {"spam"}})
		if res.StatusCode == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	if !limited {
		t.Errorf("%d answers at the same instant were all let through", DefaultAnswersPerMinute+1)
	}
}

// TestAnswerTooSoonShowsInlineNotice: an answer over the limit, sent by
// htmx, comes back as the round panel (429, marked to be swapped in
// place) with a notice beside the form and the typed answer in the box;
// a plain form gets the whole round page the same way. Once the wait is
// over the same answer goes through.
func TestAnswerTooSoonShowsInlineNotice(t *testing.T) {
	clock := newSteppedClock(fixedNow)
	app := newTestAppWith(t, modelstest.Open(t, modelstest.SQLite), Limits{AnswersPerMinute: 1}).useClock(clock)
	round := app.startDrill("caching", 3, "study")
	_, _, pos, step := app.current(round)
	if res, body := app.htmx(http.MethodPost, round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {"Yeah, we'd cache it."}}); res.StatusCode != http.StatusOK {
		t.Fatalf("first answer: %d\n%s", res.StatusCode, body)
	}
	_, _, pos, step = app.current(round)
	typed := "A second answer, typed with care\nover two lines."
	form := url.Values{"position": {pos}, "step": {step}, "answer": {typed}}

	res, body := app.htmx(http.MethodPost, round+"/answers", form)
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("second answer at once: %d, want 429\n%s", res.StatusCode, body)
	}
	if res.Header.Get(swapInlineHeader) != "1" || res.Header.Get("Retry-After") != "60" {
		t.Errorf("headers: %s=%q Retry-After=%q", swapInlineHeader, res.Header.Get(swapInlineHeader), res.Header.Get("Retry-After"))
	}
	doc := parseDoc(t, body)
	if strings.Contains(body, "<html") || doc.Find("#round").Length() != 1 {
		t.Errorf("htmx 429 is not the round panel alone")
	}
	notice := doc.Find(`[data-testid="answer-form"] [data-testid="answer-wait"]`).Text()
	if want := "You are answering faster than this server allows (1 answer a minute). Wait a minute and submit again: your answer is still in the box."; notice != want {
		t.Errorf("notice beside the form: %q, want %q", notice, want)
	}
	if got := doc.Find("#answer").Text(); got != typed {
		t.Errorf("answer box %q, want the typed answer %q", got, typed)
	}

	res, body = app.post(round+"/answers", form)
	doc = parseDoc(t, body)
	if res.StatusCode != http.StatusTooManyRequests || doc.Find("html").Length() != 1 ||
		doc.Find(`[data-testid="answer-wait"]`).Length() != 1 || doc.Find("#answer").Text() != typed {
		t.Errorf("plain form over the limit: %d, want the round page with the notice and the text\n%s", res.StatusCode, body)
	}
	if n := countTurns(t, app.h.Store.DB()); n != 1 {
		t.Errorf("%d turns stored, want 1: an answer over the limit stores nothing", n)
	}

	clock.advance(61 * time.Second)
	if res, body := app.htmx(http.MethodPost, round+"/answers", form); res.StatusCode != http.StatusOK {
		t.Errorf("after the wait: %d\n%s", res.StatusCode, body)
	}
}

// TestMemoryRates: a key gets its minute's worth at once, then one more
// as each share of the minute passes; keys are independent.
func TestMemoryRates(t *testing.T) {
	ctx := context.Background()
	m := NewMemoryRates()
	for i := range 6 {
		if ok, _, _ := m.Allow(ctx, "a", 6, fixedNow); !ok {
			t.Fatalf("request %d of 6 refused", i+1)
		}
	}
	ok, wait, err := m.Allow(ctx, "a", 6, fixedNow)
	if ok || err != nil || wait != 10*time.Second {
		t.Errorf("7th at once: ok %v, wait %v, err %v; want refused, 10s", ok, wait, err)
	}
	if ok, _, _ := m.Allow(ctx, "b", 6, fixedNow); !ok {
		t.Error("another key was refused")
	}
	if ok, _, _ := m.Allow(ctx, "a", 6, fixedNow.Add(10*time.Second)); !ok {
		t.Error("refused after the wait it gave")
	}
	if ok, _, _ := m.Allow(ctx, "a", 6, fixedNow.Add(10*time.Second)); ok {
		t.Error("a second request in the same tenth of a minute was let through")
	}
}
