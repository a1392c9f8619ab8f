package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"
)

// Limits are the request rates the app allows. They are kept in memory,
// per instance: behind a load balancer each instance enforces its own.
type Limits struct {
	// LoginPerMinute per IP address.
	LoginPerMinute float64
	// AnswersPerMinute per user and per IP address.
	AnswersPerMinute float64
}

func (l Limits) withDefaults() Limits {
	if l.LoginPerMinute == 0 {
		l.LoginPerMinute = 20
	}
	if l.AnswersPerMinute == 0 {
		l.AnswersPerMinute = 30
	}
	return l
}

// limiter builds a rate limit keyed by id, answering 429 with a clear
// page and a Retry-After header when exceeded.
func limiter(perMinute float64, id middleware.Extractor, what string) echo.MiddlewareFunc {
	burst := max(1, int(perMinute/4))
	store := middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate: rate.Limit(perMinute / 60), Burst: burst, ExpiresIn: 10 * time.Minute,
	})
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
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
