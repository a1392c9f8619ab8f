package handlers

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/mockround/mockround/interview"
	"github.com/mockround/mockround/models"
)

// fakeSpeech replaces the browser's speech recognition with a double the
// test drives: __speech.say(text, final) is the service hearing words (an
// interim result is replaced by the next one until a final one settles
// it), __speech.pause() the service ending a session by itself after a
// silence, __speech.fail(code) an error that ends it, __speechLog records
// start and stop, and __advance(s) moves the
// clock the page measures speaking time with, which otherwise stands still.
const fakeSpeech = `(function () {
  var clock = 0;
  performance.now = function () { return clock; };
  window.__advance = function (s) { clock += s * 1000; };
  window.__speechLog = [];
  class FakeRecognition extends EventTarget {
    constructor() { super(); this.results = []; this.running = false; window.__speech = this; }
    start() {
      if (this.running) throw new DOMException("already started", "InvalidStateError");
      this.running = true;
      this.results = [];
      window.__speechLog.push("start");
      setTimeout(() => this.dispatchEvent(new Event("start")), 0);
    }
    stop() {
      window.__speechLog.push("stop");
      this.running = false;
      setTimeout(() => this.dispatchEvent(new Event("end")), 0);
    }
    abort() { this.stop(); }
    pause() {
      this.running = false;
      this.dispatchEvent(new Event("end"));
    }
    fail(code) {
      var e = new Event("error");
      e.error = code;
      this.dispatchEvent(e);
      this.running = false;
      this.dispatchEvent(new Event("end"));
    }
    say(text, final) {
      var last = this.results[this.results.length - 1];
      var i = last && !last.isFinal ? this.results.length - 1 : this.results.length;
      var r = [{ transcript: text, confidence: 0.9 }];
      r.isFinal = final;
      this.results[i] = r;
      var e = new Event("result");
      e.resultIndex = i;
      e.results = this.results;
      this.dispatchEvent(e);
    }
  }
  window.SpeechRecognition = FakeRecognition;
  window.webkitSpeechRecognition = FakeRecognition;
})();`

// noSpeech removes speech recognition, as in a browser without it.
const noSpeech = `delete window.SpeechRecognition; delete window.webkitSpeechRecognition;`

// onNewDocument runs script in every page before the page's own scripts.
func onNewDocument(script string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: script})
		return err
	})
}

// waitEval waits until a JavaScript expression is true.
func (b *browser) waitEval(t *testing.T, expr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return
		}
		_ = chromedp.Do(b.ctx, chromedp.Sleep(50*time.Millisecond))
	}
	t.Fatalf("never true: %s", expr)
}

func roundIDOf(t *testing.T, roundURL string) uint {
	t.Helper()
	id, err := strconv.ParseUint(strings.TrimPrefix(roundURL, "/rounds/"), 10, 64)
	if err != nil {
		t.Fatalf("round URL %q: %v", roundURL, err)
	}
	return uint(id)
}

// TestBrowserDictation answers by voice through a speech recognition
// double: interim and final words fill the box, an edit made while
// dictating is kept, the draft saves on the server, the countdown runs,
// Alt+V stops, and the feedback and the report show the speaking time
// with the flag for an answer far under its budget.
func TestBrowserDictation(t *testing.T) {
	b := newBrowser(t)
	app := sqliteApp(t)
	ctx := context.Background()
	round := app.startDrill("caching", 1, "study")
	b.run(t,
		onNewDocument(fakeSpeech),
		chromedp.Navigate(app.srv.URL+round),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="voice-toggle"]`)),
	)
	q := questionByPrompt(t, app.h.Bank, b.text(t, `[data-testid="prompt"]`))
	if q.Kind != "screening" {
		t.Fatalf("question %s is %s; the test expects a screening question", q.ID, q.Kind)
	}
	budget := interview.SpeakingBudgetFor(q.Kind, false)
	if got := eval[string](t, b, `document.querySelector('[data-testid="voice-toggle"]').getAttribute("aria-pressed")`); got != "false" {
		t.Errorf("aria-pressed before dictating = %q", got)
	}
	if name := eval[string](t, b, `document.querySelector('[data-testid="voice-toggle"]').textContent.trim()`); name != "Dictate" {
		t.Errorf("the button's name is %q", name)
	}
	if !strings.Contains(b.text(t, `[data-testid="voice-note"]`), "mockround receives only the text") {
		t.Error("the note on where the audio goes is missing")
	}
	if got := b.text(t, `[data-testid="speak-countdown"]`); got != "2:00 to speak" {
		t.Errorf("countdown before speaking = %q", got)
	}

	// Start with the button; the service hears words.
	b.run(t, chromedp.Click(chromedp.CSS(`[data-testid="voice-toggle"]`)))
	b.waitEval(t, `document.querySelector('[data-testid="voice-toggle"]').getAttribute("aria-pressed") === "true"`)
	b.waitText(t, `[data-testid="voice-status"]`, "Listening")
	b.run(t, chromedp.Evaluate[chromedp.Void](`__speech.say("a cache", false)`))
	if v := eval[string](t, b, `document.getElementById("answer").value`); v != "a cache" {
		t.Errorf("after interim words the box holds %q", v)
	}
	b.run(t, chromedp.Evaluate[chromedp.Void](`__speech.say("a cache can be slower", false); __speech.say("a cache can be slower", true); __speech.say(" when the hit rate is low", false)`))
	want := "a cache can be slower when the hit rate is low"
	if v := eval[string](t, b, `document.getElementById("answer").value`); v != want {
		t.Errorf("after a final and an interim result the box holds %q, want %q", v, want)
	}
	// The user corrects a word while still dictating; recognition goes on.
	b.run(t,
		chromedp.Evaluate[chromedp.Void](`(function () { var a = document.getElementById("answer"); a.value = a.value.replace("hit rate", "hit ratio"); a.dispatchEvent(new Event("input", { bubbles: true })); })()`),
		chromedp.Evaluate[chromedp.Void](`__speech.say(" when the hit rate is low", true); __speech.say(" and every miss pays twice", true)`),
		chromedp.Evaluate[chromedp.Void](`__advance(40)`),
	)
	want = "a cache can be slower when the hit ratio is low and every miss pays twice"
	if v := eval[string](t, b, `document.getElementById("answer").value`); v != want {
		t.Errorf("after an edit while dictating the box holds %q, want %q", v, want)
	}
	b.waitText(t, `[data-testid="speak-countdown"]`, "1:20 left to speak")

	// The dictated words are saved as the draft on the server.
	b.waitText(t, `[data-testid="draft-status"]`, "Draft saved")
	u, err := app.h.Store.LocalUser(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d, err := app.h.Store.DraftFor(ctx, u.ID, roundIDOf(t, round), 0, 0); err != nil || d != want {
		t.Errorf("server-side draft %q (%v), want %q", d, err, want)
	}

	// Alt+V stops; the box stays editable.
	b.run(t, chromedp.Focus(chromedp.ID("answer")), chromedp.KeyEvent("v", chromedp.KeyModifiers(chromedp.ModifierAlt)))
	b.waitEval(t, `document.querySelector('[data-testid="voice-toggle"]').getAttribute("aria-pressed") === "false"`)
	b.waitText(t, `[data-testid="voice-status"]`, "Dictation stopped")
	if log := eval[string](t, b, `__speechLog.join(",")`); log != "start,stop" {
		t.Errorf("recognition calls %q, want start,stop", log)
	}
	if v := eval[string](t, b, `document.getElementById("answer").value`); v != want {
		t.Errorf("Alt+V typed into the box: %q", v)
	}
	b.run(t, chromedp.SendKeys(chromedp.ID("answer"), "."))
	want += "."
	if got := eval[string](t, b, `document.querySelector("input[name=dictated]").value + "/" + document.querySelector("input[name=speaking_seconds]").value`); got != "1/40" {
		t.Errorf("hidden fields dictated/seconds = %q, want 1/40", got)
	}

	// Submit: the feedback shows the speaking time and the rate, and flags
	// an answer far under its budget.
	b.click(t, `[data-testid="submit-answer"]`)
	b.waitText(t, `[data-testid="feedback"]`, "Dictated")
	wantTime := "spoken for 40 s, " + strconv.Itoa(interview.WordsPerMinute(want, 40)) + " words a minute"
	if b.text(t, `[data-testid="feedback"] [data-testid="speaking-time"]`) != wantTime {
		t.Errorf("feedback speaking time %q, want %q", b.text(t, `[data-testid="feedback"] [data-testid="speaking-time"]`), wantTime)
	}
	flag := "You spoke for 40 s: an interviewer expects 1–2 minutes here."
	if budget.Min != 60 || budget.Max != 120 || !strings.Contains(b.text(t, `[data-testid="feedback"] [data-testid="pace-flag"]`), flag) {
		t.Errorf("feedback pace flag %q, want it to start %q", b.text(t, `[data-testid="feedback"] [data-testid="pace-flag"]`), flag)
	}
	var turn models.Turn
	if err := app.h.Store.DB().Where("round_id = ? AND position = 0 AND step = 0", roundIDOf(t, round)).First(&turn).Error; err != nil {
		t.Fatal(err)
	}
	if !turn.Dictated || turn.SpeakingSeconds != 40 || turn.Answer != want {
		t.Errorf("stored turn dictated=%v seconds=%d answer=%q", turn.Dictated, turn.SpeakingSeconds, turn.Answer)
	}

	// The follow-up is answered by voice and sent with Ctrl+Enter while
	// still listening: dictation stops and the speaking time goes with it.
	if !eval[bool](t, b, `!!document.querySelector('.followup[data-testid="prompt"]')`) {
		t.Fatal("the short answer earned no follow-up")
	}
	if got := b.text(t, `[data-testid="speak-countdown"]`); got != "1:30 to speak" {
		t.Errorf("follow-up countdown = %q, want 1:30 to speak (a fresh budget)", got)
	}
	b.run(t, chromedp.Click(chromedp.CSS(`[data-testid="voice-toggle"]`)))
	b.waitText(t, `[data-testid="voice-status"]`, "Listening")
	b.run(t,
		chromedp.Evaluate[chromedp.Void](`__speech.say("each pod serves its own copy until the TTL expires", true); __advance(100)`),
		chromedp.Focus(chromedp.ID("answer")),
		chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(chromedp.ModifierCtrl)),
	)
	b.waitEval(t, `!document.querySelector('.followup[data-testid="prompt"]') || document.getElementById("answer").value === ""`)
	var follow models.Turn
	if err := app.h.Store.DB().Where("round_id = ? AND position = 0 AND step = 1", roundIDOf(t, round)).First(&follow).Error; err != nil {
		t.Fatal(err)
	}
	if !follow.Dictated || follow.SpeakingSeconds != 100 {
		t.Errorf("follow-up sent while listening stored dictated=%v seconds=%d, want true 100", follow.Dictated, follow.SpeakingSeconds)
	}
	if log := eval[string](t, b, `__speechLog.join(",")`); log != "start,stop,start,stop" {
		t.Errorf("recognition calls %q: sending the answer should stop dictation", log)
	}

	// Finish the round: the report marks the dictated answers and their pacing.
	for range 3 {
		if ok := eval[bool](t, b, `!!document.querySelector('[data-testid="skip"]')`); !ok {
			break
		}
		b.click(t, `[data-testid="skip"]`)
		_ = chromedp.Do(b.ctx, chromedp.Sleep(300*time.Millisecond))
	}
	b.waitText(t, "h1", "Round report")
	_ = eval[bool](t, b, `(document.querySelectorAll('[data-testid="report-question"]').forEach(d => d.open = true), true)`) // details are collapsed
	if got := b.text(t, `[data-testid="report-question"] [data-testid="speaking-time"]`); got != wantTime {
		t.Errorf("report speaking time %q, want %q", got, wantTime)
	}
	if !strings.Contains(b.text(t, `[data-testid="report-question"] [data-testid="pace-flag"]`), flag) {
		t.Error("the report does not flag the short answer")
	}
	if n := eval[int](t, b, `document.querySelectorAll('[data-testid="report-question"] [data-testid="dictated"]').length`); n != 2 {
		t.Errorf("%d answers marked dictated in the report, want 2", n)
	}
	// 100 s for a follow-up (30–90 s) is over, but not far over: no flag.
	if n := eval[int](t, b, `document.querySelectorAll('[data-testid="report-question"] [data-testid="pace-flag"]').length`); n != 1 {
		t.Errorf("%d pace flags in the report, want 1", n)
	}
	b.noConsoleErrors(t)
}

// TestBrowserNoDictationWithoutSpeechAPI: where the browser has no speech
// recognition, the button, its note and the countdown are absent; the
// budget still says how long to speak.
func TestBrowserNoDictationWithoutSpeechAPI(t *testing.T) {
	b := newBrowser(t)
	app := sqliteApp(t)
	round := app.startDrill("caching", 1, "study")
	b.run(t,
		onNewDocument(noSpeech),
		chromedp.Navigate(app.srv.URL+round),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="speaking-budget"]`)),
	)
	b.waitEval(t, `document.readyState === "complete"`)
	for _, id := range []string{"voice-toggle", "voice-note", "speak-countdown", "voice-status"} {
		if eval[bool](t, b, `!!document.querySelector('[data-testid="`+id+`"]')`) {
			t.Errorf("%s is on the page of a browser without speech recognition", id)
		}
	}
	if got := b.text(t, `[data-testid="speaking-budget"]`); got != "An interviewer expects 1–2 minutes here." {
		t.Errorf("speaking budget line %q", got)
	}
	// Alt+V does nothing (and types nothing).
	b.run(t, chromedp.Focus(chromedp.ID("answer")), chromedp.KeyEvent("v", chromedp.KeyModifiers(chromedp.ModifierAlt)))
	if v := eval[string](t, b, `document.getElementById("answer").value`); v != "" {
		t.Errorf("the box holds %q", v)
	}
	b.noConsoleErrors(t)
}

// TestBrowserDictationBlockedMicrophone: when the browser refuses the
// microphone, dictation stops with a message saying what to do, and the
// words already in the box stay.
func TestBrowserDictationBlockedMicrophone(t *testing.T) {
	b := newBrowser(t)
	app := sqliteApp(t)
	round := app.startDrill("caching", 1, "study")
	b.run(t,
		onNewDocument(fakeSpeech),
		chromedp.Navigate(app.srv.URL+round),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="voice-toggle"]`)),
		chromedp.SendKeys(chromedp.ID("answer"), "Typed first."),
		chromedp.Click(chromedp.CSS(`[data-testid="voice-toggle"]`)),
	)
	b.waitText(t, `[data-testid="voice-status"]`, "Listening")
	b.run(t, chromedp.Evaluate[chromedp.Void](`__speech.say("then spoken", true); __speech.fail("not-allowed")`))
	b.waitText(t, `[data-testid="voice-status"]`, "The microphone is blocked for this site")
	if p := eval[string](t, b, `document.querySelector('[data-testid="voice-toggle"]').getAttribute("aria-pressed")`); p != "false" {
		t.Errorf("aria-pressed after the error = %q", p)
	}
	if v := eval[string](t, b, `document.getElementById("answer").value`); v != "Typed first. then spoken" {
		t.Errorf("the box holds %q after the error", v)
	}
	if log := eval[string](t, b, `__speechLog.join(",")`); log != "start" {
		t.Errorf("recognition calls %q: a refused microphone must not be retried", log)
	}
	b.noConsoleErrors(t)
}

// TestBrowserDictationCarriesOnAfterSilence: the speech service ends a
// session by itself after a silence; dictation starts a new one, keeps the
// words so far, adds the next ones after them, and counts only the time
// spent listening.
func TestBrowserDictationCarriesOnAfterSilence(t *testing.T) {
	b := newBrowser(t)
	app := sqliteApp(t)
	round := app.startDrill("caching", 1, "study")
	b.run(t,
		onNewDocument(fakeSpeech),
		chromedp.Navigate(app.srv.URL+round),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="voice-toggle"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="voice-toggle"]`)),
	)
	b.waitText(t, `[data-testid="voice-status"]`, "Listening")
	b.run(t, chromedp.Evaluate[chromedp.Void](`__speech.say("first thought", true); __advance(20); __speech.pause()`))
	b.waitEval(t, `__speechLog.join(",") === "start,start"`)
	b.waitText(t, `[data-testid="voice-status"]`, "Listening")
	b.run(t, chromedp.Evaluate[chromedp.Void](`__speech.say("second thought", true); __advance(30)`))
	if v := eval[string](t, b, `document.getElementById("answer").value`); v != "first thought second thought" {
		t.Errorf("after a new session the box holds %q", v)
	}
	if p := eval[string](t, b, `document.querySelector('[data-testid="voice-toggle"]').getAttribute("aria-pressed")`); p != "true" {
		t.Errorf("aria-pressed while carrying on = %q", p)
	}
	b.run(t, chromedp.Click(chromedp.CSS(`[data-testid="voice-toggle"]`)))
	b.waitText(t, `[data-testid="voice-status"]`, "Dictation stopped")
	if s := eval[string](t, b, `document.querySelector("input[name=speaking_seconds]").value`); s != "50" {
		t.Errorf("speaking seconds %s, want 50 (20 + 30)", s)
	}
	b.noConsoleErrors(t)
}
