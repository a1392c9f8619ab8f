package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"gorm.io/gorm"

	"github.com/mockround/mockround/interview"
	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/models/modelstest"
	"github.com/mockround/mockround/srs"
)

// answerRound answers every question of a round with fn's answer until
// the round finishes, following up as the interviewer asks.
func (a *testApp) answerRound(round string, fn func(prompt string) string) {
	a.t.Helper()
	for range 40 {
		res, doc := a.get(round)
		if res.StatusCode == http.StatusSeeOther {
			return
		}
		prompt := strings.TrimSpace(doc.Find(`[data-testid="prompt"]`).Text())
		pos, _ := doc.Find(`input[name="position"]`).Attr("value")
		step, _ := doc.Find(`input[name="step"]`).Attr("value")
		a.post(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {fn(prompt)}})
	}
	a.t.Fatal("round did not finish")
}

// setClock moves the app's clock.
func (a *testApp) setClock(t time.Time) { a.h.Now = func() time.Time { return t } }

func TestReplayReviewLogGivesStoredCard(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		app := newTestApp(t, db)
		// Three rounds on different days with different quality.
		answers := []func(string) string{
			func(string) string { return "I am not sure, maybe use logs for it somehow." },
			func(p string) string { return questionByPrompt(t, app.h.Bank, p).ShallowAnswer },
			func(p string) string { return questionByPrompt(t, app.h.Bank, p).ModelAnswer },
		}
		for i, answer := range answers {
			app.setClock(fixedNow.Add(time.Duration(i*3) * 24 * time.Hour))
			round := app.startDrill("observability", 1, "study")
			app.answerRound(round, answer)
		}
		ctx := context.Background()
		store := app.h.Store
		u, _ := store.LocalUser(ctx)
		cards, err := store.Cards(ctx, u.ID)
		if err != nil || len(cards) == 0 {
			t.Fatalf("cards %v %v", cards, err)
		}
		for _, card := range cards {
			logs, err := store.ReviewLogs(ctx, u.ID, card.Skill)
			if err != nil {
				t.Fatal(err)
			}
			var events []srs.Event
			for _, l := range logs {
				events = append(events, srs.Event{Rating: srs.Rating(l.Rating), At: l.ReviewedAt})
			}
			replayed := models.SkillCard{}.WithSRS(u.Scheduler().Replay(events))
			if card.Reps != replayed.Reps || card.Lapses != replayed.Lapses || card.State != replayed.State ||
				!card.Due.Equal(replayed.Due) || abs(card.Stability-replayed.Stability) > 1e-9 || abs(card.Difficulty-replayed.Difficulty) > 1e-9 {
				t.Errorf("%s: stored %+v\nreplayed %+v", card.Skill, card, replayed)
			}
		}
	})
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// seedCard stores a card for the local user.
func seedCard(t *testing.T, db *gorm.DB, c models.SkillCard) {
	t.Helper()
	var u models.User
	db.Where("is_local = ?", true).First(&u)
	c.UserID = u.ID
	if err := db.Create(&c).Error; err != nil {
		t.Fatal(err)
	}
}

func TestReviewPageOrdersDueSkills(t *testing.T) {
	app := sqliteApp(t)
	db := app.h.Store.DB()
	past := fixedNow.Add(-10 * 24 * time.Hour)
	// A weak card (low stability) and a strong one, both due: the weak one
	// is more forgotten and comes first. A card due next week is not listed.
	seedCard(t, db, models.SkillCard{Skill: "observability/logging", Due: fixedNow.Add(-time.Hour), Stability: 20, Difficulty: 5, Reps: 3, State: int(srs.StateReview), LastReview: &past})
	seedCard(t, db, models.SkillCard{Skill: "observability/tracing", Due: fixedNow.Add(-time.Hour), Stability: 1, Difficulty: 7, Reps: 2, State: int(srs.StateReview), LastReview: &past})
	seedCard(t, db, models.SkillCard{Skill: "observability/metrics", Due: fixedNow.Add(7 * 24 * time.Hour), Stability: 30, Difficulty: 5, Reps: 4, State: int(srs.StateReview), LastReview: &past})
	_, doc := app.get("/review")
	var order []string
	doc.Find(`[data-testid="due-skill"] td:first-child`).Each(func(_ int, s *goquery.Selection) {
		order = append(order, strings.TrimSpace(s.Text()))
	})
	if strings.Join(order, ",") != "Observability · tracing,Observability · logging" {
		t.Errorf("due order %v", order)
	}
	if doc.Find(`[data-testid="forecast-day"] rect`).Length() != ForecastDays {
		t.Error("forecast should show 14 days")
	}
	if badge := strings.TrimSpace(doc.Find("#due-count").Text()); badge != "2" {
		t.Errorf("nav badge %q", badge)
	}
}

func TestStartReviewAsksAFreshQuestion(t *testing.T) {
	app := sqliteApp(t)
	db := app.h.Store.DB()
	// Answer one observability question, then make its skill due.
	round := app.startDrill("observability", 1, "study")
	_, prompt, _, _ := app.current(round)
	first := questionByPrompt(t, app.h.Bank, prompt)
	app.answerRound(round, func(string) string { return first.ShallowAnswer })
	db.Model(&models.SkillCard{}).Where("skill = ?", first.Skill).Update("due", fixedNow.Add(-time.Minute))

	res, _ := app.post("/review", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("start review: %d", res.StatusCode)
	}
	review := res.Header.Get("Location")
	_, prompt2, _, _ := app.current(review)
	second := questionByPrompt(t, app.h.Bank, prompt2)
	if second.Skill != first.Skill || second.ID == first.ID {
		t.Errorf("review asked %s (%s); want another question of %s than %s", second.ID, second.Skill, first.Skill, first.ID)
	}
}

func TestLeechGetsLearnStep(t *testing.T) {
	app := sqliteApp(t)
	db := app.h.Store.DB()
	skill := app.h.Bank.Questions()[0].Skill
	past := fixedNow.Add(-2 * 24 * time.Hour)
	seedCard(t, db, models.SkillCard{Skill: skill, Due: fixedNow.Add(-time.Hour), Stability: 0.5, Difficulty: 9, Reps: 8, Lapses: 4, State: int(srs.StateRelearning), LastReview: &past})
	res, _ := app.post("/review", nil)
	if loc := res.Header.Get("Location"); loc != "/review/learn?skill="+url.QueryEscape(skill) {
		t.Fatalf("a leech should get its learn step first (skill URL-encoded), went to %q", loc)
	}
	res, doc := app.get("/review/learn?skill=" + skill)
	if res.StatusCode != http.StatusOK || doc.Find(`[data-testid="learn"] li`).Length() < 4 {
		t.Fatalf("learn page: %d, %d key points", res.StatusCode, doc.Find(`[data-testid="learn"] li`).Length())
	}
	app.post("/review/learn", url.Values{"skill": {skill}})
	res, _ = app.post("/review", nil)
	if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/rounds/") {
		t.Errorf("after the learn step the review starts, went to %q", loc)
	}
}

func TestRetentionSetting(t *testing.T) {
	app := sqliteApp(t)
	res, body := app.post("/settings/retention", url.Values{"retention": {"0.99"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="error-retention"`) || !strings.Contains(body, `value="0.99"`) {
		t.Fatalf("out of range: %d", res.StatusCode)
	}
	res, _ = app.post("/settings/retention", url.Values{"retention": {"0.85"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("valid: %d", res.StatusCode)
	}
	u, _ := app.h.Store.LocalUser(context.Background())
	if u.DesiredRetention != 0.85 {
		t.Errorf("retention %v", u.DesiredRetention)
	}
	_, doc := app.get("/help")
	if !strings.Contains(doc.Find(`[data-testid="rating-help"]`).Text(), "below 4") {
		t.Error("help page should show the rating thresholds")
	}
}

func TestDrillPlan(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		app := newTestApp(t, db)
		res, body := app.post("/drills", url.Values{"area": {"cooking"}, "per_day": {"9"}, "stack": {"go"}, "level": {"middle"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="error-area"`) || !strings.Contains(body, `data-testid="error-per_day"`) {
			t.Fatalf("invalid plan: %d", res.StatusCode)
		}
		res, _ = app.post("/drills", url.Values{"area": {"observability"}, "per_day": {"1"}, "stack": {"go"}, "level": {"middle"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d", res.StatusCode)
		}
		res, _ = app.post("/drills", url.Values{"area": {"caching"}, "per_day": {"1"}, "stack": {"go"}, "level": {"middle"}})
		if res.StatusCode != http.StatusConflict {
			t.Errorf("second active plan: %d, want 409", res.StatusCode)
		}
		_, doc := app.get("/drills")
		form := doc.Find(`[data-testid="active-plan"] form`).First()
		action, _ := form.Attr("action")
		res, _ = app.post(action, nil)
		round := res.Header.Get("Location")
		if !strings.HasPrefix(round, "/rounds/") {
			t.Fatalf("start today's drill went to %q", round)
		}
		app.answerRound(round, func(p string) string { return questionByPrompt(t, app.h.Bank, p).ModelAnswer })
		_, doc = app.get("/drills")
		if got := doc.Find(`[data-testid="plan-today"]`).Text(); got != "1 of 1" {
			t.Errorf("today %q", got)
		}
		if got := doc.Find(`[data-testid="plan-streak"]`).Text(); got != "A 1-day streak" {
			t.Errorf("streak %q", got)
		}
		if !strings.Contains(doc.Find(`[data-testid="plan-trend"]`).Text(), "no answers yet") {
			t.Errorf("trend %q", doc.Find(`[data-testid="plan-trend"]`).Text())
		}
		// A week later the plan is over.
		app.setClock(fixedNow.Add(8 * 24 * time.Hour))
		_, doc = app.get("/drills")
		if doc.Find(`[data-testid="active-plan"]`).Length() != 0 || !strings.Contains(doc.Text(), "done") {
			t.Error("the plan should have ended after 7 days")
		}
	})
}

// TestReviewRoundLabelTellsItsStack: a Go learner's review asks Go
// questions where the skill allows and is labelled with the stack its
// questions are really in: Go, Python, or mixed.
func TestReviewRoundLabelTellsItsStack(t *testing.T) {
	langSkill := func(t *testing.T, app *testApp, area string) string {
		for _, s := range app.h.Bank.Skills() {
			if strings.HasPrefix(s, area+"/") {
				return s
			}
		}
		t.Fatalf("no %s skill in the bank", area)
		return ""
	}
	for _, tc := range []struct {
		name  string
		areas []string
		stack string
		title string
	}{
		{"SharedSkillInGo", []string{"caching"}, "go", "Review · Go · Middle"},
		{"PythonSkillIsPython", []string{"python"}, "python", "Review · Python · Middle"},
		{"PythonAndGoAreMixed", []string{"python", "go"}, interview.MixedStack, "Review · mixed stacks · Middle"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := sqliteApp(t)
			db := app.h.Store.DB()
			app.startDrill("apis", 1, "study") // the learner's last round: Go, middle
			for _, a := range tc.areas {
				seedCard(t, db, models.SkillCard{Skill: langSkill(t, app, a), Due: fixedNow.Add(-time.Hour), Stability: 2, Difficulty: 5, Reps: 1, State: int(srs.StateReview)})
			}
			res, _ := app.post("/review", nil)
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("start review: %d", res.StatusCode)
			}
			var r models.Round
			db.Where("type = ?", "review").First(&r)
			if r.Stack != tc.stack {
				t.Errorf("review stack %q, want %q", r.Stack, tc.stack)
			}
			_, page := app.get(res.Header.Get("Location"))
			if !strings.Contains(page.Text(), tc.title) {
				t.Errorf("review page does not say %q", tc.title)
			}
		})
	}
}

// TestReviewAhead: with nothing due, "Review ahead" starts a round of the
// skills closest to due; without the button's field, nothing starts.
func TestReviewAhead(t *testing.T) {
	app := sqliteApp(t)
	db := app.h.Store.DB()
	past := fixedNow.Add(-24 * time.Hour)
	for i, skill := range []string{"caching/pitfalls", "databases/locking", "apis/idempotency"} {
		seedCard(t, db, models.SkillCard{Skill: skill, Due: fixedNow.Add(time.Duration(i+2) * 24 * time.Hour), Stability: 5, Difficulty: 5, Reps: 1, State: int(srs.StateReview), LastReview: &past})
	}
	_, doc := app.get("/review")
	if doc.Find(`[data-testid="review-ahead"]`).Length() != 1 {
		t.Fatal("no Review ahead button with nothing due")
	}
	if n := doc.Find(`[data-testid="skill-row"]`).Length(); n != 3 {
		t.Errorf("%d skill rows, want 3", n)
	}
	if got := strings.TrimSpace(doc.Find(`[data-testid="skill-comes-back"]`).First().Text()); got != "in 2 days" {
		t.Errorf("first skill comes back %q, want in 2 days", got)
	}
	if res, _ := app.post("/review", nil); res.Header.Get("Location") != "/review" {
		t.Errorf("a plain review with nothing due went to %q", res.Header.Get("Location"))
	}
	res, _ := app.post("/review", url.Values{"ahead": {"1"}})
	if !strings.HasPrefix(res.Header.Get("Location"), "/rounds/") {
		t.Fatalf("review ahead went to %q", res.Header.Get("Location"))
	}
	var r models.Round
	db.Where("type = ?", "review").First(&r)
	if len(r.QuestionIDs) != 3 {
		t.Errorf("review ahead asks %d questions, want one per skill (3)", len(r.QuestionIDs))
	}
}

// TestReviewPageQueryCount: the review page runs the same number of
// queries for 3 skills as for 40, on SQLite and PostgreSQL.
func TestReviewPageQueryCount(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		counts := map[int]int64{}
		for _, n := range []int{3, 40} {
			db := modelstest.Open(t, modelstest.Dialect(db.Dialector.Name()))
			app := newTestApp(t, db)
			past := fixedNow.Add(-5 * 24 * time.Hour)
			skills := app.h.Bank.Skills()
			if len(skills) < n {
				t.Fatalf("the bank has %d skills", len(skills))
			}
			for i, s := range skills[:n] {
				seedCard(t, db, models.SkillCard{Skill: s, Due: fixedNow.Add(time.Duration(i-n/2) * 24 * time.Hour), Stability: 3, Difficulty: 5, Reps: 1, State: int(srs.StateReview), LastReview: &past})
			}
			qc := modelstest.CountStatements(t, app.h.Store)
			res, doc := app.get("/review")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%d skills: status %d", n, res.StatusCode)
			}
			if rows := doc.Find(`[data-testid="skill-row"]`).Length(); rows != n {
				t.Errorf("%d skill rows, want %d", rows, n)
			}
			counts[n] = qc.Load()
		}
		if counts[3] != counts[40] {
			t.Errorf("queries: %d for 3 skills, %d for 40: want the same", counts[3], counts[40])
		}
	})
}
