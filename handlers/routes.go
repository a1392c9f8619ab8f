package handlers

import (
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/mockround/mockround/static"
)

// routes lists every route of the app, in one place. Routes carry no
// names: nothing built URLs from them (e.Reverse), and a name nothing
// reads only drifts from its route.
func (h *Handlers) routes(e *echo.Echo) {
	model := h.modelLimit() // one budget for the routes below that call the model
	e.GET("/healthz", h.health)
	e.GET("/metrics", h.metrics)
	e.GET("/static/*", staticHandler())

	e.GET("/login", h.loginPage)
	e.GET("/auth/:provider", h.beginLogin, h.loginLimit())
	e.GET("/auth/:provider/callback", h.loginCallback, h.loginLimit())
	e.POST("/logout", h.logout)
	e.GET("/claim", h.claimPage)
	e.POST("/claim", h.claim)

	e.GET("/", h.home)
	e.POST("/setup/jd", h.analyseJD, plainText("jd"))
	e.POST("/setup/plan", h.planPreview, plainText("jd"))
	e.POST("/rounds", h.startRound, h.roundLimit(), model, plainText("jd"))
	e.GET("/rounds/:id", h.showRound)
	e.POST("/rounds/:id/answers", h.submitAnswer, append(h.answerLimit(), plainText("answer"))...)
	e.POST("/rounds/:id/draft", h.saveDraft, h.draftLimit(), plainText("answer"))
	e.POST("/rounds/:id/skip", h.skip)
	e.POST("/rounds/:id/end", h.endRound)
	e.GET("/rounds/:id/report", h.report)
	e.POST("/rounds/:id/turns/:turn/regrade", h.regrade, h.regradeOnlyFallback, model)
	e.POST("/rounds/:id/turns/:turn/disputes", h.dispute)

	e.GET("/dashboard", h.dashboard)
	e.GET("/export.json", h.exportJSON)
	e.GET("/export.csv", h.exportCSV)
	e.POST("/import", h.importJSON, middleware.BodyLimit(importLimit))

	e.GET("/review", h.reviewPage)
	e.POST("/review", h.startReview)
	e.GET("/review/learn", h.learnPage)
	e.POST("/review/learn", h.learned)

	e.GET("/drills", h.drills)
	e.POST("/drills", h.createPlan)
	e.POST("/drills/:id/start", h.startPlanDrill)
	e.POST("/drills/:id/abandon", h.abandonPlan)

	e.GET("/help", h.help)
	e.POST("/settings/retention", h.setRetention)
}

// staticHandler serves the embedded assets; versioned URLs are cached for a
// year.
func staticHandler() echo.HandlerFunc {
	fsrv := http.StripPrefix("/static/", http.FileServerFS(static.FS()))
	return func(c echo.Context) error {
		// Folders are not pages: the file server would redirect to the
		// folder with a slash, which the slash remover undoes, forever.
		name := strings.Trim(strings.TrimPrefix(c.Request().URL.Path, "/static/"), "/")
		if fi, err := fs.Stat(static.FS(), name); name == "" || (err == nil && fi.IsDir()) {
			return echo.ErrNotFound
		}
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
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "database": "unreachable", "version": h.Version})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok", "database": "ok", "version": h.Version})
}
