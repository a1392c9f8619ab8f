package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mockround/mockround/views"
)

func contextWithTimeout(c echo.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.Request().Context(), d)
}

// home is the landing page.
func (h *Handlers) home(c echo.Context) error {
	return render(c, http.StatusOK, views.HomePage(views.Home{Layout: h.layout(c, "Practice", "home")}))
}
