package handlers

import (
	"container/list"
	"context"
	"html"
	"io"
	"sync"

	"github.com/a-h/templ"
)

// dashboardCacheBytes bounds the dashboards kept in memory: a year of
// history draws a body of about 75 KB, so this keeps the last eighty or
// so users' dashboards.
const dashboardCacheBytes = 6 << 20

// dashboardCache keeps the rendered body of each user's latest dashboard
// under the key it was drawn for: the fingerprint of their data
// (models.Store.DashboardVersion) and the day. Any write to their history
// or a new day draws it again, and the
// fingerprint is read from the database on every view, so instances
// behind one load balancer never serve each other's stale pages. The
// least recently viewed go first when the bytes run out.
type dashboardCache struct {
	mu    sync.Mutex
	max   int
	size  int
	users map[uint]*list.Element
	order *list.List // front: most recently viewed
}

type dashboardEntry struct {
	user     uint
	key      string
	parts    []string // the HTML around each place of the form token
	size     int
	dueToday int
}

func newDashboardCache(maxBytes int) *dashboardCache {
	return &dashboardCache{max: maxBytes, users: map[uint]*list.Element{}, order: list.New()}
}

// get returns the user's dashboard drawn for key.
func (c *dashboardCache) get(user uint, key string) (dashboardEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.users[user]
	if !ok {
		return dashboardEntry{}, false
	}
	e := el.Value.(dashboardEntry)
	if e.key != key {
		return dashboardEntry{}, false
	}
	c.order.MoveToFront(el)
	return e, true
}

// put keeps e as its user's dashboard, in place of any older one.
func (c *dashboardCache) put(e dashboardEntry) {
	for _, p := range e.parts {
		e.size += len(p)
	}
	if e.size > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.users[e.user]; ok {
		c.size -= el.Value.(dashboardEntry).size
		c.order.Remove(el)
	}
	c.users[e.user] = c.order.PushFront(e)
	c.size += e.size
	for c.size > c.max {
		last := c.order.Back()
		old := last.Value.(dashboardEntry)
		c.order.Remove(last)
		delete(c.users, old.user)
		c.size -= old.size
	}
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
