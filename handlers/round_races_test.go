package handlers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/interview/llm"
	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/models/modelstest"
)

// send posts a form from any goroutine (no t.Fatal): the status and body.
func (a *testApp) send(path string, form url.Values) (int, string, error) {
	form.Set("_csrf", a.csrf)
	req, err := http.NewRequest(http.MethodPost, a.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := a.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, string(b), err
}

// TestAnswerAfterEndIsRefusedVisibly: an answer to a round that has ended
// gets a 409 that says so and links to the report, never a success.
func TestAnswerAfterEndIsRefusedVisibly(t *testing.T) {
	app := sqliteApp(t)
	round := app.startDrill("observability", 3, "interview")
	_, _, pos, step := app.current(round)
	app.post(round+"/end", nil)
	res, body := app.post(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {"Written in a tab left open."}})
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("answer after the end: %d, want 409", res.StatusCode)
	}
	doc := parseDoc(t, body)
	if got := doc.Find(`[data-testid="error-message"]`).Text(); got != "This round has ended — your answer was not added; see the report." {
		t.Errorf("message %q", got)
	}
	if href, _ := doc.Find(`[data-testid="error-link"]`).Attr("href"); href != round+"/report" {
		t.Errorf("link %q", href)
	}
	// htmx gets the same message as a fragment for the flash area.
	res, body = app.htmx(http.MethodPost, round+"/skip", url.Values{"position": {pos}, "step": {step}})
	if res.StatusCode != http.StatusConflict || strings.Contains(body, "<html") || !strings.Contains(body, "This round has ended") {
		t.Errorf("htmx skip after the end: %d\n%s", res.StatusCode, body)
	}
	res, _ = app.htmx(http.MethodPost, round+"/draft", url.Values{"position": {pos}, "step": {step}, "answer": {"more"}})
	if res.StatusCode != http.StatusConflict {
		t.Errorf("draft after the end: %d, want 409", res.StatusCode)
	}
	if n := countTurns(t, app.h.Store.DB()); n != 0 {
		t.Errorf("%d turns stored after the end", n)
	}
}

// TestAnswerRacingEnd sends an answer while the same round is being ended:
// the answer is either counted in the finished round, or refused with a
// 409; it is never stored and left out, nor dropped behind a success.
func TestAnswerRacingEnd(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		app := newTestApp(t, db)
		counted, refused := 0, 0
		for i := range 8 {
			round := app.startDrill("observability", 3, "interview")
			_, prompt, pos, step := app.current(round)
			q := questionByPrompt(t, app.h.Bank, prompt)
			var wg sync.WaitGroup
			var ansStatus, endStatus int
			var ansErr, endErr error
			wg.Add(2)
			go func() {
				defer wg.Done()
				ansStatus, _, ansErr = app.send(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {q.ModelAnswer}})
			}()
			go func() {
				defer wg.Done()
				endStatus, _, endErr = app.send(round+"/end", url.Values{})
			}()
			wg.Wait()
			if ansErr != nil || endErr != nil {
				t.Fatal(ansErr, endErr)
			}
			if endStatus != http.StatusSeeOther {
				t.Fatalf("run %d: end: %d", i, endStatus)
			}
			var r models.Round
			if err := db.Where("id = ?", strings.TrimPrefix(round, "/rounds/")).First(&r).Error; err != nil {
				t.Fatal(err)
			}
			var stored []models.Turn
			db.Where("round_id = ?", r.ID).Find(&stored)
			switch ansStatus {
			case http.StatusSeeOther:
				counted++
				if len(stored) != 1 || !stored[0].Final || stored[0].Status == models.TurnPending || r.Answered != 1 || r.Overall == 0 {
					t.Errorf("run %d: answer accepted but not counted: turns %+v, round answered %d overall %.1f", i, stored, r.Answered, r.Overall)
				}
			case http.StatusConflict:
				refused++
				if len(stored) != 0 || r.Answered != 0 {
					t.Errorf("run %d: answer refused but stored: %d turns, answered %d", i, len(stored), r.Answered)
				}
			default:
				t.Errorf("run %d: answer: %d", i, ansStatus)
			}
			if r.Status != models.RoundFinished {
				t.Errorf("run %d: round %s", i, r.Status)
			}
		}
		t.Logf("%d answers counted, %d refused with 409", counted, refused)
	})
}

// TestParallelFinishes finishes ten rounds of one user at once, each on
// the same skills: all succeed (no deadlock on PostgreSQL) and every
// review lands.
func TestParallelFinishes(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		app := newTestApp(t, db)
		const n = 10
		type started struct {
			url, pos, step, answer string
		}
		rounds := make([]started, n)
		for i := range rounds {
			round := app.startDrill("databases", 1, "interview")
			_, prompt, pos, step := app.current(round)
			rounds[i] = started{round, pos, step, questionByPrompt(t, app.h.Bank, prompt).ShallowAnswer}
		}
		var wg sync.WaitGroup
		var failed atomic.Int32
		errs := make(chan string, n)
		for i, r := range rounds {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Half finish by skipping, half by ending after an answer.
				var status int
				var body string
				var err error
				if i%2 == 0 {
					status, body, err = app.send(r.url+"/skip", url.Values{"position": {r.pos}, "step": {r.step}})
				} else {
					status, body, err = app.send(r.url+"/answers", url.Values{"position": {r.pos}, "step": {r.step}, "answer": {r.answer}})
					if err == nil && status == http.StatusSeeOther {
						status, body, err = app.send(r.url+"/end", url.Values{})
					}
				}
				if err != nil || status != http.StatusSeeOther {
					failed.Add(1)
					errs <- fmt.Sprintf("round %s: %d %v %.200s", r.url, status, err, body)
				}
			}()
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
		if failed.Load() > 0 {
			return
		}
		var finished int64
		db.Model(&models.Round{}).Where("status = ?", models.RoundFinished).Count(&finished)
		if finished != n {
			t.Errorf("%d rounds finished, want %d", finished, n)
		}
		var logs int64
		db.Model(&models.ReviewLog{}).Count(&logs)
		if logs != n {
			t.Errorf("%d reviews, want one per round (%d)", logs, n)
		}
	})
}

// countWrites counts the statements that write, through gorm callbacks.
func countWrites(t *testing.T, db *gorm.DB) *atomic.Int64 {
	t.Helper()
	var n atomic.Int64
	count := func(tx *gorm.DB) {
		if tx.Statement.Schema != nil || tx.Statement.SQL.Len() > 0 {
			n.Add(1)
		}
	}
	cb := db.Callback()
	for name, err := range map[string]error{
		"create": cb.Create().Before("gorm:create").Register("test:count_create", count),
		"update": cb.Update().Before("gorm:update").Register("test:count_update", count),
		"delete": cb.Delete().Before("gorm:delete").Register("test:count_delete", count),
		"raw": cb.Raw().Before("gorm:raw").Register("test:count_raw", func(tx *gorm.DB) {
			sql := strings.ToUpper(strings.TrimSpace(tx.Statement.SQL.String()))
			if !strings.HasPrefix(sql, "SELECT") {
				n.Add(1)
			}
		}),
	} {
		if err != nil {
			t.Fatalf("register %s callback: %v", name, err)
		}
	}
	return &n
}

// TestPageViewsNeverWrite leaves an answer pending (as a crash between
// storing and grading does) and views the round and its pages: nothing is
// written, and the page says the answer waits. The start-up sweep grades
// it.
func TestPageViewsNeverWrite(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		app := newTestApp(t, db)
		round := app.startDrill("observability", 2, "study")
		_, prompt, _, _ := app.current(round)
		q := questionByPrompt(t, app.h.Bank, prompt)
		var r models.Round
		db.First(&r)
		pending := models.Turn{RoundID: r.ID, UserID: r.UserID, QuestionID: q.ID, Area: q.Area, Skill: q.Skill, Level: r.Level,
			Prompt: q.Prompt, Answer: q.ModelAnswer, Status: models.TurnPending, AnsweredAt: fixedNow}
		storePending(t, app, r, &pending)
		writes := countWrites(t, db)
		for _, path := range []string{round, round + "/report", "/", "/dashboard"} {
			res, doc := app.get(path)
			if res.StatusCode >= 400 {
				t.Errorf("GET %s: %d", path, res.StatusCode)
			}
			if path == round && !strings.Contains(doc.Find(`[data-testid="notice"]`).Text(), "not graded yet") {
				t.Errorf("the round page should say the answer waits to be graded")
			}
		}
		if n := writes.Load(); n != 0 {
			t.Errorf("%d writes during page views, want 0", n)
		}
		var got models.Turn
		db.First(&got, pending.ID)
		if got.Status != models.TurnPending {
			t.Fatalf("a page view graded the answer: %s", got.Status)
		}

		if err := app.h.GradePending(context.Background()); err != nil {
			t.Fatal(err)
		}
		db.First(&got, pending.ID)
		if got.Status == models.TurnPending || got.Evidence == "" {
			t.Errorf("the sweep left the answer %s", got.Status)
		}
		if _, _, pos, _ := app.current(round); pos == "0" && got.FollowUp == "" {
			t.Error("the round did not move on after the sweep graded its answer")
		}
	})
}

// storePending stores an answer as a submit does before grading it, and
// stops there, as a crash at that moment would.
func storePending(t *testing.T, app *testApp, r models.Round, pending *models.Turn) {
	t.Helper()
	err := app.h.Store.ChangeRound(context.Background(), r.UserID, r.ID, func(models.RoundView) (models.RoundChange, error) {
		return models.RoundChange{Insert: pending, Position: r.Position, Now: fixedNow}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPendingAnswerGradedOnNextPost: a pending answer is graded by the
// next POST for its round, and the same text sent again is not stored
// twice.
func TestPendingAnswerGradedOnNextPost(t *testing.T) {
	app := sqliteApp(t)
	db := app.h.Store.DB()
	round := app.startDrill("observability", 2, "interview")
	_, prompt, pos, step := app.current(round)
	q := questionByPrompt(t, app.h.Bank, prompt)
	var r models.Round
	db.First(&r)
	pending := models.Turn{RoundID: r.ID, UserID: r.UserID, QuestionID: q.ID, Area: q.Area, Skill: q.Skill, Level: r.Level,
		Prompt: q.Prompt, Answer: q.ModelAnswer, Status: models.TurnPending, AnsweredAt: fixedNow}
	storePending(t, app, r, &pending)
	_, doc := app.get(round)
	if doc.Find(`[data-testid="answer"]`).Text() != q.ModelAnswer {
		t.Error("the pending answer should be in the box")
	}
	res, body := app.htmx(http.MethodPost, round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {q.ModelAnswer}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "already saved") {
		t.Errorf("resubmit of the pending answer: %d", res.StatusCode)
	}
	var got models.Turn
	db.First(&got, pending.ID)
	if got.Status == models.TurnPending {
		t.Error("the next POST did not grade the pending answer")
	}
	if n := countTurns(t, db); n != 1 {
		t.Errorf("%d turns, want 1", n)
	}
}

func TestPrivatePagesAreNoStore(t *testing.T) {
	app := sqliteApp(t)
	round := app.startDrill("observability", 1, "study")
	for _, path := range []string{"/", "/dashboard", round, "/review", "/drills", "/export.json"} {
		res, _ := app.get(path)
		if got := res.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("GET %s: Cache-Control %q, want no-store", path, got)
		}
	}
	res, _ := app.get("/healthz")
	if res.Header.Get("Cache-Control") == "no-store" {
		t.Error("/healthz holds no private data")
	}
}

func TestServerErrorDoesNotClaimSaved(t *testing.T) {
	app := sqliteApp(t)
	round := app.startDrill("observability", 1, "study")
	_, _, pos, step := app.current(round)
	sqlDB, err := app.h.Store.DB().DB()
	if err != nil {
		t.Fatal(err)
	}
	sqlDB.Close() // the database is gone
	res, body := app.post(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {"An answer."}})
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", res.StatusCode)
	}
	if got := parseDoc(t, body).Find(`[data-testid="error-message"]`).Text(); !strings.HasPrefix(got, "Your answer could not be saved yet") {
		t.Errorf("message %q", got)
	}
	// Any other failure says it may not have been saved, never that it was.
	if _, msg := errorStatus(errors.New("boom")); strings.Contains(msg, "is saved") || !strings.Contains(msg, "may not have been saved") {
		t.Errorf("500 message %q", msg)
	}
}

func TestFailureLogIsOneLinePerBurst(t *testing.T) {
	var f failureLog
	logged := 0
	for i := range 3000 {
		if _, ok := f.log(fixedNow.Add(time.Duration(i) * time.Millisecond)); ok {
			logged++
		}
	}
	if logged != 1 {
		t.Errorf("%d lines for a 3-second burst, want 1", logged)
	}
	n, ok := f.log(fixedNow.Add(time.Minute))
	if !ok || n != 2999 {
		t.Errorf("after the burst: logged %v, %d left out, want 2999", ok, n)
	}
}

// TestAnswerStoredGradedAtOnce: with a grader that grades in the process
// (the rubric engine, as handlers.New defaults to, or the interviewer
// serve runs when no model is configured), an answer is written once,
// already graded, in the transaction that moves the round on; with a
// grader that may take seconds (a model), it is stored first and graded
// after (TestPendingAnswerGradedOnNextPost and the LLM tests).
func TestAnswerStoredGradedAtOnce(t *testing.T) {
	for _, tc := range []struct {
		name   string
		grader func(*grader.Bank) TurnGrader
	}{
		{"OK/Rubric", func(b *grader.Bank) TurnGrader { return RubricGrader{grader.NewGrader(b)} }},
		{"OK/InterviewerWithoutModel", func(b *grader.Bank) TurnGrader { return llm.TurnGrader{Rubric: grader.NewGrader(b)} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
				app := newTestApp(t, db)
				app.h.Grader = tc.grader(app.h.Bank)
				round := app.startDrill("caching", 2, "study")
				_, prompt, pos, step := app.current(round)
				q := questionByPrompt(t, app.h.Bank, prompt)
				var writes []string
				note := func(tx *gorm.DB) {
					if tx.Statement.Table == "turns" {
						writes = append(writes, strings.Fields(tx.Statement.SQL.String())[0])
					}
				}
				cb := db.Callback()
				if err := cb.Create().After("gorm:create").Register("test:turn_create", note); err != nil {
					t.Fatal(err)
				}
				if err := cb.Update().After("gorm:update").Register("test:turn_update", note); err != nil {
					t.Fatal(err)
				}
				res, body := app.htmx(http.MethodPost, round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {q.ModelAnswer}})
				if res.StatusCode != http.StatusOK {
					t.Fatalf("answer: %d\n%s", res.StatusCode, body)
				}
				var got models.Turn
				if err := db.Where("position = ? AND step = ?", pos, step).First(&got).Error; err != nil {
					t.Fatal(err)
				}
				if got.Status != models.TurnGraded || got.Evidence == "" || got.Overall == 0 {
					t.Errorf("the answer was stored %s with overall %.1f, want graded", got.Status, got.Overall)
				}
				// One INSERT of the graded answer; an UPDATE only to mark it final.
				if len(writes) == 0 || writes[0] != "INSERT" || slices.Index(writes[1:], "INSERT") >= 0 || len(writes) > 2 {
					t.Errorf("writes to turns: %v, want the graded answer inserted once", writes)
				}
			})
		})
	}
}
