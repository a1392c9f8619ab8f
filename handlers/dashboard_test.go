package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"gorm.io/gorm"

	"github.com/mockround/mockround/cmd/mockround/demo"
	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/models/modelstest"
	"github.com/mockround/mockround/views"
)

// fillDemo writes days of demo history for the local user.
func (a *testApp) fillDemo(days int) models.User {
	a.t.Helper()
	ctx := context.Background()
	u, err := a.h.Store.LocalUser(ctx)
	if err != nil {
		a.t.Fatal(err)
	}
	if err := (demo.Demo{Store: a.h.Store, Bank: a.h.Bank, Seed: 7}).Fill(ctx, u, days, fixedNow); err != nil {
		a.t.Fatal(err)
	}
	return u
}

// queryCounter counts the SQL statements a database runs.
// TestDashboardQueryCount: the dashboard runs the same number of queries,
// at most 8, for 10 days and for 365 days of history.
func TestDashboardQueryCount(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		counts := map[int]int64{}
		for _, days := range []int{10, 365} {
			db := modelstest.Open(t, modelstest.Dialect(db.Dialector.Name()))
			app := newTestApp(t, db)
			app.fillDemo(days)
			qc := modelstest.CountStatements(t, app.h.Store)
			res, _ := app.get("/dashboard")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%d days: status %d", days, res.StatusCode)
			}
			counts[days] = qc.Load()
		}
		if counts[10] != counts[365] || counts[365] > 8 || counts[365] == 0 {
			t.Errorf("queries: %d for 10 days, %d for 365 days; want the same, at most 8", counts[10], counts[365])
		}
	})
}

func TestDashboardShowsHistory(t *testing.T) {
	app := sqliteApp(t)
	app.fillDemo(40)
	d, err := app.h.Store.DashboardData(context.Background(), 1, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	_, doc := app.get("/dashboard")
	if doc.Find(`[data-testid="dashboard-empty"]`).Length() != 0 {
		t.Fatal("dashboard with history says it is empty")
	}
	// Each chart plots one point per round (40 days is under the bucket
	// limit) and ends on the last round's score.
	last := d.Rounds[len(d.Rounds)-1]
	for _, dim := range []string{"depth", "tradeoffs", "communication"} {
		ch := doc.Find(`[data-testid="chart-` + dim + `"]`)
		if n, _ := ch.Attr("data-points"); n != strconv.Itoa(len(d.Rounds)) {
			t.Errorf("%s chart has %s points, want %d", dim, n, len(d.Rounds))
		}
		want := map[string]float64{"depth": last.Depth, "tradeoffs": last.Tradeoffs, "communication": last.Communication}[dim]
		if latest, _ := ch.Attr("data-latest"); latest != strconv.FormatFloat(want, 'f', 1, 64) {
			t.Errorf("%s latest %s, want %.1f", dim, latest, want)
		}
		if ch.Find("circle").Length() != len(d.Rounds) {
			t.Errorf("%s chart has %d dots", dim, ch.Find("circle").Length())
		}
	}
	if n := doc.Find(`[data-testid="heatmap"] tbody tr`).Length(); n != 14 {
		t.Errorf("heat map rows %d, want 14 areas", n)
	}
	if doc.Find(`[data-testid="heatmap"] td.never`).Length() == 0 {
		t.Error("heat map should show areas never practised")
	}
	for _, level := range []string{"junior", "middle", "senior"} {
		if doc.Find(`[data-testid="readiness-`+level+`"]`).Length() != 1 {
			t.Errorf("no readiness for %s", level)
		}
	}
	if doc.Find(`[data-testid="weak-skill"]`).Length() != 5 {
		t.Errorf("weak skills %d, want 5", doc.Find(`[data-testid="weak-skill"]`).Length())
	}
	if n := doc.Find(`[data-testid="calendar"] .cal-day:not(.pad)`).Length(); n != 364 {
		t.Errorf("calendar shows %d days, want 364", n)
	}
	if n := doc.Find(`[data-testid="calendar"] .cal-month`).FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Text() != "" }).Length(); n < 11 {
		t.Errorf("calendar labels %d months, want the 11 or 12 that start in a year", n)
	}
	if doc.Find(`[data-testid="calendar"] .cal-week`).First().Find(".cal-day").Length() != 7 {
		t.Error("the calendar's first week is not padded to a whole week from Monday")
	}
	if doc.Find(`[data-testid="dash-plan"]`).Length() != 1 {
		t.Error("demo history has an active drill plan")
	}
}

func TestDashboardEmpty(t *testing.T) {
	app := sqliteApp(t)
	res, doc := app.get("/dashboard")
	if res.StatusCode != http.StatusOK || doc.Find(`[data-testid="dashboard-empty"]`).Length() != 1 {
		t.Fatalf("empty dashboard: %d", res.StatusCode)
	}
}

// normalise drops what legitimately differs between two exports of the
// same history: ids and the export time.
func normalise(t *testing.T, e models.Export) string {
	t.Helper()
	e.ExportedAt = fixedNow
	for i := range e.Rounds {
		e.Rounds[i].ID = 0
		if e.Rounds[i].DrillPlanID != nil {
			e.Rounds[i].DrillPlanID = new(uint)
		}
	}
	for i := range e.Reviews {
		e.Reviews[i].RoundID = nil
	}
	for i := range e.DrillPlans {
		e.DrillPlans[i].ID = 0
	}
	e.User.Name = ""
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestExportImportRoundTrip(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		app := newTestApp(t, db)
		app.fillDemo(20)
		res, body := app.do(http.MethodGet, "/export.json", nil, nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("export: %d", res.StatusCode)
		}
		var first models.Export
		if err := json.Unmarshal([]byte(body), &first); err != nil {
			t.Fatal(err)
		}
		if len(first.Rounds) == 0 || len(first.Cards) == 0 || len(first.Reviews) == 0 || len(first.Rounds[0].Answers) == 0 {
			t.Fatalf("export is missing data: %d rounds, %d cards, %d reviews", len(first.Rounds), len(first.Cards), len(first.Reviews))
		}
		if len(first.Rounds[0].Answers[0].Evidence) == 0 {
			t.Error("answers should carry their evidence")
		}

		// Import into a second, empty account.
		ctx := context.Background()
		other := models.User{Name: "Second", DesiredRetention: 0.9}
		if err := db.Create(&other).Error; err != nil {
			t.Fatal(err)
		}
		if err := app.h.Store.ImportData(ctx, other.ID, first); err != nil {
			t.Fatal(err)
		}
		second, err := app.h.Store.ExportData(ctx, other.ID, fixedNow)
		if err != nil {
			t.Fatal(err)
		}
		if normalise(t, first) != normalise(t, second) {
			t.Error("importing an export and exporting again gives different data")
		}
		// Importing again into a non-empty account is refused.
		if err := app.h.Store.ImportData(ctx, other.ID, first); err == nil {
			t.Error("import into a non-empty account was accepted")
		}
	})
}

func TestImportUpload(t *testing.T) {
	app := sqliteApp(t)
	app.get("/")
	upload := func(content string) (*http.Response, string) {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		fw, _ := w.CreateFormFile("file", "export.json")
		fw.Write([]byte(content))
		w.WriteField("_csrf", app.csrf)
		w.Close()
		req, _ := http.NewRequest(http.MethodPost, app.srv.URL+"/import", &buf)
		req.Header.Set("Content-Type", w.FormDataContentType())
		res, err := app.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	if res, _ := upload("not json"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("garbage: %d", res.StatusCode)
	}
	// The domain error carries the message: the file's own mistake, nothing internal.
	res, body := upload(`{"format":"other","version":1}`)
	if got := parseDoc(t, body).Find(`[data-testid="error-message"]`).Text(); res.StatusCode != http.StatusBadRequest ||
		got != `That file is not a valid mockround export: not a mockround export (format "other" version 1)` {
		t.Errorf("wrong format: %d %q", res.StatusCode, got)
	}
	if res, _ := upload(`{"format":"mockround-export","version":1,"rounds":[],"cards":[],"review_log":[],"drill_plans":[]}`); res.StatusCode != http.StatusSeeOther {
		t.Errorf("valid empty export: %d", res.StatusCode)
	}
}

func TestExportCSV(t *testing.T) {
	app := sqliteApp(t)
	app.fillDemo(5)
	res, body := app.do(http.MethodGet, "/export.csv", nil, nil)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	lines := strings.Split(strings.TrimSpace(body), "\n")
	if !strings.HasPrefix(lines[0], "round_id,round_type") || len(lines) < 10 {
		t.Errorf("csv has %d lines, header %q", len(lines), lines[0])
	}
}

// TestSkillStatsMatchFinalTurns: the running skill stats the dashboard
// reads always equal the final turns they summarise, after demo history,
// live rounds (with follow-ups and skips) and an import.
func TestSkillStatsMatchFinalTurns(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		app := newTestApp(t, db)
		app.fillDemo(15)
		round := app.startDrill("caching", 3, "study")
		app.answerRound(round, func(p string) string { return questionByPrompt(t, app.h.Bank, p).ShallowAnswer })
		round = app.startDrill("apis", 3, "interview")
		_, prompt, pos, step := app.current(round)
		app.post(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {questionByPrompt(t, app.h.Bank, prompt).ModelAnswer}})
		app.post(round+"/end", nil)

		type agg struct {
			Skill, Level string
			Sum          float64
			N            int
		}
		var fromTurns, fromStats []agg
		db.Raw("SELECT skill, level, SUM(overall) AS sum, COUNT(*) AS n FROM turns WHERE final = ? GROUP BY skill, level ORDER BY skill, level", true).Scan(&fromTurns)
		db.Raw("SELECT skill, level, sum, n FROM skill_stats ORDER BY skill, level").Scan(&fromStats)
		if len(fromTurns) == 0 || len(fromTurns) != len(fromStats) {
			t.Fatalf("%d groups from turns, %d stats", len(fromTurns), len(fromStats))
		}
		for i := range fromTurns {
			a, b := fromTurns[i], fromStats[i]
			if a.Skill != b.Skill || a.Level != b.Level || a.N != b.N || abs(a.Sum-b.Sum) > 1e-6 {
				t.Errorf("turns %+v, stats %+v", a, b)
			}
		}
	})
}

// TestImportIntoNonEmptyAccountExplains: importing into an account with
// rounds answers 409 with a page that explains, in words, that nothing was
// imported and why, and links back to the data section, not a bare
// "Conflict".
func TestImportIntoNonEmptyAccountExplains(t *testing.T) {
	app := sqliteApp(t)
	app.fillDemo(3)
	_, export := app.do(http.MethodGet, "/export.json", nil, nil)
	res, body := app.upload([]byte(export))
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("status %d, want 409", res.StatusCode)
	}
	doc := parseDoc(t, body)
	heading := doc.Find(`[data-testid="error-heading"]`).Text()
	if heading == "" || heading == "Conflict" {
		t.Errorf("heading %q, want words for a learner", heading)
	}
	if msg := doc.Find(`[data-testid="error-message"]`).Text(); !strings.Contains(msg, "nothing was imported") {
		t.Errorf("message %q does not say nothing was imported", msg)
	}
	if doc.Find(`[data-testid="error-explain"]`).Length() != 1 {
		t.Error("no explanation under the message")
	}
	if href, _ := doc.Find(`[data-testid="error-link"]`).Attr("href"); href != "/dashboard#your-data" {
		t.Errorf("link %q, want back to the data section", href)
	}
}

// TestErrorPagesAreFriendly: 409, 413 and 429 pages head with words,
// never the bare status text, and say what happened to what was sent.
func TestErrorPagesAreFriendly(t *testing.T) {
	for _, status := range []int{http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusTooManyRequests} {
		var buf bytes.Buffer
		if err := views.ErrorPage(views.ErrorView{Status: status, Title: http.StatusText(status), Message: "x"}).Render(context.Background(), &buf); err != nil {
			t.Fatal(err)
		}
		doc := parseDoc(t, buf.String())
		if h := doc.Find(`[data-testid="error-heading"]`).Text(); h == http.StatusText(status) || h == "" {
			t.Errorf("%d: heading %q", status, h)
		}
		if doc.Find(`[data-testid="error-explain"]`).Text() == "" {
			t.Errorf("%d: no explanation", status)
		}
	}
}
