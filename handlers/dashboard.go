package handlers

import (
	"fmt"
	"math"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mockround/mockround/interview"
	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/srs"
	"github.com/mockround/mockround/views"
)

// maxChartPoints bounds a chart: longer histories are averaged into this
// many buckets so a year stays readable.
const maxChartPoints = 60

// dashboard answers "am I ready for the next level, and what do I practise
// today?" from a fixed number of queries.
func (h *Handlers) dashboard(c echo.Context) error {
	u := currentUser(c)
	now := h.Now()
	ctx := c.Request().Context()
	version, err := h.Store.DashboardVersion(ctx, u.ID)
	if err != nil {
		return err
	}
	// Everything the dashboard shows of time is by the day: due today, the
	// forecast, the drill plan's day, the activity calendar.
	key := version + "|" + now.Format(time.DateOnly) + "|" + now.UTC().Format(time.DateOnly)
	e, ok := h.dashboards.Get(u.ID)
	if !ok || e.key != key {
		d, err := h.Store.DashboardData(ctx, u.ID, now.Add(ForecastDays*24*time.Hour))
		if err != nil {
			return err
		}
		v := h.dashboardView(c, d, now)
		// The body is kept without the session's form token, which is
		// written into it on each view.
		v.Layout.CSRFToken = csrfPlaceholder
		var body strings.Builder
		if err := views.DashboardBody(v).Render(ctx, &body); err != nil {
			return err
		}
		e = dashboardEntry{key: key, parts: strings.Split(body.String(), csrfPlaceholder), dueToday: v.DueToday}
		if len(d.Rounds) >= keepDashboardRounds {
			h.dashboards.Put(u.ID, e, e.size())
		}
	}
	layout := h.layoutWithDue(c, "Dashboard", "dashboard", e.dueToday)
	return render(c, http.StatusOK, inPage(layout, e.withToken(layout.CSRFToken)))
}

// csrfPlaceholder stands for the form token in a kept dashboard: letters
// only, so HTML escaping leaves it as it is.
const csrfPlaceholder = "mockroundCsrfTokenPlaceholder"

func (h *Handlers) dashboardView(c echo.Context, d models.Dashboard, now time.Time) views.Dashboard {
	var dues []time.Time
	dueToday := 0
	for _, card := range d.Due {
		dues = append(dues, card.Due)
		if !card.Due.After(endOfDay(now)) {
			dueToday++
		}
	}
	v := views.Dashboard{
		Layout:      h.layoutWithDue(c, "Dashboard", "dashboard", dueToday),
		Empty:       len(d.Rounds) == 0,
		DueToday:    dueToday,
		Forecast:    forecastView(srs.Forecast(dues, now, ForecastDays, time.UTC), now),
		TotalRounds: len(d.Rounds),
	}
	for _, s := range d.Skills {
		v.TotalAnswers += s.N
	}

	// Readiness per level.
	var rounds []interview.LevelRound
	var finished []time.Time
	stack := ""
	for _, r := range d.Rounds {
		rounds = append(rounds, interview.LevelRound{Level: r.Level, Stack: r.Stack, Type: r.Type, Overall: r.Overall, Complete: r.Complete, Adjusted: r.Adjusted})
		finished = append(finished, r.FinishedAt)
		if r.Type != string(interview.TypeReview) {
			stack = r.Stack
		}
	}
	areas := map[string]map[string]interview.AreaScore{}
	cell := map[string]map[string]models.AreaLevelScore{}
	for _, a := range d.AreaLevels {
		if areas[a.Level] == nil {
			areas[a.Level] = map[string]interview.AreaScore{}
			cell[a.Level] = map[string]models.AreaLevelScore{}
		}
		areas[a.Level][a.Area] = interview.AreaScore{Avg: a.Avg, Count: a.N}
		cell[a.Level][a.Area] = a
	}
	for _, r := range interview.ReadinessAll(rounds, areas, stack) {
		rv := views.ReadinessView{Level: r.Level, Title: capitalise(r.Level), Ready: r.Ready, ProgressPct: int(math.Round(r.Progress * 100)),
			RoundsAvg: fmt.Sprintf("%.1f", r.RoundsAverage), CoveredBy: r.CoveredBy, Adjusted: r.Adjusted}
		if r.Ready && r.NextLevel != "" {
			rv.MoveUpLabel = "Move up to " + r.NextLevel
			rv.MoveUpURL = "/?level=" + r.NextLevel + "&stack=" + or(stack, interview.DefaultStack) + "#setup"
		}
		for _, g := range r.Gaps {
			// Each gap links to what closes it: a drill on the area at
			// the level, or a screening at the level.
			url := drillSetupURL(g.Area, stack, r.Level)
			if g.Area == "" {
				url = "/?type=screening&level=" + r.Level + "&stack=" + or(stack, interview.DefaultStack) + "#setup"
			}
			rv.Gaps = append(rv.Gaps, views.Link{Text: g.Text, URL: url})
		}
		v.Readiness = append(v.Readiness, rv)
	}

	// Per-dimension charts; weak = below the mean of the six averages.
	v.Charts = dimCharts(d.Rounds)

	// Heat map of area by level, and the weakest area to drill.
	lowest := map[string]float64{} // each area's lowest level average
	for _, area := range interview.Areas {
		row := views.HeatRow{Area: capitalise(interview.AreaLabel(area))}
		for _, level := range interview.Levels {
			hc := views.HeatCell{Label: "–", Class: "never", Title: "never practised at " + level, URL: drillSetupURL(area, or(stack, ""), level)}
			if a, ok := cell[level][area]; ok {
				hc.Label = fmt.Sprintf("%.1f", a.Avg)
				hc.Class = heatClass(a.Avg)
				hc.Title = fmt.Sprintf("%.1f over %d answers at %s", a.Avg, a.N, level)
				if l, ok := lowest[area]; !ok || a.Avg < l {
					lowest[area] = a.Avg
				}
			}
			row.Cells = append(row.Cells, hc)
		}
		v.Heat.Rows = append(v.Heat.Rows, row)
	}
	for _, l := range interview.Levels {
		v.Heat.Levels = append(v.Heat.Levels, capitalise(l))
	}
	if weakest := interview.WeakestArea(lowest); weakest != "" {
		v.WeakestLabel = interview.AreaLabel(weakest)
		v.WeakestURL = drillSetupURL(weakest, stack, "")
	}
	for i, s := range d.Skills {
		if i == 5 {
			break
		}
		v.WeakSkills = append(v.WeakSkills, views.WeakSkill{Skill: interview.SkillLabel(s.Skill), Area: interview.AreaLabel(s.Area),
			Avg: fmt.Sprintf("%.1f", s.Avg), N: s.N, URL: drillSetupURL(s.Area, stack, "")})
	}

	// Drill plan.
	if d.Plan != nil {
		st := drillState(*d.Plan, d.PlanRounds, now)
		if !st.Over {
			v.Plan = &views.PlanSummary{Area: interview.AreaLabel(d.Plan.Area), Day: st.Day, Days: st.Days,
				TodayDone: st.TodayDone, PerDay: st.PerDay, Streak: st.Streak}
		}
	}

	// Activity calendar and streak.
	counts, streak := interview.Activity(finished, now)
	v.Streak = streak
	v.Calendar = calendarView(counts, now)
	if len(d.Rounds) == 1 {
		v.TrendNote = "Your trends show after your second round: finish another one to see how each dimension moves."
	}
	return v
}

// calendarWeeksOnPhone is how many of the latest weeks a phone shows.
const calendarWeeksOnPhone = 26

// calendarView lays the activity counts (one per day, oldest first, the
// last one today) out in weeks from Monday, each week labelled with the
// month that starts in it.
func calendarView(counts []int, now time.Time) views.Calendar {
	first := now.AddDate(0, 0, -(len(counts) - 1))
	pad := (int(first.Weekday()) + 6) % 7 // days before first in its week
	var cal views.Calendar
	var week *views.CalendarWeek
	for i := -pad; i < len(counts); i++ {
		if (i+pad)%7 == 0 {
			cal.Weeks = append(cal.Weeks, views.CalendarWeek{})
			week = &cal.Weeks[len(cal.Weeks)-1]
		}
		if i < 0 {
			week.Days = append(week.Days, views.CalendarCell{Class: "pad"})
			continue
		}
		day := first.AddDate(0, 0, i)
		if day.Day() == 1 {
			week.Month = day.Format("Jan")
		}
		week.Days = append(week.Days, views.CalendarCell{
			Class: activityClass(counts[i]),
			Title: fmt.Sprintf("%s: %s", day.Format("Mon 2 Jan"), pluralRounds(counts[i])),
		})
	}
	for i := range cal.Weeks {
		cal.Weeks[i].Old = i < len(cal.Weeks)-calendarWeeksOnPhone
	}
	return cal
}

// dimCharts plots each dimension over the rounds, averaging into buckets
// when there are more rounds than maxChartPoints.
func dimCharts(rounds []models.RoundPoint) []views.DimChart {
	type bucket struct {
		sum  grader.Dimensions
		n    int
		last time.Time
	}
	size := max(1, int(math.Ceil(float64(len(rounds))/maxChartPoints)))
	var buckets []bucket
	var total grader.Dimensions
	for i, r := range rounds {
		if i%size == 0 {
			buckets = append(buckets, bucket{})
		}
		b := &buckets[len(buckets)-1]
		d := r.Dimensions
		b.sum = addDims(b.sum, d)
		b.n++
		b.last = r.FinishedAt
		total = addDims(total, d)
	}
	n := float64(max(len(rounds), 1))
	overall := 0.0
	for _, name := range grader.DimensionNames {
		overall += total.Get(name) / n
	}
	overall /= float64(len(grader.DimensionNames))
	charts := make([]views.DimChart, 0, len(grader.DimensionNames))
	for _, name := range grader.DimensionNames {
		avg := total.Get(name) / n
		ch := views.DimChart{Name: name, N: len(buckets), Average: fmt.Sprintf("%.1f", avg), AvgY: scoreY(avg),
			Weak: len(rounds) > 0 && avg < overall-0.05, Latest: "–"}
		for i, b := range buckets {
			val := b.sum.Get(name) / float64(b.n)
			x := chartLeft
			if len(buckets) > 1 {
				x = chartLeft + i*(chartRight-chartLeft)/(len(buckets)-1)
			}
			y := scoreY(val)
			if i > 0 {
				ch.Points += " "
			}
			ch.Points += fmt.Sprintf("%d,%d", x, y)
			ch.Dots = append(ch.Dots, views.ChartDot{X: x, Y: y, Title: fmt.Sprintf("%s: %.1f", b.last.Format("2 Jan 2006"), val)})
			ch.Latest = fmt.Sprintf("%.1f", val)
		}
		charts = append(charts, ch)
	}
	sort.SliceStable(charts, func(i, j int) bool { return charts[i].Weak && !charts[j].Weak })
	return charts
}

func addDims(a, b grader.Dimensions) grader.Dimensions {
	return a.Zip(b, func(x, y float64) float64 { return x + y })
}

// The plotting area of a dimension chart (its viewBox is 300 wide): room
// on the left for the axis labels, and on both sides for the dots.
const (
	chartLeft  = 22
	chartRight = 295
)

// scoreY maps a 0–10 score to the chart's y (100 at 0, 10 at 10).
func scoreY(v float64) int { return 100 - int(math.Round(v*9)) }

// capitalise starts a label with a capital: "junior" heads its card as
// "Junior".
func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func heatClass(avg float64) string {
	switch {
	case avg < 4:
		return "h0"
	case avg < 5.5:
		return "h1"
	case avg < 6.5:
		return "h2"
	case avg < 7.5:
		return "h3"
	default:
		return "h4"
	}
}

func activityClass(n int) string {
	switch {
	case n == 0:
		return "a0"
	case n == 1:
		return "a1"
	case n == 2:
		return "a2"
	default:
		return "a3"
	}
}

func pluralRounds(n int) string {
	if n == 1 {
		return "1 round"
	}
	return fmt.Sprintf("%d rounds", n)
}
