package handlers

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/mockround/mockround/models"
)

const (
	userContextKey = "user"
	csrfContextKey = "csrf"
	// maxBody bounds a request body: the longest answer (20,000 characters,
	// up to 4 bytes each) and a job description (50,000) fit with room.
	maxBody = "512K"
)

// contentSecurityPolicy allows scripts and styles from our own origin only:
// no inline scripts, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

func isHTTPS(baseURL string) bool { return strings.HasPrefix(baseURL, "https://") }

// isPublicPath reports paths that need no user and no CSRF token.
func isPublicPath(p string) bool {
	return p == "/healthz" || p == "/metrics" || strings.HasPrefix(p, "/static/")
}

// isLoginPath reports the pages of the login flow, open to visitors who
// are not logged in.
func isLoginPath(p string) bool {
	return p == "/login" || p == "/logout" || strings.HasPrefix(p, "/auth/")
}

func (h *Handlers) middleware(e *echo.Echo) {
	e.Pre(headAsGet)
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
	e.Use(headRestored)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			h.Log.Error("panic", slog.Any("err", err), slog.String("stack", string(stack)))
			return err
		},
	}))
	e.Use(middleware.RequestID())
	e.Use(h.Metrics.middleware)
	e.Use(middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURI: true, LogMethod: true, LogLatency: true, LogRequestID: true,
		Skipper: func(c echo.Context) bool { return strings.HasPrefix(c.Path(), "/static") },
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			uri := v.URI
			if strings.HasPrefix(c.Request().URL.Path, "/auth/") {
				// The login callback's query carries the OAuth code and state.
				uri = c.Request().URL.Path
			}
			h.Log.LogAttrs(c.Request().Context(), slog.LevelInfo, "request",
				slog.String("method", v.Method), slog.String("uri", uri), slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency), slog.String("request_id", v.RequestID))
			return nil
		},
	}))
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection:         "0",
		ContentTypeNosniff:    "nosniff",
		XFrameOptions:         "DENY",
		ReferrerPolicy:        "same-origin",
		ContentSecurityPolicy: contentSecurityPolicy,
		HSTSMaxAge:            hstsMaxAge(h.secure),
		// Other sites of the same domain are not ours to pin to https.
		HSTSExcludeSubdomains: true,
	}))
	// Bodies are bounded, and the visitor identified, before anything
	// reads a body: the CSRF check below parses forms (multipart included)
	// to find its token, so it must only ever see a bounded body from a
	// logged-in user. An anonymous POST is answered unread.
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
		Limit:   maxBody,
		Skipper: func(c echo.Context) bool { return c.Request().URL.Path == "/import" },
	}))
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
		// An import carries a whole export.
		Limit:   importLimit,
		Skipper: func(c echo.Context) bool { return c.Request().URL.Path != "/import" },
	}))
	e.Use(h.identify)
	e.Use(middleware.CSRFWithConfig(middleware.CSRFConfig{
		Skipper:        func(c echo.Context) bool { return isPublicPath(c.Request().URL.Path) },
		TokenLookup:    "header:X-CSRF-Token,form:_csrf",
		ContextKey:     csrfContextKey,
		CookieName:     csrfCookie,
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   h.secure,
		CookieSameSite: http.SameSiteLaxMode,
		CookieMaxAge:   int((30 * 24 * time.Hour).Seconds()),
		ErrorHandler: func(err error, c echo.Context) error {
			return echo.NewHTTPError(http.StatusForbidden, "Your form expired or came from another site. Reload the page and try again.").SetInternal(err)
		},
	}))
	e.Use(idParams)
}

const csrfCookie = "mockround_csrf"

// headAsGet routes HEAD like GET; headRestored then gives the request its
// HEAD back, so the server, which shares the request, drops the body the
// GET handler writes. (echo routes on the request's method before any
// ordinary middleware runs, and has no HEAD fallback of its own.)
func headAsGet(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if r := c.Request(); r.Method == http.MethodHead {
			r.Method = http.MethodGet
			c.Set(headContextKey, true)
		}
		return next(c)
	}
}

func headRestored(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if head, _ := c.Get(headContextKey).(bool); head {
			c.Request().Method = http.MethodHead
		}
		return next(c)
	}
}

const headContextKey = "head"

// idParams answers 404 for a route id that is not a row id any database
// holds (ids are signed 64-bit in PostgreSQL): 2^63 is unknown, like any
// other id that does not exist, not a server error.
func idParams(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		for _, name := range c.ParamNames() {
			if name != "id" && name != "turn" {
				continue
			}
			if n, err := strconv.ParseUint(c.Param(name), 10, 63); err != nil || n == 0 {
				return fmt.Errorf("%s %q: %w", name, c.Param(name), models.ErrNotFound)
			}
		}
		return next(c)
	}
}

func hstsMaxAge(secure bool) int {
	if secure {
		return 180 * 24 * 3600
	}
	return 0
}

// identify puts the current user in the context. In local mode that is
// always the local user; with login configured it is the user of the
// session cookie, and visitors without one are sent to /login.
// noStore keeps a response with a user's data out of every cache, so
// Back shows the page as it is now (the browser's back/forward cache may
// still restore it: static/app.js reloads such a page).
func noStore(c echo.Context) {
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
}

func (h *Handlers) identify(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		path := c.Request().URL.Path
		if isPublicPath(path) {
			return next(c)
		}
		if h.Auth == nil {
			c.Set(userContextKey, h.localUser)
			noStore(c)
			return next(c)
		}
		if s, ok := h.Auth.session(c.Request()); ok {
			now := h.Auth.now()
			u, err := h.Store.UserByID(c.Request().Context(), s.userID)
			switch {
			case err == nil && s.live(now, u):
				if err := h.Auth.touch(c.Response(), c.Request(), s, now); err != nil {
					return err
				}
				c.Set(userContextKey, u)
				noStore(c)
				return next(c)
			case err != nil && !errors.Is(err, models.ErrNotFound):
				return err
			}
		}
		if isLoginPath(path) {
			return next(c)
		}
		if hasBody(c.Request()) {
			// Refused unread: close the connection rather than drain it.
			c.Response().Header().Set(echo.HeaderConnection, "close")
		}
		target := "/login"
		if c.Request().Method == http.MethodGet && path != "/" {
			target += "?next=" + url.QueryEscape(c.Request().URL.RequestURI())
		}
		return redirect(c, target)
	}
}

// hasBody reports a request that sends a body (of known length or chunked).
func hasBody(r *http.Request) bool {
	return r.ContentLength != 0 && r.Body != nil && r.Body != http.NoBody
}

// currentUser is the user the request acts for; identify guarantees one.
func currentUser(c echo.Context) models.User {
	u, _ := c.Get(userContextKey).(models.User)
	return u
}
