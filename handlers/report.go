package handlers

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/mockround/mockround/interview"
	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/views"
)

// report shows a finished round question by question, with the weak
// dimensions called out against the user's own averages.
func (h *Handlers) report(c echo.Context) error {
	st, err := h.loadRound(c)
	if err != nil {
		return err
	}
	r := st.view.Round
	if _, open := st.eng.Current(); open {
		return redirect(c, roundURL(r.ID, ""))
	}
	// The totals come from the turns, as the round's rules count them (the
	// stored ones match for a finished round).
	totals := st.eng.Totals()
	avg, n, err := h.Store.DimensionAverages(c.Request().Context(), r.UserID)
	if err != nil {
		return err
	}
	roundDims := totals.Dimensions
	var ref *grader.Dimensions
	if n > 1 {
		d := avg.Dimensions
		ref = &d
	}
	weakNames := interview.WeakDimensions(roundDims, ref)
	weak := map[string]bool{}
	for _, w := range weakNames {
		weak[w] = true
	}
	page := views.Report{
		Layout:    h.layout(c, "Round report", "home"),
		RoundID:   r.ID,
		Title:     roundTitle(r.Type, r.Stack, r.Level, r.Area),
		Overall:   totals.Overall,
		Answered:  totals.Answered,
		Skipped:   totals.Skipped,
		Unreached: totals.Unreached,
		Complete:  totals.Complete,
		Total:     totals.Planned,
		Dims:      dimScores(roundDims, weak),
		Finished:  r.StartedAt.Format("2 Jan 2006"),
	}
	if r.FinishedAt != nil {
		page.Finished = r.FinishedAt.Format("2 Jan 2006 15:04")
	}
	// The two weakest dimensions, each with its habit: more is a list
	// nobody acts on.
	for _, name := range weakNames[:min(2, len(weakNames))] {
		habit := interview.HabitFor(name)
		// Beside the user's own average when there is one, else this
		// round's mean.
		reference := meanDims(roundDims)
		if ref != nil {
			reference = ref.Get(name)
		}
		page.Weak = append(page.Weak, views.WeakSpot{Dimension: name, Score: roundDims.Get(name), Average: reference, Problem: habit.Problem, Practice: habit.Practice})
	}
	graders := map[string]bool{}
	areaScores := map[string][]float64{}
	outcomes := st.eng.Outcomes()
	for pos := range st.eng.Len() {
		q := st.eng.Question(pos)
		turns := st.eng.Turns(pos)
		outcome := outcomes[pos]
		rq := views.ReportQuestion{
			Number: pos + 1, Prompt: q.Prompt, Area: interview.AreaLabel(q.Area), Skill: interview.SkillLabel(q.Skill),
			Score: outcome.Overall, Counted: outcome.Counted, Skipped: outcome.Outcome == interview.Skipped, ModelAnswer: q.ModelAnswer, Explanation: q.Explanation,
		}
		if len(turns) > 0 {
			rq.Prompt = turns[0].Prompt
		}
		if outcome.Counted {
			areaScores[q.Area] = append(areaScores[q.Area], outcome.Overall)
		}
		before := 0.0
		for _, t := range turnsAt(st.view.Turns, pos) {
			a := views.ReportAnswer{Prompt: t.Prompt, IsFollowUp: t.Step > 0, Text: t.Answer, Status: t.Status,
				Probe: t.Step > 0 && grader.KindOf(t.Prompt) == grader.FollowUpPlainWords, Pacing: h.pacingOf(t)}
			switch t.Status {
			case models.TurnGraded:
				// Each graded turn carries the conversation's score so far.
				a.Added = t.Overall - before
				before = t.Overall
			case models.TurnInsufficient:
				a.Reason = reasonOf(t)
			}
			rq.Answers = append(rq.Answers, a)
			if t.Grader != "" {
				graders[graderLabel(t.Grader, t.Evidence)] = true
			}
			if outcome.Graded && t.Step == outcome.Final {
				fb := h.feedbackOf(c, t, st.view.Turns, "report")
				if fb.Adjusted {
					page.Adjusted++
				}
				rq.Grade = &fb
			}
		}
		page.Questions = append(page.Questions, rq)
	}
	page.Graders = joinSorted(graders, "the rubric engine")
	areaAvg := map[string]float64{}
	for a, s := range areaScores {
		areaAvg[a] = interview.Mean(s)
	}
	if area := interview.WeakestArea(areaAvg); area != "" {
		page.DrillURL = drillSetupURL(area, r.Stack, r.Level)
		page.DrillLabel = "Drill " + interview.AreaLabel(area) + ", your weakest area here"
	}
	return render(c, http.StatusOK, views.ReportPage(page))
}

// turnsAt are the stored turns of the question at pos, in step order.
func turnsAt(ts []models.Turn, pos int) []models.Turn {
	var out []models.Turn
	for _, t := range ts {
		if t.Position == pos {
			out = append(out, t)
		}
	}
	return out
}

// reasonOf is why a turn was not graded.
func reasonOf(t models.Turn) string {
	var res grader.Result
	if json.Unmarshal([]byte(t.Evidence), &res) != nil {
		return ""
	}
	return res.Reason
}

// graderLabel names the grader of a turn for the report.
func graderLabel(name, evidence string) string {
	switch name {
	case grader.GraderRubric:
		var res grader.Result
		if json.Unmarshal([]byte(evidence), &res) == nil && res.Grader != "" && res.Grader != name {
			return res.Grader
		}
		return "the rubric engine"
	default:
		return name
	}
}

func joinSorted(set map[string]bool, none string) string {
	if len(set) == 0 {
		return none
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, " and ")
}

func meanDims(d grader.Dimensions) float64 {
	sum := 0.0
	for _, n := range grader.DimensionNames {
		sum += d.Get(n)
	}
	return sum / float64(len(grader.DimensionNames))
}
