package handlers

import (
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// plainText cleans the named form fields before the handler reads them:
// invalid UTF-8 becomes U+FFFD and NUL characters go, as PostgreSQL stores
// neither (a job description pasted from a PDF can hold both). SQLite and
// PostgreSQL then store the same text.
func plainText(fields ...string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if err := r.ParseForm(); err != nil {
				return err
			}
			for _, f := range fields {
				for _, vals := range []map[string][]string{r.Form, r.PostForm} {
					for i, v := range vals[f] {
						vals[f][i] = cleanText(v)
					}
				}
			}
			return next(c)
		}
	}
}

func cleanText(s string) string {
	if utf8.ValidString(s) && !strings.ContainsRune(s, 0) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}
