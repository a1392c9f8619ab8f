package handlers

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mockround/mockround/interview"
	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/views"
)

// MaxPlanDaily bounds a drill plan's sessions a day.
const MaxPlanDaily = 5

// drills shows the active plan or the form to start one.
func (h *Handlers) drills(c echo.Context) error {
	u := currentUser(c)
	stack, level, err := h.Store.LastRoundSetup(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	f := views.DrillForm{Area: c.QueryParam("area"), PerDay: "1", Stack: or(stack, interview.DefaultStack), Level: or(level, interview.DefaultLevel)}
	return h.renderDrills(c, f, http.StatusOK)
}

func (h *Handlers) renderDrills(c echo.Context, f views.DrillForm, status int) error {
	u := currentUser(c)
	ctx := c.Request().Context()
	now := h.Now()
	page := views.DrillsPage{Layout: h.layout(c, "Drill plans", "drills")}
	plan, runs, err := h.Store.ActiveDrillPlan(ctx, u.ID)
	switch {
	case errors.Is(err, models.ErrNotFound):
	case err != nil:
		return err
	default:
		st := drillState(plan, runs, now)
		if st.Over {
			if err := h.Store.EndDrillPlan(ctx, u.ID, plan.ID, models.PlanDone, now); err != nil {
				return err
			}
		} else {
			page.Active = drillView(plan, st)
		}
	}
	past, err := h.Store.PastDrillPlans(ctx, u.ID)
	if err != nil {
		return err
	}
	for _, p := range past {
		page.Past = append(page.Past, views.PastPlan{Area: capitalise(interview.AreaLabel(p.Area)), Status: p.Status, Start: p.StartDay.Format("2 Jan 2006")})
	}
	f.Areas = options(interview.Areas, interview.AreaLabel)
	f.Stacks = options(interview.Stacks, interview.StackLabel)
	f.Levels = options(interview.Levels, capitalise)
	page.Form = f
	return render(c, status, views.DrillsPageView(page))
}

func drillState(p models.DrillPlan, runs []models.DrillRound, now time.Time) interview.DrillPlanState {
	dr := make([]interview.DrillRun, len(runs))
	for i, r := range runs {
		dr[i] = interview.DrillRun{Day: r.FinishedAt, Overall: r.Overall}
	}
	return interview.DrillProgress(p.StartDay, p.Days, p.PerDay, dr, p.Baseline, p.HasBaseline, now)
}

func drillView(p models.DrillPlan, st interview.DrillPlanState) *views.DrillPlanView {
	v := &views.DrillPlanView{
		ID: p.ID, Area: capitalise(interview.AreaLabel(p.Area)), Day: st.Day, Days: st.Days, DaysDone: st.DaysDone,
		TodayDone: st.TodayDone, PerDay: st.PerDay, Streak: st.Streak, TodayOK: st.TodayDone >= st.PerDay,
		Before: "no answers yet", Now: "no drills yet",
	}
	if st.HasBefore {
		v.Before = fmt.Sprintf("%.1f", st.Before)
	}
	if st.HasNow {
		v.Now = fmt.Sprintf("%.1f", st.Now)
	}
	for i := 0; i < min(st.Day, st.Days); i++ {
		if st.Daily[i] == 0 {
			v.Daily = append(v.Daily, "–")
		} else {
			v.Daily = append(v.Daily, fmt.Sprintf("%.1f", st.Daily[i]))
		}
	}
	return v
}

// createPlan starts a 7-day plan on an area.
func (h *Handlers) createPlan(c echo.Context) error {
	u := currentUser(c)
	ctx := c.Request().Context()
	f := views.DrillForm{
		Area: strings.TrimSpace(c.FormValue("area")), PerDay: strings.TrimSpace(c.FormValue("per_day")),
		Stack: strings.TrimSpace(c.FormValue("stack")), Level: strings.TrimSpace(c.FormValue("level")),
		Errors: map[string]string{},
	}
	// The plan's rounds are drills: the setup's rules check its fields.
	drill := interview.Setup{Stack: f.Stack, Level: f.Level, Type: interview.TypeDrill, Area: f.Area}
	var se *interview.SetupError
	if err := drill.Validate(); errors.As(err, &se) {
		maps.Copy(f.Errors, se.Fields)
	}
	perDay, err := strconv.Atoi(f.PerDay)
	if err != nil || perDay < 1 || perDay > MaxPlanDaily {
		f.Errors["per_day"] = fmt.Sprintf("Enter a whole number from 1 to %d.", MaxPlanDaily)
	}
	if len(f.Errors) > 0 {
		return h.renderDrills(c, f, http.StatusUnprocessableEntity)
	}
	now := h.Now()
	before, n, err := h.Store.AreaAverage(ctx, u.ID, f.Area, now)
	if err != nil {
		return err
	}
	p := models.DrillPlan{
		UserID: u.ID, Area: f.Area, Stack: f.Stack, Level: f.Level, Days: interview.PlanDays, PerDay: perDay,
		StartDay: now, Status: models.PlanActive, Baseline: before, HasBaseline: n > 0,
	}
	if err := h.Store.CreateDrillPlan(ctx, &p); err != nil {
		if errors.Is(err, models.ErrConflict) {
			f.Errors["area"] = "You already have an active plan: finish or abandon it first."
			return h.renderDrills(c, f, http.StatusConflict)
		}
		return err
	}
	return redirect(c, "/drills")
}

func (h *Handlers) planID(c echo.Context) (uint, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil || id == 0 {
		return 0, fmt.Errorf("plan id %q: %w", c.Param("id"), models.ErrNotFound)
	}
	return uint(id), nil
}

// startPlanDrill opens today's drill of a plan.
func (h *Handlers) startPlanDrill(c echo.Context) error {
	id, err := h.planID(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	ctx := c.Request().Context()
	p, err := h.Store.DrillPlan(ctx, u.ID, id)
	if err != nil {
		return err
	}
	if p.Status != models.PlanActive {
		return echo.NewHTTPError(http.StatusConflict, "This plan has ended: start a new one.")
	}
	now := h.Now()
	recent, err := h.Store.RecentQuestionIDs(ctx, u.ID, 3)
	if err != nil {
		return err
	}
	plan, err := interview.PlanRound(h.Bank, interview.Setup{Stack: p.Stack, Level: p.Level, Type: interview.TypeDrill, Area: p.Area, Seed: now.UnixNano(), Recent: recent})
	if err != nil {
		return err
	}
	r := models.Round{
		UserID: u.ID, Type: string(interview.TypeDrill), Stack: p.Stack, Level: p.Level, Area: p.Area,
		Feedback: interview.FeedbackStudy, QuestionIDs: plan.IDs(), Seed: now.UnixNano(), Status: models.RoundActive,
		StartedAt: now, DrillPlanID: &p.ID,
	}
	if err := h.Store.CreateRound(ctx, &r); err != nil {
		return err
	}
	return redirect(c, roundURL(r.ID, ""))
}

// abandonPlan ends a plan early.
func (h *Handlers) abandonPlan(c echo.Context) error {
	id, err := h.planID(c)
	if err != nil {
		return err
	}
	if err := h.Store.EndDrillPlan(c.Request().Context(), currentUser(c).ID, id, models.PlanAbandoned, h.Now()); err != nil {
		return err
	}
	return redirect(c, "/drills")
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
