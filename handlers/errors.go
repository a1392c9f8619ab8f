package handlers

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/views"
)

// userError is an error whose message is written for the user, with an
// optional link to where they can go next.
type userError struct {
	status         int
	msg            string
	link, linkText string
	// err is the cause, logged for a server error, never shown.
	err error
}

func (e *userError) Error() string {
	if e.err != nil {
		return fmt.Sprintf("%d: %s: %v", e.status, e.msg, e.err)
	}
	return fmt.Sprintf("%d: %s", e.status, e.msg)
}

func (e *userError) Unwrap() error { return e.err }

// notSaved says truthfully that what the user sent was not stored: the
// text stays in the box (and in the browser) for another try.
func notSaved(what string, err error) error {
	return &userError{status: http.StatusServiceUnavailable, err: err,
		msg: "Your " + what + " could not be saved yet: the database is not answering. Your text is still in the box (and kept in this browser); try again in a moment."}
}

// errorStatus maps an error to a status code and a message fit for users.
func errorStatus(err error) (int, string) {
	var he *echo.HTTPError
	var ue *userError
	switch {
	case errors.As(err, &ue):
		return ue.status, ue.msg
	case errors.As(err, &he):
		msg := http.StatusText(he.Code)
		if m, ok := he.Message.(string); ok && he.Code < 500 && he.Internal == nil {
			msg = m
		}
		return he.Code, msg
	case errors.Is(err, models.ErrNotFound):
		return http.StatusNotFound, "We could not find that page."
	case errors.Is(err, models.ErrForbidden):
		return http.StatusForbidden, "You are not allowed to do that."
	case errors.Is(err, models.ErrConflict):
		return http.StatusConflict, "That was already done."
	case errors.Is(err, models.ErrInvalid):
		return http.StatusBadRequest, "That request is not valid."
	default:
		return http.StatusInternalServerError, "Something went wrong on our side, and what you just sent may not have been saved. Please try again in a moment."
	}
}

// errorHandler is echo's single error path: it picks the status, logs
// server errors once with the request's attributes, and renders a page or a
// fragment without internal details.
func (h *Handlers) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := errorStatus(err)
	if status >= 500 {
		if suppressed, ok := h.failures.log(time.Now()); ok {
			h.Log.ErrorContext(c.Request().Context(), "request failed",
				slog.String("method", c.Request().Method),
				slog.String("path", c.Request().URL.Path),
				slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
				slog.Int("similar_failures_not_logged", suppressed),
				slog.Any("err", err))
		}
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	page := views.ErrorView{Status: status, Title: http.StatusText(status), Message: msg}
	if ue := (*userError)(nil); errors.As(err, &ue) {
		page.LinkURL, page.LinkText = ue.link, ue.linkText
	}
	var rerr error
	if isPartial(c) {
		rerr = render(c, status, views.ErrorFragment(page))
	} else {
		page.Layout = h.layout(c, page.Title, "")
		rerr = render(c, status, views.ErrorPage(page))
	}
	if rerr != nil {
		h.Log.Error("render error page", slog.Any("err", rerr))
	}
}

// failureBurst is how long a burst of server errors lasts: within it only
// the first is logged (with the count of those left out before it), so a
// database outage gives a line every few seconds, not thousands.
const failureBurst = 5 * time.Second

// failureLog rate-limits the logging of server errors.
type failureLog struct {
	mu         sync.Mutex
	last       time.Time
	suppressed int
}

// log reports whether to log a failure now, and how many were not logged
// since the last line.
func (f *failureLog) log(now time.Time) (suppressed int, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.last.IsZero() && now.Sub(f.last) < failureBurst {
		f.suppressed++
		return 0, false
	}
	suppressed, f.suppressed, f.last = f.suppressed, 0, now
	return suppressed, true
}
