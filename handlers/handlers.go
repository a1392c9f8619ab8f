// Package handlers is mockround's HTTP layer: echo handlers that parse the
// request, call the engine and the store, and render a view.
package handlers

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mockround/mockround/internal/lru"
	"github.com/mockround/mockround/interview"
	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/static"
	"github.com/mockround/mockround/views"
)

// Deps is what the handlers need from the outside world.
type Deps struct {
	Store *models.Store
	Log   *slog.Logger
	// Now is the clock; tests pass a fixed one.
	Now func() time.Time
	// BaseURL is where the app is reached, e.g. https://mockround.example.
	BaseURL string
	// SessionSecret signs cookies.
	SessionSecret []byte
	// Metrics collects request metrics; nil makes a private registry.
	Metrics *Metrics
	// Bank is the question bank; Grader grades answers in a round.
	Bank   *grader.Bank
	Grader TurnGrader
	// Auth is login through OAuth providers; nil runs the app in
	// single-user local mode.
	Auth *Auth
	// Limits bound login attempts and answer submissions; zero values
	// take the defaults.
	Limits Limits
	// Rates counts requests against the limits: nil keeps them in this
	// process's memory; a Redis store shares them between instances.
	Rates RateStore
	// AnalyzeJD reads a job description; nil uses the built-in analysis.
	// With a model configured it merges the model's reading in.
	AnalyzeJD func(ctx context.Context, text string) interview.JDAnalysis
	// Version is the running build, shown in /healthz and the footer.
	Version string
	// LLMModel names the configured model ("" when none): answers graded
	// by the rubric alone can then be re-graded with it.
	LLMModel string
}

// TurnGrader grades an answer in its question's conversation. The rubric
// engine is one; the LLM interviewer wraps it.
type TurnGrader interface {
	GradeTurn(ctx context.Context, q *grader.Question, previous []grader.TurnRecord, answer string) (grader.Graded, error)
}

// InstantGrader is a TurnGrader that says whether it grades in the
// process, with nothing to wait on (the rubric engine grades in well
// under a millisecond): answerAtOnce then stores an answer already
// graded, in one transaction. A grader that may wait seconds on a model
// has its answers stored first, so they are safe meanwhile.
type InstantGrader interface {
	TurnGrader
	Instant() bool
}

// RubricGrader adapts the rubric engine to TurnGrader.
type RubricGrader struct{ *grader.Grader }

// Instant implements InstantGrader: the rubric engine never waits.
func (RubricGrader) Instant() bool { return true }

// GradeTurn implements TurnGrader.
func (g RubricGrader) GradeTurn(_ context.Context, q *grader.Question, previous []grader.TurnRecord, answer string) (grader.Graded, error) {
	return g.Grader.GradeTurn(q, previous, answer)
}

// Handlers holds the dependencies of every handler.
type Handlers struct {
	Deps
	secure    bool
	localUser models.User
	failures  failureLog
	// badgeFailures limits the logging of the due badge's failures.
	badgeFailures failureLog
	// limitFailures limits the logging of the rate limit store's failures.
	limitFailures failureLog
	// dashboards keeps the users' latest dashboards, drawn.
	dashboards *lru.Cache[uint, dashboardEntry]
}

// New checks the dependencies and prepares the handlers. In local mode it
// creates the local user on first start.
func New(ctx context.Context, d Deps) (*Handlers, error) {
	if d.Store == nil {
		return nil, fmt.Errorf("handlers: no store")
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Bank == nil {
		return nil, fmt.Errorf("handlers: no question bank")
	}
	if d.Grader == nil {
		d.Grader = RubricGrader{grader.NewGrader(d.Bank)}
	}
	if d.AnalyzeJD == nil {
		d.AnalyzeJD = func(_ context.Context, text string) interview.JDAnalysis { return interview.AnalyzeJD(text) }
	}
	if d.Metrics == nil {
		d.Metrics = NewMetrics()
	}
	d.Limits = d.Limits.withDefaults()
	if d.Rates == nil {
		d.Rates = NewMemoryRates()
	}
	h := &Handlers{Deps: d, secure: isHTTPS(d.BaseURL), dashboards: lru.New[uint, dashboardEntry](dashboardCacheBytes)}
	u, err := d.Store.LocalUser(ctx)
	if err != nil {
		return nil, err
	}
	h.localUser = u
	return h, nil
}

// Echo builds the server: middleware, error handler and routes.
func (h *Handlers) Echo() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = h.errorHandler
	// The client's address is the connection's: X-Forwarded-For is not
	// trusted, so rate limits cannot be dodged by a forged header.
	e.IPExtractor = echo.ExtractIPDirect()
	h.middleware(e)
	h.routes(e)
	return e
}

// layout fills what every page shows, counting the reviews due for the
// navigation badge.
func (h *Handlers) layout(c echo.Context, title, nav string) views.Layout {
	due := 0
	if u, ok := c.Get(userContextKey).(models.User); ok {
		n, err := h.Store.CountDue(c.Request().Context(), u.ID, endOfDay(h.Now()))
		if err != nil {
			// The badge is a convenience: the page still renders without
			// it. An outage fails it on every page: log once per burst.
			if _, ok := h.badgeFailures.log(time.Now()); ok {
				h.Log.Warn("count due reviews", "err", err)
			}
		}
		due = n
	}
	return h.layoutWithDue(c, title, nav, due)
}

// layoutWithDue is layout for a page that already knows the due count.
func (h *Handlers) layoutWithDue(c echo.Context, title, nav string, due int) views.Layout {
	l := views.Layout{
		Title:      title,
		Nav:        nav,
		LocalMode:  h.Auth == nil,
		DueReviews: due,
		CSS:        static.URL("app.css"),
		HTMX:       static.URL("vendor/htmx-" + static.HTMXVersion + ".min.js"),
		JS:         static.URL("app.js"),
		Version:    h.Version,
	}
	if tok, ok := c.Get(csrfContextKey).(string); ok {
		l.CSRFToken = tok
	}
	if u, ok := c.Get(userContextKey).(models.User); ok {
		l.UserName = u.Name
		l.LoggedIn = h.Auth != nil
	}
	return l
}
