package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/mockround/mockround/interview"
	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/views"
)

// setupInput is the setup form as typed.
type setupInput struct {
	Stack, Level, Type, Area, Count, Feedback, JD string
	Analysed                                      bool
	Tech                                          []string
	// JDStack and JDLevel are what the job description last set the
	// selects to: the JD sets them again only when what it says changes,
	// so the user's own choice after that stands.
	JDStack, JDLevel string
}

func parseSetup(c echo.Context) setupInput {
	in := setupInput{
		Stack:    strings.ToLower(strings.TrimSpace(c.FormValue("stack"))),
		Level:    strings.ToLower(strings.TrimSpace(c.FormValue("level"))),
		Type:     strings.ToLower(strings.TrimSpace(c.FormValue("type"))),
		Area:     strings.ToLower(strings.TrimSpace(c.FormValue("area"))),
		Count:    strings.TrimSpace(c.FormValue("count")),
		Feedback: strings.ToLower(strings.TrimSpace(c.FormValue("feedback"))),
		JD:       c.FormValue("jd"),
		Analysed: c.FormValue("analysed") == "1",
		JDStack:  strings.TrimSpace(c.FormValue("jd_stack")),
		JDLevel:  strings.TrimSpace(c.FormValue("jd_level")),
	}
	if form, err := c.FormParams(); err == nil {
		in.Tech = form["tech"]
	}
	return in
}

// validate checks the setup and returns the planner's setup, or a message
// per field.
func (in setupInput) validate() (interview.Setup, map[string]string) {
	errs := map[string]string{}
	s := interview.Setup{Stack: in.Stack, Level: in.Level, Type: interview.RoundType(in.Type), Area: in.Area}
	if s.Type != interview.TypeDrill {
		s.Area = ""
	}
	if in.Count != "" {
		n, err := strconv.Atoi(in.Count)
		switch {
		case err != nil:
			errs["count"] = interview.CountMessage
		case n == 0:
			s.Count = -1 // typed 0: out of range, not "the usual length"
		default:
			s.Count = n
		}
	}
	var se *interview.SetupError
	if err := s.Validate(); errors.As(err, &se) {
		for f, msg := range se.Fields {
			if _, ok := errs[f]; !ok {
				errs[f] = msg
			}
		}
	}
	if in.Feedback != interview.FeedbackStudy && in.Feedback != interview.FeedbackInterview {
		errs["feedback"] = "Pick when you want feedback: after each answer, or at the end."
	}
	if n := utf8.RuneCountInString(in.JD); n > interview.MaxJobDescriptionChars {
		errs["jd"] = fmt.Sprintf("The job description is %s characters; the limit is %s. Keep the role and its requirements.",
			thousands(n), thousands(interview.MaxJobDescriptionChars))
	}
	return s, errs
}

// analysis reads the job description (with the model when one is
// configured) and applies the user's choice of chips.
func (h *Handlers) analysis(c echo.Context, in setupInput) *interview.JDAnalysis {
	if strings.TrimSpace(in.JD) == "" || utf8.RuneCountInString(in.JD) > interview.MaxJobDescriptionChars {
		return nil
	}
	jd := h.AnalyzeJD(c.Request().Context(), in.JD)
	if in.Analysed {
		jd.Technologies = in.chosen()
	}
	return &jd
}

// applyJD sets the stack and level selects to what the job description
// says, unless it said the same last time (then the user's choice stands).
func (in *setupInput) applyJD(jd *interview.JDAnalysis) {
	if jd == nil {
		return
	}
	if jd.Stack != "" && jd.Stack != in.JDStack {
		in.Stack = jd.Stack
	}
	if jd.Level != "" && jd.Level != in.JDLevel {
		in.Level = jd.Level
	}
	in.JDStack, in.JDLevel = jd.Stack, jd.Level
}

// withChosen is the analysis with the technologies the user left ticked,
// once they have seen the chips.
func (in setupInput) withChosen(jd *interview.JDAnalysis) *interview.JDAnalysis {
	if jd == nil || !in.Analysed {
		return jd
	}
	c := *jd
	c.Technologies = in.chosen()
	return &c
}

// techName is what a technology chip may hold.
var techName = regexp.MustCompile(`^[a-z0-9][a-z0-9 .+#/_-]{0,39}$`)

// chosen is the technologies the user left ticked (well-formed names only).
func (in setupInput) chosen() []string {
	out := []string{}
	seen := map[string]bool{}
	for _, t := range in.Tech {
		t = strings.ToLower(strings.TrimSpace(t))
		if techName.MatchString(t) && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// setupForm builds the form's view model from what the user typed and,
// when there is one, the analysis of the job description.
func setupForm(in setupInput, jd *interview.JDAnalysis, errs map[string]string) views.SetupForm {
	f := views.SetupForm{
		Stack: in.Stack, Level: in.Level, Type: in.Type, Area: in.Area, Count: in.Count,
		Feedback: in.Feedback, JobDescription: in.JD, Errors: errs,
		Stacks:    options(interview.Stacks, interview.StackLabel),
		Levels:    options(interview.Levels, capitalise),
		Feedbacks: []views.Option{{Value: interview.FeedbackStudy, Label: "After each answer (study)"}, {Value: interview.FeedbackInterview, Label: "Only at the end (real interview)"}},
	}
	for _, t := range interview.RoundTypes {
		f.Types = append(f.Types, views.Option{Value: string(t), Label: t.Label()})
	}
	f.Areas = options(interview.Areas, interview.AreaLabel)
	if jd != nil {
		f.Analysed = true
		f.JDStack = interview.StackLabel(jd.Stack)
		f.JDLevel = jd.Level
		f.JDStackValue, f.JDLevelValue = jd.Stack, jd.Level
		f.StackFromJD = jd.Stack != "" && jd.Stack == in.Stack
		f.LevelFromJD = jd.Level != "" && jd.Level == in.Level
		chosen := map[string]bool{}
		for _, t := range in.chosen() {
			chosen[t] = true
		}
		shown := map[string]bool{}
		for _, t := range jd.Technologies {
			shown[t] = true
			f.Chips = append(f.Chips, views.Chip{Name: t, Checked: !in.Analysed || chosen[t]})
		}
		// Chips the user kept from an earlier analysis (the model's, say)
		// stay on the form.
		for _, t := range in.chosen() {
			if in.Analysed && !shown[t] {
				f.Chips = append(f.Chips, views.Chip{Name: t, Checked: true})
			}
		}
		f.JDAreas = areaWeights(jd.Areas)
	}
	return f
}

// builtinJD is the fast analysis the form shows while the user types.
func builtinJD(in setupInput) *interview.JDAnalysis {
	if strings.TrimSpace(in.JD) == "" || utf8.RuneCountInString(in.JD) > interview.MaxJobDescriptionChars {
		return nil
	}
	jd := interview.AnalyzeJD(in.JD)
	return &jd
}

func areaWeights(m map[string]float64) []views.AreaWeight {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	var out []views.AreaWeight
	for _, k := range keys {
		if p := int(m[k]*100 + 0.5); p > 0 {
			out = append(out, views.AreaWeight{Label: interview.AreaLabel(k), Percent: p})
		}
	}
	return out
}

func options(values []string, label func(string) string) []views.Option {
	out := make([]views.Option, len(values))
	for i, v := range values {
		out[i] = views.Option{Value: v, Label: label(v)}
	}
	return out
}

// defaultSetup is the form a user sees first: their strongest stack (or
// Python), middle level, a screening with feedback after each answer.
func (h *Handlers) defaultSetup(c echo.Context, u models.User) (setupInput, error) {
	stack, err := h.Store.StrongestStack(c.Request().Context(), u.ID)
	if err != nil {
		return setupInput{}, err
	}
	if stack == "" {
		stack = "python"
	}
	return setupInput{Stack: stack, Level: interview.DefaultLevel, Type: string(interview.TypeScreening), Feedback: interview.FeedbackStudy}, nil
}

// analyseJD answers the setup form's htmx request as the user types: the
// JD chips (the built-in analysis, which is instant), and out of band the
// stack and level the JD names and the round it plans.
func (h *Handlers) analyseJD(c echo.Context) error {
	in := parseSetup(c)
	in.Analysed = false // a new text: every detected chip starts ticked
	jd := builtinJD(in)
	in.applyJD(jd)
	f := setupForm(in, jd, nil)
	f.Plan = h.previewPlan(in, jd)
	return render(c, http.StatusOK, views.JDAnalysisUpdate(f))
}

// planPreview answers the setup form's htmx request when a choice
// changes: the round those choices plan.
func (h *Handlers) planPreview(c echo.Context) error {
	in := parseSetup(c)
	jd := builtinJD(in)
	f := setupForm(in, jd, nil)
	f.Plan = h.previewPlan(in, in.withChosen(jd))
	return render(c, http.StatusOK, views.PlanUpdate(f))
}

// previewPlan is the round the setup would plan, by area, for the form to
// show before the round starts. The round itself is planned again on
// start, with the user's recent questions avoided: its areas are the same.
func (h *Handlers) previewPlan(in setupInput, jd *interview.JDAnalysis) views.RoundPlan {
	setup, errs := in.validate()
	for _, f := range []string{"stack", "level", "type", "area", "count"} {
		if errs[f] != "" {
			if f == "area" {
				return views.RoundPlan{Note: "Pick the area to drill to see the round."}
			}
			return views.RoundPlan{Note: "Fix the choices above to see the round."}
		}
	}
	setup.JD = jd
	plan, err := interview.PlanRound(h.Bank, setup)
	if err != nil {
		return views.RoundPlan{Note: "There are no questions for this setup yet: try another level or area."}
	}
	return views.RoundPlan{Outline: interview.OutlineText(plan.Outline()), Total: len(plan.Questions), FromJD: jd != nil}
}

// startRound plans a round from the setup form and opens it; invalid
// input re-renders the form with its messages and everything typed.
func (h *Handlers) startRound(c echo.Context) error {
	u := currentUser(c)
	ctx := c.Request().Context()
	in := parseSetup(c)
	setup, errs := in.validate()
	if c.FormValue("action") == "analyse" {
		in.Analysed = false
		jd := h.analysis(c, in)
		in.applyJD(jd)
		_, errs = in.validate()
		delete(errs, "area")
		return h.renderSetupWith(c, in, jd, errs, http.StatusOK)
	}
	if len(errs) > 0 {
		return h.renderSetup(c, in, errs, http.StatusUnprocessableEntity)
	}
	recent, err := h.Store.RecentQuestionIDs(ctx, u.ID, 3)
	if err != nil {
		return err
	}
	now := h.Now()
	setup.Seed = now.UnixNano()
	setup.Recent = recent
	setup.JD = h.analysis(c, in)
	plan, err := interview.PlanRound(h.Bank, setup)
	if err != nil {
		return h.renderSetup(c, in, map[string]string{"type": "There are no questions for this setup yet: try another level or area."}, http.StatusUnprocessableEntity)
	}
	r := models.Round{
		UserID: u.ID, Type: string(setup.Type), Stack: setup.Stack, Level: setup.Level, Area: setup.Area,
		Feedback: in.Feedback, QuestionIDs: plan.IDs(), JobDescription: in.JD, Seed: setup.Seed,
		Status: models.RoundActive, StartedAt: now,
	}
	if setup.JD != nil {
		r.Technologies = setup.JD.Technologies
	}
	if err := h.Store.CreateRound(ctx, &r); err != nil {
		return err
	}
	return redirect(c, roundURL(r.ID, ""))
}

// renderSetup shows the setup form: the fragment for htmx, else the home
// page around it.
func (h *Handlers) renderSetup(c echo.Context, in setupInput, errs map[string]string, status int) error {
	return h.renderSetupWith(c, in, builtinJD(in), errs, status)
}

func (h *Handlers) renderSetupWith(c echo.Context, in setupInput, jd *interview.JDAnalysis, errs map[string]string, status int) error {
	f := setupForm(in, jd, errs)
	f.Plan = h.previewPlan(in, in.withChosen(jd))
	if isPartial(c) {
		return render(c, status, views.SetupFormFragment(f))
	}
	page, err := h.homePage(c, f)
	if err != nil {
		return err
	}
	return render(c, status, views.HomePage(page))
}

func roundURL(id uint, suffix string) string { return fmt.Sprintf("/rounds/%d%s", id, suffix) }

// thousands formats 50000 as 50,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
