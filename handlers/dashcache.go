package handlers

import (
	"context"
	"html"
	"io"

	"github.com/a-h/templ"
)

// dashboardCacheBytes bounds the dashboards kept in memory: a year of
// history draws a body of about 75 KB, so this keeps the last eighty or
// so users' dashboards.
const dashboardCacheBytes = 6 << 20

// keepDashboardRounds is the history, in finished rounds, from which a
// drawn dashboard is kept. A shorter one is cheap to draw, and a learner
// early on finishes a round between most views, which draws it again
// anyway: 200 learners in the journey load test kept 7 MB of dashboards
// that were never served.
const keepDashboardRounds = 20

// dashboardEntry is the rendered body of a user's latest dashboard, kept
// (Handlers.dashboards, by user) under the key it was drawn for: the
// fingerprint of their data (models.Store.DashboardVersion) and the day.
// Any write to their history or a new day draws it again, and the
// fingerprint is read from the database on every view, so instances
// behind one load balancer never serve each other's stale pages. The
// least recently viewed go first when the bytes run out.
type dashboardEntry struct {
	key      string
	parts    []string // the HTML around each place of the form token
	dueToday int
}

// size is what the entry weighs in the cache.
func (e dashboardEntry) size() int {
	n := len(e.key)
	for _, p := range e.parts {
		n += len(p)
	}
	return n
}

// withToken is the kept body with the session's form token written in
// where the placeholder stood.
func (e dashboardEntry) withToken(token string) templ.Component {
	token = html.EscapeString(token)
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		for i, part := range e.parts {
			if i > 0 {
				if _, err := io.WriteString(w, token); err != nil {
					return err
				}
			}
			if _, err := io.WriteString(w, part); err != nil {
				return err
			}
		}
		return nil
	})
}
