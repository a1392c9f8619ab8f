package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mockround/mockround/interview"
	"github.com/mockround/mockround/views"
)

func contextWithTimeout(c echo.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.Request().Context(), d)
}

// home is the landing page with the round setup form. Links elsewhere
// (a drill on the weakest area) prefill the form through the query.
func (h *Handlers) home(c echo.Context) error {
	in, err := h.defaultSetup(c, currentUser(c))
	if err != nil {
		return err
	}
	for field, dst := range map[string]*string{"stack": &in.Stack, "level": &in.Level, "type": &in.Type, "area": &in.Area, "count": &in.Count} {
		if v := c.QueryParam(field); v != "" {
			*dst = v
		}
	}
	f := setupForm(in, nil, nil)
	f.Plan = h.previewPlan(in, nil)
	page, err := h.homePage(c, f)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.HomePage(page))
}

// homePage gathers the home page: the form and the unfinished rounds.
func (h *Handlers) homePage(c echo.Context, f views.SetupForm) (views.Home, error) {
	u := currentUser(c)
	active, err := h.Store.ActiveRounds(c.Request().Context(), u.ID)
	if err != nil {
		return views.Home{}, err
	}
	page := views.Home{Layout: h.layout(c, "Practice", "home"), Form: f}
	page.DueReviews = page.Layout.DueReviews
	for _, r := range active {
		page.Active = append(page.Active, views.ActiveRound{
			URL:      roundURL(r.ID, ""),
			Title:    roundTitle(r.Type, r.Stack, r.Level, r.Area),
			Progress: fmt.Sprintf("%d of %d", min(r.Position+1, len(r.QuestionIDs)), len(r.QuestionIDs)),
			Started:  r.StartedAt.Format("2 Jan 15:04"),
		})
	}
	return page, nil
}

// drillSetupURL opens the setup form prefilled for a drill on an area.
func drillSetupURL(area, stack, level string) string {
	q := url.Values{"type": {string(interview.TypeDrill)}, "area": {area}, "count": {strconv.Itoa(interview.DrillCount)}}
	if slices.Contains(interview.Stacks, stack) { // not a review's "mixed"
		q.Set("stack", stack)
	}
	if level != "" {
		q.Set("level", level)
	}
	return "/?" + q.Encode() + "#setup"
}

// roundTitle names a round: "Tech Screening · Go · Middle", "Drill · Go ·
// Middle · Caching".
func roundTitle(typ, stack, level, area string) string {
	t := interview.RoundType(typ).Label() + " · " + interview.StackLabel(stack) + " · " + capitalise(level)
	if area != "" {
		t += " · " + capitalise(interview.AreaLabel(area))
	}
	return t
}
