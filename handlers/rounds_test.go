package handlers

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"gorm.io/gorm"

	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/models/modelstest"
	"github.com/mockround/mockround/srs"
)

// startDrill starts a study-mode drill and returns the round's URL.
func (a *testApp) startDrill(area string, count int, feedback string) string {
	a.t.Helper()
	res, body := a.post("/rounds", url.Values{
		"stack": {"go"}, "level": {"middle"}, "type": {"drill"}, "area": {area},
		"count": {itoa(count)}, "feedback": {feedback},
	})
	if res.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("start round: %d\n%s", res.StatusCode, body)
	}
	return res.Header.Get("Location")
}

// current reads the round page: the prompt, position and step.
func (a *testApp) current(roundURL string) (doc *goquery.Document, prompt, pos, step string) {
	a.t.Helper()
	res, doc := a.get(roundURL)
	if res.StatusCode != http.StatusOK {
		a.t.Fatalf("round page: %d", res.StatusCode)
	}
	prompt = strings.TrimSpace(doc.Find(`[data-testid="prompt"]`).Text())
	pos, _ = doc.Find(`input[name="position"]`).Attr("value")
	step, _ = doc.Find(`input[name="step"]`).Attr("value")
	return doc, prompt, pos, step
}

// questionByPrompt finds the bank question a page is asking, by its
// prompt or one of its follow-ups.
func questionByPrompt(t *testing.T, b *grader.Bank, prompt string) *grader.Question {
	t.Helper()
	for _, q := range b.Questions() {
		if q.Prompt == prompt {
			return q
		}
	}
	for _, q := range b.Questions() {
		for _, f := range q.FollowUps {
			if f.Prompt == prompt {
				return q
			}
		}
	}
	// The interviewer's own follow-ups: asking again after an answer about
	// something else, and the plain-words probe about a term of the
	// answer (the tests answer with the bank's own answers).
	if again, ok := strings.CutPrefix(prompt, "That's not quite what I asked: "); ok {
		return questionByPrompt(t, b, again)
	}
	if term, ok := grader.ProbeTerm(prompt); ok {
		term = strings.ToLower(term)
		for _, q := range b.Questions() {
			if strings.Contains(strings.ToLower(q.ShallowAnswer), term) {
				return q
			}
		}
	}
	t.Fatalf("no bank question with prompt %q", prompt)
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }

func countTurns(t *testing.T, db *gorm.DB) int64 {
	t.Helper()
	var n int64
	if err := db.Model(&models.Turn{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSetupInvalidKeepsInput(t *testing.T) {
	app := sqliteApp(t)
	jd := strings.Repeat("Go and PostgreSQL. ", 2700) // over 50,000 characters
	res, body := app.post("/rounds", url.Values{
		"stack": {"rust"}, "level": {"middle"}, "type": {"drill"}, "area": {""}, "count": {"99"},
		"feedback": {"study"}, "jd": {jd},
	})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.StatusCode)
	}
	doc := parseDoc(t, body)
	for _, field := range []string{"stack", "area", "count", "jd"} {
		if doc.Find(`[data-testid="error-`+field+`"]`).Length() != 1 {
			t.Errorf("no message next to %s", field)
		}
	}
	if doc.Find(`[data-testid="error-level"]`).Length() != 0 {
		t.Error("a valid level got an error")
	}
	if v, _ := doc.Find(`#count`).Attr("value"); v != "99" {
		t.Errorf("count kept as %q", v)
	}
	if got := doc.Find(`#jd`).Text(); got != jd {
		t.Errorf("job description not kept (%d characters back)", len(got))
	}
	if sel, ok := doc.Find(`#level option[selected]`).Attr("value"); !ok || sel != "middle" {
		t.Errorf("level kept as %q", sel)
	}
}

func TestSetupHTMXValidationIsAFragment(t *testing.T) {
	app := sqliteApp(t)
	res, body := app.htmx(http.MethodPost, "/rounds", url.Values{"stack": {"go"}, "level": {"middle"}, "type": {"screening"}, "feedback": {"nope"}})
	if res.StatusCode != http.StatusUnprocessableEntity || strings.Contains(body, "<html") {
		t.Fatalf("status %d; want a 422 fragment", res.StatusCode)
	}
	if !strings.Contains(body, `data-testid="error-feedback"`) {
		t.Error("feedback error missing")
	}
}

func TestJDAnalysisChips(t *testing.T) {
	app := sqliteApp(t)
	res, body := app.htmx(http.MethodPost, "/setup/jd", url.Values{"jd": {"Senior Go engineer: PostgreSQL, Redis and Kafka. 6+ years."}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	doc := parseDoc(t, body)
	var chips []string
	doc.Find(`[data-testid="jd-chips"] input[name="tech"]`).Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("value")
		chips = append(chips, v)
	})
	if strings.Join(chips, ",") != "postgresql,redis,kafka" {
		t.Errorf("chips %v", chips)
	}
	if doc.Find(`[data-testid="jd-stack"]`).Text() != "Go" || doc.Find(`[data-testid="jd-level"]`).Text() != "senior" {
		t.Errorf("stack %q level %q", doc.Find(`[data-testid="jd-stack"]`).Text(), doc.Find(`[data-testid="jd-level"]`).Text())
	}
}

func TestRoundFlow(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		app := newTestApp(t, db)
		round := app.startDrill("observability", 2, "study")

		// Question 1: a shallow answer earns a follow-up on what it missed.
		doc, prompt, pos, step := app.current(round)
		if got := doc.Find(`[data-testid="progress-text"]`).Text(); got != "1 of 2" {
			t.Errorf("progress %q", got)
		}
		q := questionByPrompt(t, app.h.Bank, prompt)
		res, _ := app.post(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {q.ShallowAnswer}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("submit: %d", res.StatusCode)
		}
		doc, followUp, pos2, step2 := app.current(round)
		if pos2 != "0" || step2 != "1" {
			t.Fatalf("after a shallow answer: slot %s.%s, want a follow-up at 0.1", pos2, step2)
		}
		if followUp == prompt || doc.Find(`.followup[data-testid="prompt"]`).Length() != 1 {
			t.Errorf("follow-up prompt %q", followUp)
		}
		if doc.Find(`[data-testid="feedback"]`).Length() != 1 || doc.Find(`[data-testid="miss"]`).Length() == 0 {
			t.Error("study mode should show the feedback with the missed key points")
		}
		shallowScore := doc.Find(`[data-testid="feedback-score"]`).Text()

		// The follow-up answer (the model answer) raises the question's score.
		app.post(round+"/answers", url.Values{"position": {pos2}, "step": {step2}, "answer": {q.ModelAnswer}})
		doc, _, pos3, _ := app.current(round)
		if pos3 != "1" {
			t.Fatalf("after a complete follow-up answer the round should move on, at %s", pos3)
		}
		if got := doc.Find(`[data-testid="feedback-score"]`).Text(); got <= shallowScore {
			t.Errorf("score after follow-up %s, before %s", got, shallowScore)
		}

		// Question 2: skip it; the round finishes and the report opens.
		res, _ = app.post(round+"/skip", url.Values{"position": {"1"}, "step": {"0"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("skip: %d", res.StatusCode)
		}
		res, _ = app.get(round)
		if loc := res.Header.Get("Location"); loc != round+"/report" {
			t.Fatalf("finished round redirects to %q", loc)
		}
		res, doc = app.get(round + "/report")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("report: %d", res.StatusCode)
		}
		if doc.Find(`[data-testid="report-question"]`).Length() != 2 || doc.Find(`[data-testid="model-answer"]`).Length() != 2 {
			t.Error("report should list both questions with model answers")
		}
		if doc.Find(`[data-testid="answer-text"]`).Length() != 2 {
			t.Errorf("report shows %d answers, want 2", doc.Find(`[data-testid="answer-text"]`).Length())
		}
		if !strings.Contains(doc.Find(`[data-testid="graders"]`).Text(), "rubric") {
			t.Error("report should say which grader scored")
		}

		// Each skill got one review: the skipped one as a miss (Again).
		var logs []models.ReviewLog
		db.Order("skill").Find(&logs)
		if len(logs) != 2 {
			t.Fatalf("%d reviews after the round, want 2", len(logs))
		}
		for _, l := range logs {
			switch {
			case l.Skill == q.Skill && l.Rating == int(srs.Again):
				t.Errorf("the answered skill %s was rated Again (score %v)", l.Skill, l.Score)
			case l.Skill != q.Skill && (l.Rating != int(srs.Again) || l.Score != 0):
				t.Errorf("the skipped skill %s: rating %d score %v, want Again with 0", l.Skill, l.Rating, l.Score)
			}
		}
		if !strings.Contains(doc.Find(`[data-testid="counts"]`).Text(), "Answered 1, skipped 1") {
			t.Errorf("counts %q", doc.Find(`[data-testid="counts"]`).Text())
		}
	})
}

func TestDoubleSubmitStoresOneAnswer(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		app := newTestApp(t, db)
		round := app.startDrill("observability", 2, "interview")
		_, prompt, pos, step := app.current(round)
		q := questionByPrompt(t, app.h.Bank, prompt)
		form := url.Values{"position": {pos}, "step": {step}, "answer": {q.ModelAnswer}}
		app.post(round+"/answers", form)
		res, body := app.htmx(http.MethodPost, round+"/answers", form)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("second submit: %d", res.StatusCode)
		}
		if !strings.Contains(body, "already saved") {
			t.Error("second submit should say the answer was already saved")
		}
		if n := countTurns(t, db); n != 1 {
			t.Errorf("%d turns stored, want 1", n)
		}
	})
}

func TestOversizeAnswerKeepsText(t *testing.T) {
	app := sqliteApp(t)
	round := app.startDrill("observability", 1, "study")
	_, _, pos, step := app.current(round)
	long := strings.Repeat("a", grader.MaxAnswerChars+1)
	res, body := app.htmx(http.MethodPost, round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {long}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.StatusCode)
	}
	doc := parseDoc(t, body)
	if !strings.Contains(doc.Find(`[data-testid="error-answer"]`).Text(), "20,000") {
		t.Errorf("message %q", doc.Find(`[data-testid="error-answer"]`).Text())
	}
	if doc.Find(`[data-testid="answer"]`).Text() != long {
		t.Error("the text was not kept in the answer box")
	}
	_, doc = app.get(round)
	if doc.Find(`[data-testid="answer"]`).Text() != long {
		t.Error("the text was not kept as a draft")
	}
}

func TestDraftIsRestored(t *testing.T) {
	app := sqliteApp(t)
	round := app.startDrill("observability", 1, "study")
	_, _, pos, step := app.current(round)
	res, _ := app.htmx(http.MethodPost, round+"/draft", url.Values{"position": {pos}, "step": {step}, "answer": {"Half an answer about <b>logs</b>"}})
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("draft: %d", res.StatusCode)
	}
	res, body := app.do(http.MethodGet, round, nil, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatal(res.StatusCode)
	}
	if !strings.Contains(body, "Half an answer about &lt;b&gt;logs&lt;/b&gt;") {
		t.Error("draft not restored (escaped) after a reload")
	}
}

func TestUnfinishedRoundListedOnHome(t *testing.T) {
	app := sqliteApp(t)
	round := app.startDrill("observability", 2, "study")
	_, doc := app.get("/")
	href, _ := doc.Find(`[data-testid="active-rounds"] [data-testid="resume"]`).Attr("href")
	if href != round {
		t.Errorf("resume link %q, want %q", href, round)
	}
}

func TestEndRoundEarly(t *testing.T) {
	app := sqliteApp(t)
	round := app.startDrill("observability", 3, "interview")
	_, prompt, pos, step := app.current(round)
	q := questionByPrompt(t, app.h.Bank, prompt)
	app.post(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {q.ModelAnswer}})
	res, _ := app.post(round+"/end", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != round+"/report" {
		t.Fatalf("end: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	_, doc := app.get(round + "/report")
	if s := doc.Find(`[data-testid="overall"]`).Text(); s < "8" {
		t.Errorf("overall %s: the answered question should count", s)
	}
}

func TestOtherRoundIsNotFound(t *testing.T) {
	app := sqliteApp(t)
	res, _ := app.get("/rounds/999")
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("status %d", res.StatusCode)
	}
	res, _ = app.get("/rounds/abc")
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("bad id: status %d", res.StatusCode)
	}
}

func TestSetupDefaultCounts(t *testing.T) {
	app := sqliteApp(t)
	for typ, want := range map[string]int{"screening": 10, "drill": 5} {
		res, _ := app.post("/rounds", url.Values{"stack": {"go"}, "level": {"middle"}, "type": {typ}, "area": {"caching"}, "count": {""}, "feedback": {"study"}})
		_, doc := app.get(res.Header.Get("Location"))
		if got := doc.Find(`[data-testid="progress-text"]`).Text(); got != "1 of "+strconv.Itoa(want) {
			t.Errorf("%s with no count: %q, want 1 of %d", typ, got, want)
		}
	}
}

func TestBodyLimit(t *testing.T) {
	app := sqliteApp(t)
	round := app.startDrill("caching", 1, "study")
	_, _, pos, step := app.current(round)
	res, _ := app.post(round+"/draft", url.Values{"position": {pos}, "step": {step}, "answer": {strings.Repeat("x", 1<<20)}})
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a 1 MB body: %d, want 413", res.StatusCode)
	}
}

// TestSkipsCountZero answers one question with its model answer and skips
// the other nine: the overall is the answer's grade over ten, the report
// says so, and the skipped skills are reviewed as misses.
func TestSkipsCountZero(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		app := newTestApp(t, db)
		res, body := app.post("/rounds", url.Values{
			"stack": {"go"}, "level": {"middle"}, "type": {"screening"}, "count": {"10"}, "feedback": {"interview"},
		})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("start: %d\n%s", res.StatusCode, body)
		}
		round := res.Header.Get("Location")
		_, prompt, pos, step := app.current(round)
		q := questionByPrompt(t, app.h.Bank, prompt)
		app.post(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {q.ModelAnswer}})
		// Skip every follow-up of the first question, then the nine others.
		for range 12 {
			res, _ := app.get(round)
			if res.StatusCode != http.StatusOK {
				break
			}
			_, _, pos, step := app.current(round)
			if res, _ := app.post(round+"/skip", url.Values{"position": {pos}, "step": {step}}); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("skip %s.%s: %d", pos, step, res.StatusCode)
			}
		}
		var first models.Turn
		if err := db.Where("position = 0 AND final = ?", true).First(&first).Error; err != nil {
			t.Fatal(err)
		}
		if first.Overall < 7 {
			t.Fatalf("the model answer graded %.1f; the test needs a strong answer", first.Overall)
		}
		var r models.Round
		db.First(&r)
		want := math.Round(first.Overall) / 10 // one strong answer over ten questions
		if r.Status != models.RoundFinished || r.Overall > 1.0 || math.Abs(r.Overall-want) > 0.1 || r.Answered != 1 || r.Skipped != 9 || !r.Complete {
			t.Errorf("round: status %s overall %.1f (answer %.1f) answered %d skipped %d complete %v",
				r.Status, r.Overall, first.Overall, r.Answered, r.Skipped, r.Complete)
		}
		_, doc := app.get(round + "/report")
		if got := doc.Find(`[data-testid="counts"]`).Text(); got != "Answered 1, skipped 9" {
			t.Errorf("report counts %q", got)
		}
		if s, _ := strconv.ParseFloat(doc.Find(`[data-testid="overall"]`).Text(), 64); s > 1.0 {
			t.Errorf("report overall %v, want at most 1.0", s)
		}
		if n := doc.Find(`[data-testid="question-row"] [data-testid="question-skipped"]`).Length(); n != 9 {
			t.Errorf("%d questions shown skipped, want 9", n)
		}
		// Skipped questions feed the skill averages with 0.
		var stats []models.SkillStat
		db.Find(&stats)
		sum, n := 0.0, 0
		for _, s := range stats {
			sum += s.Sum
			n += s.N
		}
		if n != 10 || math.Abs(sum-first.Overall) > 0.01 {
			t.Errorf("skill stats hold %d scores summing to %.1f, want 10 summing to %.1f", n, sum, first.Overall)
		}
	})
}

// TestEndEarlyDoesNotScoreUnreached ends a round after one answer: the
// questions never reached are not scored, and the round does not count
// toward readiness.
func TestEndEarlyDoesNotScoreUnreached(t *testing.T) {
	app := sqliteApp(t)
	round := app.startDrill("observability", 3, "interview")
	_, prompt, pos, step := app.current(round)
	q := questionByPrompt(t, app.h.Bank, prompt)
	app.post(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {q.ModelAnswer}})
	app.post(round+"/end", nil)
	_, doc := app.get(round + "/report")
	if got := doc.Find(`[data-testid="unreached"]`).Text(); !strings.Contains(got, "2 not reached") {
		t.Errorf("unreached %q", got)
	}
	if doc.Find(`[data-testid="incomplete-note"]`).Length() != 1 {
		t.Error("the report should say an incomplete round does not count toward readiness")
	}
	var r models.Round
	app.h.Store.DB().First(&r)
	if r.Complete || r.Answered != 1 || r.Skipped != 0 {
		t.Errorf("round complete %v answered %d skipped %d", r.Complete, r.Answered, r.Skipped)
	}
}

// TestJDAnalyseWithoutJavaScript posts the form's "Analyse" button as a
// browser without JavaScript does: the page comes back with the selects
// set from the JD (and why), the chips, and the round it plans; the
// learner's own choice after that stands on the next analysis.
func TestJDAnalyseWithoutJavaScript(t *testing.T) {
	app := sqliteApp(t)
	jd := "Senior Go engineer, PostgreSQL, Kafka, Kubernetes, 6+ years"
	form := url.Values{"action": {"analyse"}, "stack": {"python"}, "level": {"middle"}, "type": {"screening"}, "feedback": {"study"}, "jd": {jd}}
	res, body := app.post("/rounds", form)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	doc := parseDoc(t, body)
	if v, _ := doc.Find(`#stack option[selected]`).Attr("value"); v != "go" {
		t.Errorf("stack selected %q, want go", v)
	}
	if v, _ := doc.Find(`#level option[selected]`).Attr("value"); v != "senior" {
		t.Errorf("level selected %q, want senior", v)
	}
	if doc.Find(`[data-testid="stack-from-jd"]`).Length() != 1 || doc.Find(`[data-testid="level-from-jd"]`).Length() != 1 {
		t.Error("the selects do not say they come from the job description")
	}
	plan := doc.Find(`[data-testid="round-plan-areas"]`).Text()
	for _, want := range []string{"3 Go", "concurrency", "deployment"} {
		if !strings.Contains(plan, want) {
			t.Errorf("plan %q lacks %q", plan, want)
		}
	}
	// The learner switches to Java and analyses again: Java stays.
	form.Set("stack", "java")
	form.Set("jd_stack", "go")
	form.Set("jd_level", "senior")
	_, body = app.post("/rounds", form)
	doc = parseDoc(t, body)
	if v, _ := doc.Find(`#stack option[selected]`).Attr("value"); v != "java" {
		t.Errorf("stack selected %q after the learner's change, want java", v)
	}
	if doc.Find(`[data-testid="stack-from-jd"]`).Length() != 0 {
		t.Error("java is said to come from the job description")
	}
	if plan := doc.Find(`[data-testid="round-plan-areas"]`).Text(); !strings.HasPrefix(plan, "3 Java") {
		t.Errorf("plan %q, want Java questions", plan)
	}
}
