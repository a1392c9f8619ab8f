package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mockround/mockround/cmd/mockround/demo"
	"github.com/mockround/mockround/interview"
	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/models/modelstest"
)

// benchServer is the app over a database, called in-process so a
// benchmark measures server time, not the network.
type benchServer struct {
	h *Handlers
	e *echo.Echo
}

func newBenchServer(b *testing.B, d modelstest.Dialect) *benchServer {
	b.Helper()
	db := modelstest.Open(b, d)
	bank, err := grader.LoadBank()
	if err != nil {
		b.Fatal(err)
	}
	h, err := New(context.Background(), Deps{Store: models.NewStore(db), Bank: bank, Now: func() time.Time { return fixedNow },
		SessionSecret: []byte(strings.Repeat("s", 32)), BaseURL: "http://127.0.0.1",
		Limits: Limits{LoginPerMinute: 1e9, AnswersPerMinute: 1e9, DraftsPerMinute: 1e9, RoundsPerMinute: 1e9}})
	if err != nil {
		b.Fatal(err)
	}
	return &benchServer{h: h, e: h.Echo()}
}

const benchToken = "benchmark-csrf-token-0123456789abcdef"

// serve runs one request through the whole middleware stack.
func (s *benchServer) serve(b *testing.B, method, path string, form url.Values) *httptest.ResponseRecorder {
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	req.AddCookie(&http.Cookie{Name: "mockround_csrf", Value: benchToken})
	req.Header.Set("X-CSRF-Token", benchToken)
	req.Header.Set("HX-Request", "true")
	rec := httptest.NewRecorder()
	s.e.ServeHTTP(rec, req)
	if rec.Code >= 400 {
		b.Fatalf("%s %s: %d", method, path, rec.Code)
	}
	return rec
}

// newRound stores a round of one screening question for the local user.
func (s *benchServer) newRound(b *testing.B, qid string) uint {
	r := models.Round{UserID: s.h.localUser.ID, Type: "screening", Stack: "go", Level: "middle", Feedback: interview.FeedbackStudy,
		QuestionIDs: models.StringList{qid}, Seed: 1, Status: models.RoundActive, StartedAt: fixedNow}
	if err := s.h.Store.CreateRound(context.Background(), &r); err != nil {
		b.Fatal(err)
	}
	return r.ID
}

func dialects(b *testing.B, fn func(b *testing.B, d modelstest.Dialect)) {
	for _, d := range []modelstest.Dialect{modelstest.SQLite, modelstest.Postgres} {
		b.Run(string(d), func(b *testing.B) { fn(b, d) })
	}
}

// BenchmarkQuestionPage renders the round page (htmx fragment).
func BenchmarkQuestionPage(b *testing.B) {
	dialects(b, func(b *testing.B, d modelstest.Dialect) {
		s := newBenchServer(b, d)
		id := s.newRound(b, "cache-read-volume-tripled")
		path := fmt.Sprintf("/rounds/%d", id)
		b.ReportAllocs()
		for b.Loop() {
			s.serve(b, http.MethodGet, path, nil)
		}
	})
}

// BenchmarkSubmitAnswer stores, grades and answers a submit with the next
// state of the round (grading of a 180-word answer included).
func BenchmarkSubmitAnswer(b *testing.B) {
	dialects(b, func(b *testing.B, d modelstest.Dialect) {
		s := newBenchServer(b, d)
		q, _ := s.h.Bank.Question("cache-read-volume-tripled")
		form := url.Values{"position": {"0"}, "step": {"0"}, "answer": {q.ModelAnswer}}
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			path := fmt.Sprintf("/rounds/%d/answers", s.newRound(b, q.ID))
			b.StartTimer()
			s.serve(b, http.MethodPost, path, form)
		}
	})
}

// BenchmarkDashboard renders the dashboard for 30 and 365 days of demo
// history (about 3,000 answers for a year).
func BenchmarkDashboard(b *testing.B) {
	dialects(b, func(b *testing.B, d modelstest.Dialect) {
		for _, days := range []int{30, 365} {
			b.Run(fmt.Sprintf("%ddays", days), func(b *testing.B) {
				s := newBenchServer(b, d)
				if err := (demo.Demo{Store: s.h.Store, Bank: s.h.Bank, Seed: 7}).Fill(context.Background(), s.h.localUser, days, fixedNow); err != nil {
					b.Fatal(err)
				}
				// Measure the steady state: a live PostgreSQL has autovacuum
				// keep statistics and the visibility map current, which a
				// table filled a moment ago does not have yet.
				if d == modelstest.Postgres {
					if err := s.h.Store.DB().Exec("VACUUM ANALYZE").Error; err != nil {
						b.Fatal(err)
					}
				}
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					s.serve(b, http.MethodGet, "/dashboard", nil)
				}
			})
		}
	})
}
