package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"github.com/mockround/mockround/models"
)

// Limits are the request rates the app allows. They are kept in memory,
// per instance: behind a load balancer each instance enforces its own.
type Limits struct {
	// LoginPerMinute per IP address.
	LoginPerMinute float64
	// AnswersPerMinute per user and per IP address.
	AnswersPerMinute float64
	// ModelCallsPerMinute per user, on the other routes that call the
	// model (job description analysis and round start, re-grades) when
	// one is configured.
	ModelCallsPerMinute float64
	// DraftsPerMinute per user: the answer box saves as you type, a
	// second or so after you stop.
	DraftsPerMinute float64
	// RoundsPerMinute per user: rounds started.
	RoundsPerMinute float64
}

func (l Limits) withDefaults() Limits {
	if l.LoginPerMinute == 0 {
		l.LoginPerMinute = 20
	}
	if l.AnswersPerMinute == 0 {
		l.AnswersPerMinute = 30
	}
	if l.ModelCallsPerMinute == 0 {
		l.ModelCallsPerMinute = 20
	}
	if l.DraftsPerMinute == 0 {
		l.DraftsPerMinute = 120
	}
	if l.RoundsPerMinute == 0 {
		l.RoundsPerMinute = 20
	}
	return l
}

// limiter builds a rate limit keyed by id, answering 429 with a clear
// page and a Retry-After header when exceeded.
func limiter(perMinute float64, id middleware.Extractor, what string) echo.MiddlewareFunc {
	return limiterWhen(perMinute, id, what, nil)
}

// limiterWhen is limiter with a skipper.
func limiterWhen(perMinute float64, id middleware.Extractor, what string, skip middleware.Skipper) echo.MiddlewareFunc {
	burst := max(1, int(perMinute/4))
	store := middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate: rate.Limit(perMinute / 60), Burst: burst, ExpiresIn: 10 * time.Minute,
	})
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Skipper:             skip,
		Store:               store,
		IdentifierExtractor: id,
		DenyHandler: func(c echo.Context, _ string, err error) error {
			c.Response().Header().Set("Retry-After", strconv.Itoa(int(60/perMinute*float64(burst))+1))
			return echo.NewHTTPError(http.StatusTooManyRequests, "Too many "+what+" in a short time. Wait a minute, then try again: nothing you typed is lost.")
		},
		ErrorHandler: func(c echo.Context, err error) error {
			return echo.NewHTTPError(http.StatusForbidden, "We could not tell who sent this request.").SetInternal(err)
		},
	})
}

func byIP(c echo.Context) (string, error) { return "ip:" + c.RealIP(), nil }

func byUser(c echo.Context) (string, error) {
	return "user:" + strconv.FormatUint(uint64(currentUser(c).ID), 10), nil
}

// loginLimit limits login attempts per IP address.
func (h *Handlers) loginLimit() echo.MiddlewareFunc {
	return limiter(h.Limits.LoginPerMinute, byIP, "login attempts")
}

// answerLimit limits answer submissions per user and per IP address.
func (h *Handlers) answerLimit() []echo.MiddlewareFunc {
	return []echo.MiddlewareFunc{
		limiter(h.Limits.AnswersPerMinute, byUser, "answers"),
		limiter(h.Limits.AnswersPerMinute*2, byIP, "answers from your network"),
	}
}

// draftLimit limits draft saves per user.
func (h *Handlers) draftLimit() echo.MiddlewareFunc {
	return limiter(h.Limits.DraftsPerMinute, byUser, "draft saves")
}

// roundLimit limits rounds started per user.
func (h *Handlers) roundLimit() echo.MiddlewareFunc {
	return limiter(h.Limits.RoundsPerMinute, byUser, "new rounds")
}

// modelLimit limits, per user, the requests other than answers that call
// the model: one budget shared by every route it is put on. Without a
// model configured those routes call none and are not limited.
func (h *Handlers) modelLimit() echo.MiddlewareFunc {
	return limiterWhen(h.Limits.ModelCallsPerMinute, byUser, "requests to the model",
		func(echo.Context) bool { return h.LLMModel == "" })
}

// regradeOnlyFallback lets a re-grade through only for a fallback grade of
// the user's own turn (see models.Store.RegradeAllowed).
func (h *Handlers) regradeOnlyFallback(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		roundID, err1 := strconv.ParseUint(c.Param("id"), 10, 63)
		turnID, err2 := strconv.ParseUint(c.Param("turn"), 10, 63)
		if err1 != nil || err2 != nil {
			return echo.ErrNotFound
		}
		err := h.Store.RegradeAllowed(c.Request().Context(), currentUser(c).ID, uint(roundID), uint(turnID))
		if errors.Is(err, models.ErrConflict) {
			return echo.NewHTTPError(http.StatusConflict, "Only an answer the model could not grade can be graded again, and only until the model has graded it.")
		}
		if err != nil {
			return err
		}
		return next(c)
	}
}
