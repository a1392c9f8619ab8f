package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/models/modelstest"
)

// TestAnswerTextIsCleaned: an answer or a draft with NUL bytes or invalid
// UTF-8 is stored as clean text on both databases (PostgreSQL refuses
// both in text columns), never a 500.
func TestAnswerTextIsCleaned(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		app := newTestApp(t, db)
		round := app.startDrill("caching", 2, "study")
		_, _, pos, step := app.current(round)
		res, body := app.post(round+"/draft", url.Values{"position": {pos}, "step": {step}, "answer": {"a draft\x00 with \xff\xfe bytes"}})
		if res.StatusCode != http.StatusNoContent {
			t.Fatalf("draft: %d\n%s", res.StatusCode, body)
		}
		res, body = app.post(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {"A cache\x00 keeps a copy \xff of slow data close by."}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("answer: %d\n%s", res.StatusCode, body)
		}
		var turn models.Turn
		if err := db.Where("position = ? AND step = ?", 0, 0).First(&turn).Error; err != nil {
			t.Fatal(err)
		}
		if strings.ContainsRune(turn.Answer, 0) || !strings.Contains(turn.Answer, "keeps a copy") {
			t.Errorf("stored answer %q", turn.Answer)
		}
	})
}

// TestDraftLimits: a draft over the answer limit is refused with 413 and
// a draft for a slot the round has not reached is 409.
func TestDraftLimits(t *testing.T) {
	app := sqliteApp(t)
	round := app.startDrill("caching", 2, "study")
	_, _, pos, step := app.current(round)
	huge := strings.Repeat("x", maxDraftChars+1)
	if res, body := app.post(round+"/draft", url.Values{"position": {pos}, "step": {step}, "answer": {huge}}); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized draft: %d, want 413\n%s", res.StatusCode, body)
	}
	app.post(round+"/draft", url.Values{"position": {pos}, "step": {step}, "answer": {"a draft that fits"}})
	huge = huge[:100] + "y" + huge[101:]
	app.post(round+"/draft", url.Values{"position": {pos}, "step": {step}, "answer": {huge}})
	if doc, _, _, _ := app.current(round); doc.Find("#answer").Text() != "a draft that fits" {
		t.Errorf("an oversized draft replaced the saved one: %d characters in the box", len(doc.Find("#answer").Text()))
	}
	if res, body := app.post(round+"/draft", url.Values{"position": {"1"}, "step": {"0"}, "answer": {"later"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("draft for a question not reached yet: %d, want 409\n%s", res.StatusCode, body)
	}
}

// TestDraftAndRoundRateLimits: draft saves and new rounds are limited per
// user, with a 429 that says nothing typed is lost.
func TestDraftAndRoundRateLimits(t *testing.T) {
	app := newTestAppWith(t, modelstest.Open(t, modelstest.SQLite),
		Limits{LoginPerMinute: 1e6, AnswersPerMinute: 1e6, DraftsPerMinute: 3, RoundsPerMinute: 3})
	round := app.startDrill("caching", 2, "study")
	_, _, pos, step := app.current(round)
	saved, limited := 0, false
	for range 30 {
		res, body := app.post(round+"/draft", url.Values{"position": {pos}, "step": {step}, "answer": {"typing"}})
		if res.StatusCode == http.StatusTooManyRequests {
			limited = strings.Contains(body, "nothing you typed is lost")
			break
		}
		saved++
	}
	if saved == 0 || !limited {
		t.Errorf("drafts: %d saved before a 429 (said nothing is lost: %v)", saved, limited)
	}
	started, limited := 1, false
	for range 30 {
		res, _ := app.post("/rounds", url.Values{"stack": {"go"}, "level": {"middle"}, "type": {"drill"}, "area": {"caching"}, "count": {"1"}})
		if res.StatusCode == http.StatusTooManyRequests {
			limited = true
			break
		}
		started++
	}
	if !limited || started > 10 {
		t.Errorf("rounds: %d started, limited %v", started, limited)
	}
}
