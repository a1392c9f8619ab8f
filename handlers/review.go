package handlers

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mockround/mockround/interview"
	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/srs"
	"github.com/mockround/mockround/views"
)

// ForecastDays is how far the review forecast looks ahead.
const ForecastDays = 14

// endOfDay is the last instant of now's day (UTC): "due today" means due
// before it.
func endOfDay(now time.Time) time.Time {
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d, 23, 59, 59, 0, time.UTC)
}

// dueQueue orders the user's due cards, most forgotten first.
func dueQueue(u models.User, cards []models.SkillCard, now time.Time) []srs.DueCard {
	m := make(map[string]srs.Card, len(cards))
	for _, c := range cards {
		m[c.Skill] = c.SRS(now)
	}
	return u.Scheduler().DueQueue(m, endOfDay(now))
}

// needsLearn reports a leech whose learn step is still to do.
func needsLearn(c models.SkillCard) bool {
	return c.Lapses >= srs.LeechLapses && c.LearnedLapses < c.Lapses
}

// reviewPage lists the skills due today, every skill with its state and
// when it comes back, and the 14-day forecast.
func (h *Handlers) reviewPage(c echo.Context) error {
	u := currentUser(c)
	now := h.Now()
	states, err := h.Store.SkillStates(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	sched := u.Scheduler()
	bySkill := map[string]models.SkillCard{}
	var cards []models.SkillCard
	var dues []time.Time
	horizon := now.Add(ForecastDays * 24 * time.Hour)
	page := views.ReviewPage{
		Layout:    h.layout(c, "Review", "review"),
		Retention: fmt.Sprintf("%.2f", u.DesiredRetention),
	}
	for _, st := range states {
		card := st.Card
		bySkill[card.Skill] = card
		cards = append(cards, card)
		if !card.Due.After(horizon) {
			dues = append(dues, card.Due)
		}
		sk := views.SkillRow{
			Skill: interview.SkillLabel(card.Skill), State: srs.StateLabel(card.SRS(now)),
			Retrievability: int(math.Round(sched.Retrievability(card.SRS(now), now) * 100)),
			ComesBack:      interview.ComesBack(card.Due, now),
		}
		if st.HasScore {
			sk.LastScore = fmt.Sprintf("%.1f", st.LastScore)
		}
		page.Skills = append(page.Skills, sk)
	}
	page.Forecast = forecastView(srs.Forecast(dues, now, ForecastDays, time.UTC), now)
	for _, d := range dueQueue(u, cards, now) {
		card := bySkill[d.Key]
		ds := views.DueSkill{
			Skill:          interview.SkillLabel(d.Key),
			Retrievability: int(math.Round(sched.Retrievability(card.SRS(now), now) * 100)), Lapses: int(card.Lapses), Leech: srs.IsLeech(card.SRS(now)),
			LearnURL: "/review/learn?skill=" + url.QueryEscape(d.Key),
		}
		if needsLearn(card) && page.NeedsLearn == "" {
			page.NeedsLearn = interview.SkillLabel(d.Key)
		}
		page.Due = append(page.Due, ds)
	}
	page.AheadCount = min(len(cards), interview.ReviewAheadCount)
	return render(c, http.StatusOK, views.ReviewPageView(page))
}

func forecastView(counts []int, now time.Time) []views.ForecastDay {
	peak := 1
	for _, n := range counts {
		peak = max(peak, n)
	}
	out := make([]views.ForecastDay, len(counts))
	for i, n := range counts {
		day := now.AddDate(0, 0, i)
		label, weekday := day.Format("Mon 2 Jan"), day.Format("Mon")[:2]
		if i == 0 {
			label = "Today"
		}
		out[i] = views.ForecastDay{Label: label, Weekday: weekday, Date: day.Format("2"), Count: n, Height: 100 * n / peak}
	}
	return out
}

// startReview opens a review round of the skills due today; a leech that
// needs its learn step sends the user there first. With ahead=1 and nothing
// due, it reviews the skills closest to due instead ("Review ahead").
func (h *Handlers) startReview(c echo.Context) error {
	u := currentUser(c)
	ctx := c.Request().Context()
	now := h.Now()
	cards, err := h.Store.DueCards(ctx, u.ID, endOfDay(now))
	if err != nil {
		return err
	}
	queue := dueQueue(u, cards, now)
	var skills []string
	for _, d := range queue {
		skills = append(skills, d.Key)
	}
	if len(queue) == 0 && c.FormValue("ahead") == "1" {
		states, err := h.Store.SkillStates(ctx, u.ID) // soonest due first
		if err != nil {
			return err
		}
		for _, st := range states[:min(len(states), interview.ReviewAheadCount)] {
			skills = append(skills, st.Card.Skill)
		}
	}
	if len(skills) == 0 {
		return redirect(c, "/review")
	}
	for _, card := range cards {
		if needsLearn(card) {
			return redirect(c, "/review/learn?skill="+url.QueryEscape(card.Skill))
		}
	}
	last, err := h.Store.LastQuestions(ctx, u.ID, skills)
	if err != nil {
		return err
	}
	stack, level, err := h.Store.LastRoundSetup(ctx, u.ID)
	if err != nil {
		return err
	}
	if stack == "" {
		stack, level = interview.DefaultStack, interview.DefaultLevel
	}
	plan := interview.PlanReview(h.Bank, skills, last, level, stack, now.UnixNano())
	if len(plan.Questions) == 0 {
		return echo.NewHTTPError(http.StatusConflict, "The skills due are no longer in the question bank.")
	}
	// The round is labelled with the stack its questions are asked in:
	// the learner's, another one, or mixed.
	r := models.Round{
		UserID: u.ID, Type: string(interview.TypeReview), Stack: interview.ReviewStack(h.Bank, plan.IDs(), stack), Level: level,
		Feedback: interview.FeedbackStudy, QuestionIDs: plan.IDs(), Seed: now.UnixNano(), Status: models.RoundActive, StartedAt: now,
	}
	if err := h.Store.CreateRound(ctx, &r); err != nil {
		return err
	}
	return redirect(c, roundURL(r.ID, ""))
}

// learnPage is a leech's learn step: a question of the skill with its key
// points and model answer.
func (h *Handlers) learnPage(c echo.Context) error {
	skill := c.QueryParam("skill")
	u := currentUser(c)
	if _, err := h.Store.Card(c.Request().Context(), u.ID, skill); err != nil {
		return err
	}
	qs := h.Bank.BySkill(skill)
	if len(qs) == 0 {
		return fmt.Errorf("skill %q: %w", skill, models.ErrNotFound)
	}
	q := qs[0]
	page := views.LearnPage{Layout: h.layout(c, "Learn "+interview.SkillLabel(skill), "review"), Skill: skill, SkillLabel: interview.SkillLabel(skill), Prompt: q.Prompt, Model: q.ModelAnswer, Explain: q.Explanation}
	for _, kp := range q.KeyPoints {
		page.KeyPoints = append(page.KeyPoints, kp.Text)
	}
	return render(c, http.StatusOK, views.LearnPageView(page))
}

// learned records the learn step and returns to the reviews.
func (h *Handlers) learned(c echo.Context) error {
	if err := h.Store.MarkLearned(c.Request().Context(), currentUser(c).ID, c.FormValue("skill")); err != nil {
		return err
	}
	return redirect(c, "/review")
}
