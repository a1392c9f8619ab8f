package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/mockround/mockround/static"
)

// routes lists every route of the app, in one place.
func (h *Handlers) routes(e *echo.Echo) {
	e.GET("/healthz", h.health).Name = "health"
	e.GET("/metrics", echo.WrapHandler(h.Metrics.Handler())).Name = "metrics"
	e.GET("/static/*", staticHandler()).Name = "static"

	e.GET("/login", h.loginPage).Name = "login"
	e.GET("/auth/:provider", h.beginLogin, h.loginLimit()).Name = "login-begin"
	e.GET("/auth/:provider/callback", h.loginCallback, h.loginLimit()).Name = "login-callback"
	e.POST("/logout", h.logout).Name = "logout"
	e.GET("/claim", h.claimPage).Name = "claim"
	e.POST("/claim", h.claim).Name = "claim-post"

	e.GET("/", h.home).Name = "home"
	e.POST("/setup/jd", h.analyseJD).Name = "setup-jd"
	e.POST("/rounds", h.startRound).Name = "round-start"
	e.GET("/rounds/:id", h.showRound).Name = "round"
	e.POST("/rounds/:id/answers", h.submitAnswer, h.answerLimit()...).Name = "round-answer"
	e.POST("/rounds/:id/draft", h.saveDraft).Name = "round-draft"
	e.POST("/rounds/:id/skip", h.skip).Name = "round-skip"
	e.POST("/rounds/:id/end", h.endRound).Name = "round-end"
	e.GET("/rounds/:id/report", h.report).Name = "round-report"
	e.POST("/rounds/:id/turns/:turn/regrade", h.regrade).Name = "round-regrade"

	e.GET("/dashboard", h.dashboard).Name = "dashboard"
	e.GET("/export.json", h.exportJSON).Name = "export-json"
	e.GET("/export.csv", h.exportCSV).Name = "export-csv"
	e.POST("/import", h.importJSON, middleware.BodyLimit(importLimit)).Name = "import"

	e.GET("/review", h.reviewPage).Name = "review"
	e.POST("/review", h.startReview).Name = "review-start"
	e.GET("/review/learn", h.learnPage).Name = "review-learn"
	e.POST("/review/learn", h.learned).Name = "review-learned"

	e.GET("/drills", h.drills).Name = "drills"
	e.POST("/drills", h.createPlan).Name = "drill-plan-create"
	e.POST("/drills/:id/start", h.startPlanDrill).Name = "drill-plan-start"
	e.POST("/drills/:id/abandon", h.abandonPlan).Name = "drill-plan-abandon"

	e.GET("/help", h.help).Name = "help"
	e.POST("/settings/retention", h.setRetention).Name = "settings-retention"
}

// staticHandler serves the embedded assets; versioned URLs are cached for a
// year.
func staticHandler() echo.HandlerFunc {
	fsrv := http.StripPrefix("/static/", http.FileServerFS(static.FS()))
	return func(c echo.Context) error {
		if c.QueryParam("v") != "" {
			c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			c.Response().Header().Set("Cache-Control", "public, max-age=300")
		}
		fsrv.ServeHTTP(c.Response(), c.Request())
		return nil
	}
}

// health answers 200 when the database answers and takes writes, 503
// when it does not.
func (h *Handlers) health(c echo.Context) error {
	ctx, cancel := contextWithTimeout(c, 2*time.Second)
	defer cancel()
	if err := h.Store.Health(ctx); err != nil {
		h.Log.Warn("health check failed", "err", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "database": "unreachable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok", "database": "ok"})
}
