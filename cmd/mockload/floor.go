package main

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// floorPage is the small constant page the floor server writes.
const floorPage = "<!DOCTYPE html><html><head><title>floor</title></head><body><p>The framework floor: echo writing a constant page.</p></body></html>"

// serveFloor serves a bare echo handler that writes a small constant
// page, the framework's floor to compare mockround's pages with under the
// same wrk run, until ctx ends.
func serveFloor(ctx context.Context, addr string) error {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/", func(c echo.Context) error { return c.HTML(http.StatusOK, floorPage) })
	srv := &http.Server{Addr: addr, Handler: e, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
