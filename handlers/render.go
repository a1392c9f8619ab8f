package handlers

import (
	"context"
	"io"
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/mockround/mockround/views"
)

// render writes a component with a status. It renders into a buffer first,
// so a failing template never leaves half a page on the wire.
func render(c echo.Context, status int, comp templ.Component) error {
	buf := templ.GetBuffer()
	defer templ.ReleaseBuffer(buf)
	if err := comp.Render(c.Request().Context(), buf); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	h.Add(echo.HeaderVary, "HX-Request")
	// The page is whole: its length lets net/http send it as it is rather
	// than in chunks, in fewer writes to the connection.
	h.Set(echo.HeaderContentLength, strconv.Itoa(buf.Len()))
	c.Response().WriteHeader(status)
	_, err := c.Response().Write(buf.Bytes())
	return err
}

// inPage is body in the page layout l.
func inPage(l views.Layout, body templ.Component) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		return views.Page(l).Render(templ.WithChildren(ctx, body), w)
	})
}

// isPartial reports whether the request wants a fragment rather than a full
// page: an htmx request that is neither boosted nor a history restore.
func isPartial(c echo.Context) bool {
	h := c.Request().Header
	return h.Get("HX-Request") == "true" &&
		h.Get("HX-Boosted") != "true" &&
		h.Get("HX-History-Restore-Request") != "true"
}

// redirect sends the browser on after a successful change: 303 See Other
// for a plain form, HX-Redirect for htmx.
func redirect(c echo.Context, url string) error {
	if c.Request().Header.Get("HX-Request") == "true" {
		c.Response().Header().Set("HX-Redirect", url)
		return c.NoContent(http.StatusOK)
	}
	return c.Redirect(http.StatusSeeOther, url)
}
