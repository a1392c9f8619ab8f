package handlers

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"gorm.io/gorm"

	"github.com/mockround/mockround/interview"
	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/models/modelstest"
)

// TestAnswerStoresSpeechClampedNeverGraded submits answers with what the
// page's dictation says about them: the store keeps the cleaned values,
// and the grade is the grade of the text alone.
func TestAnswerStoresSpeechClampedNeverGraded(t *testing.T) {
	tests := []struct {
		name         string
		dictated     string
		seconds      string
		wantDictated bool
		wantSeconds  int
	}{
		{"OK dictated", "1", "83", true, 83},
		{"OK typed", "0", "", false, 0},
		{"OK no fields at all (no JavaScript)", "", "", false, 0},
		{"Clamped: a typed answer claims a time", "0", "50", false, 0},
		{"Clamped: an hour and more", "1", "99999", true, interview.MaxSpeakingSeconds},
		{"Clamped: negative", "1", "-20", true, 0},
		{"Clamped: not a number", "1", "12abc", true, 0},
	}
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		app := newTestApp(t, db)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				round := app.startDrill("caching", 1, "study")
				_, prompt, pos, step := app.current(round)
				q := questionByPrompt(t, app.h.Bank, prompt)
				form := url.Values{"position": {pos}, "step": {step}, "answer": {q.ModelAnswer}}
				if tt.dictated != "" {
					form.Set("dictated", tt.dictated)
					form.Set("speaking_seconds", tt.seconds)
				}
				if res, body := app.post(round+"/answers", form); res.StatusCode != http.StatusSeeOther {
					t.Fatalf("submit: %d\n%s", res.StatusCode, body)
				}
				var turn models.Turn
				if err := db.Where("question_id = ? AND step = 0", q.ID).Order("id DESC").First(&turn).Error; err != nil {
					t.Fatal(err)
				}
				if turn.Dictated != tt.wantDictated || turn.SpeakingSeconds != tt.wantSeconds {
					t.Errorf("stored dictated=%v seconds=%d, want %v %d", turn.Dictated, turn.SpeakingSeconds, tt.wantDictated, tt.wantSeconds)
				}
				typed, err := app.h.Grader.GradeTurn(context.Background(), q, nil, q.ModelAnswer)
				if err != nil {
					t.Fatal(err)
				}
				if turn.Status != models.TurnGraded || turn.Overall != typed.Result.Overall {
					t.Errorf("graded %s %.2f, want %.2f as for the same text typed", turn.Status, turn.Overall, typed.Result.Overall)
				}
			})
		}
	})
}

// TestHelpExplainsVoiceAndPacing: the help page explains dictation, where
// the audio goes, and lists each kind's speaking budget and where an answer
// is flagged, from the pacing rule.
func TestHelpExplainsVoiceAndPacing(t *testing.T) {
	app := sqliteApp(t)
	res, doc := app.get("/help")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("help: %d", res.StatusCode)
	}
	sec := doc.Find(`[data-testid="voice-help"]`)
	text := sec.Text()
	for _, want := range []string{"Dictate", "Alt", "mockround receives only the text", "never changes a score", "countdown", "words a minute"} {
		if !strings.Contains(text, want) {
			t.Errorf("the voice section lacks %q", want)
		}
	}
	var rows []string
	sec.Find(`[data-testid="budgets"] tbody tr`).Each(func(_ int, s *goquery.Selection) {
		var cells []string
		s.Find("td").Each(func(_ int, td *goquery.Selection) { cells = append(cells, td.Text()) })
		rows = append(rows, strings.Join(cells, " | "))
	})
	want := []string{
		"Screening | 1–2 minutes | 0:45 | 3:00",
		"System design | 3–5 minutes | 2:15 | 7:30",
		"Behavioral | 2–3 minutes | 1:30 | 4:30",
		"Follow-up | 30–90 seconds | 0:23 | 2:15",
		"System design follow-up | 1–2 minutes | 0:45 | 3:00",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("budget table:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
}

// TestRoundPageVoiceControls: the round page carries the dictation
// controls hidden (the script shows them where the browser can dictate, so
// without JavaScript there is no dead button), the hidden fields at their
// typed defaults, and the question's speaking budget.
func TestRoundPageVoiceControls(t *testing.T) {
	app := sqliteApp(t)
	round := app.startDrill("caching", 1, "study")
	doc, prompt, _, _ := app.current(round)
	q := questionByPrompt(t, app.h.Bank, prompt)
	for _, id := range []string{"voice-toggle", "voice-note", "speak-countdown", "voice-status"} {
		if doc.Find(`[data-testid="`+id+`"][hidden][data-voice]`).Length() != 1 {
			t.Errorf("%s is not rendered hidden for the script to show", id)
		}
	}
	b := doc.Find(`[data-testid="voice-toggle"]`)
	if p, _ := b.Attr("aria-pressed"); p != "false" || strings.TrimSpace(b.Text()) != "Dictate" {
		t.Errorf("the button: aria-pressed=%q name %q", p, strings.TrimSpace(b.Text()))
	}
	if k, _ := b.Attr("aria-keyshortcuts"); k != "Alt+V" {
		t.Errorf("aria-keyshortcuts=%q", k)
	}
	for name, want := range map[string]string{"dictated": "0", "speaking_seconds": "0"} {
		if v, _ := doc.Find(`[data-testid="answer-form"] input[type="hidden"][name="` + name + `"]`).Attr("value"); v != want {
			t.Errorf("hidden field %s = %q, want %q", name, v, want)
		}
	}
	budget := interview.SpeakingBudgetFor(q.Kind, false)
	if v, _ := doc.Find(`[data-testid="speak-countdown"]`).Attr("data-speak-budget"); v != strconv.Itoa(budget.Max) {
		t.Errorf("countdown budget %q, want %d", v, budget.Max)
	}
	if src, ok := doc.Find(`script[src^="/static/voice.js?v="]`).Attr("src"); !ok || src == "" {
		t.Error("the round page does not load voice.js")
	}
}

// TestExportImportKeepsSpeech: a dictated answer's mark and speaking time
// survive an export and an import; an impossible time is refused by name.
func TestExportImportKeepsSpeech(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		app := newTestApp(t, db)
		ctx := context.Background()
		round := app.startDrill("caching", 1, "study")
		_, prompt, pos, step := app.current(round)
		q := questionByPrompt(t, app.h.Bank, prompt)
		app.post(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {q.ModelAnswer},
			"dictated": {"1"}, "speaking_seconds": {"97"}})
		e, err := app.h.Store.ExportData(ctx, app.h.localUser.ID, fixedNow)
		if err != nil {
			t.Fatal(err)
		}
		a := e.Rounds[0].Answers[0]
		if !a.Dictated || a.SpeakingSeconds != 97 {
			t.Fatalf("exported answer dictated=%v seconds=%d, want true 97", a.Dictated, a.SpeakingSeconds)
		}
		raw, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		for field, change := range map[string]func(*models.Export){
			"rounds[0].answers[0].speaking_seconds: 99999 is not from 0 to 1800":         func(e *models.Export) { e.Rounds[0].Answers[0].SpeakingSeconds = 99999 },
			"rounds[0].answers[0].speaking_seconds: a typed answer has no speaking time": func(e *models.Export) { e.Rounds[0].Answers[0].Dictated = false },
		} {
			var bad models.Export
			if err := json.Unmarshal(raw, &bad); err != nil {
				t.Fatal(err)
			}
			change(&bad)
			if err := bad.Validate(app.h.importRules()); err == nil || !strings.Contains(err.Error(), field) {
				t.Errorf("%s: validate said %v", field, err)
			}
		}
		other := models.User{Name: "Second", DesiredRetention: 0.9}
		if err := db.Create(&other).Error; err != nil {
			t.Fatal(err)
		}
		if err := app.h.Store.ImportData(ctx, other.ID, e); err != nil {
			t.Fatal(err)
		}
		var turn models.Turn
		if err := db.Where("user_id = ?", other.ID).First(&turn).Error; err != nil {
			t.Fatal(err)
		}
		if !turn.Dictated || turn.SpeakingSeconds != 97 {
			t.Errorf("imported answer dictated=%v seconds=%d, want true 97", turn.Dictated, turn.SpeakingSeconds)
		}
	})
}

// TestFeedbackPacing: the feedback on a dictated answer shows its speaking
// time and flags it against its budget; a rate no one speaks at (the answer
// was mostly typed after a short dictation) is not shown; a typed answer
// shows no pacing at all.
func TestFeedbackPacing(t *testing.T) {
	tests := []struct {
		name      string
		dictated  string
		seconds   string
		wantTime  string
		wantFlag  bool
		wantMarks int
	}{
		{"OK dictated in budget: time and rate, no flag", "1", "90", "spoken for 1 min 30 s, ", false, 1},
		{"Short: mostly typed, no rate", "1", "2", "spoken for 2 s", true, 1},
		{"Long: far over budget", "1", "400", "spoken for 6 min 40 s, ", true, 1},
		{"Typed: no pacing", "0", "", "", false, 0},
	}
	app := sqliteApp(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			round := app.startDrill("caching", 1, "study")
			_, prompt, pos, step := app.current(round)
			q := questionByPrompt(t, app.h.Bank, prompt)
			if q.Kind != "screening" {
				t.Fatalf("question %s is %s, want a screening question", q.ID, q.Kind)
			}
			app.post(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {q.ModelAnswer},
				"dictated": {tt.dictated}, "speaking_seconds": {tt.seconds}})
			_, doc := app.get(round + "/report")
			if doc.Find(`[data-testid="report"]`).Length() == 0 {
				_, doc = app.get(round)
			}
			fb := doc.Find(`[data-testid="report-question"], [data-testid="feedback"]`).First()
			if fb.Find(`[data-testid="answer-text"], [data-testid="dims"]`).Length() == 0 {
				t.Fatal("neither the report nor the round page shows the graded answer")
			}
			if n := fb.Find(`[data-testid="dictated"]`).Length(); n != tt.wantMarks {
				t.Fatalf("%d dictated marks, want %d", n, tt.wantMarks)
			}
			if tt.wantMarks == 0 {
				return
			}
			got := strings.TrimSpace(fb.Find(`[data-testid="speaking-time"]`).Text())
			if !strings.HasPrefix(got, tt.wantTime) || (tt.seconds == "2" && strings.Contains(got, "words a minute")) {
				t.Errorf("speaking time %q, want it to start %q", got, tt.wantTime)
			}
			flag := fb.Find(`[data-testid="pace-flag"]`).Text()
			if (flag != "") != tt.wantFlag || (tt.wantFlag && !strings.Contains(flag, "an interviewer expects 1–2 minutes here")) {
				t.Errorf("pace flag %q, want flagged=%v", flag, tt.wantFlag)
			}
		})
	}
}
