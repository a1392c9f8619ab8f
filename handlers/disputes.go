package handlers

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/mockround/mockround/interview"
	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/views"
)

// dispute re-scores a graded answer with the learner's "I think this
// grade is wrong": a missed key point they made in one of their
// sentences, or a red flag or contradiction misread. The grader's own
// grade is kept; the answer's scores, the round's totals, the skill's
// stats and, for a finished round, the skill's review follow the
// adjusted grade.
func (h *Handlers) dispute(c echo.Context) error {
	st, err := h.loadRound(c)
	if err != nil {
		return err
	}
	t, err := turnParam(c, st.view.Turns)
	if err != nil {
		return err
	}
	r := st.view.Round
	back := roundURL(r.ID, "")
	if c.FormValue("back") == "report" || r.Finished() {
		back = roundURL(r.ID, "/report") + "#q" + strconv.Itoa(t.Position+1)
	}
	refuse := func(status int, msg string) error {
		return &userError{status: status, msg: msg, link: back, linkText: "Back to the grade"}
	}
	if t.Status != models.TurnGraded {
		return refuse(http.StatusUnprocessableEntity, "Only a graded answer can be disputed.")
	}
	if o := interview.OutcomeOf(st.eng.Turns(t.Position)); o.Final != t.Step {
		return refuse(http.StatusConflict, "A follow-up answer regraded this question since: dispute the grade shown for the question.")
	}
	current, ok := gradeOf(*t)
	if !ok {
		return refuse(http.StatusUnprocessableEntity, "This answer's grade cannot be read, so it cannot be disputed.")
	}
	all, err := h.Store.RoundDisputes(c.Request().Context(), r.UserID, r.ID)
	if err != nil {
		return err
	}
	var earlier []grader.Dispute
	for _, d := range all {
		if d.Position == t.Position { // disputes hold for the whole question
			earlier = append(earlier, grader.Dispute{Kind: grader.DisputeKind(d.Kind), Target: d.Target, Sentence: d.Sentence})
		}
	}
	d := grader.Dispute{Kind: grader.DisputeKind(c.FormValue("kind")), Target: c.FormValue("target"), Sentence: strings.TrimSpace(c.FormValue("sentence"))}
	q := st.eng.Question(t.Position)
	adj, err := grader.NewGrader(h.Bank).Adjust(q, st.eng.Previous(t.Position, t.Step), t.Answer, current, earlier, d)
	if err != nil {
		if isDisputeError(err) {
			return refuse(http.StatusUnprocessableEntity, sentenceCase(err.Error())+".")
		}
		return err
	}
	evidence, err := json.Marshal(adj)
	if err != nil {
		return err
	}
	row := &models.Dispute{Kind: string(d.Kind), Target: d.Target, TargetText: disputedText(current, d), Sentence: disputedSentence(current, d)}
	adjusted := models.Turn{Position: t.Position, Step: t.Step, Scores: scoresOf(adj), AdjustedEvidence: string(evidence)}
	u := currentUser(c)
	err = h.Store.ChangeRound(c.Request().Context(), u.ID, r.ID, func(v models.RoundView) (models.RoundChange, error) {
		found := false
		for i := range v.Turns {
			vt := &v.Turns[i]
			if vt.ID == t.ID {
				if vt.Status != models.TurnGraded || vt.AdjustedEvidence != t.AdjustedEvidence || vt.Evidence != t.Evidence {
					return models.RoundChange{}, refuse(http.StatusConflict, "This grade changed while you were disputing it: look at it again.")
				}
				vt.Scores, found = adjusted.Scores, true
			}
		}
		if !found {
			return models.RoundChange{}, fmt.Errorf("turn %d: %w", t.ID, models.ErrNotFound)
		}
		ch := models.RoundChange{Adjust: &adjusted, Dispute: row, Position: v.Round.Position, Now: h.Now()}
		if v.Round.Finished() {
			eng, err := h.engineOf(v)
			if err != nil {
				return models.RoundChange{}, err
			}
			ch.Totals = totalsOf(eng)
			for _, s := range eng.SkillScores() {
				if s.Skill == q.Skill {
					ch.Rereview = &models.Rereview{Skill: s.Skill, Score: s.Score, Apply: u.ReviewFunc()}
				}
			}
		}
		return ch, nil
	})
	if errors.Is(err, models.ErrConflict) {
		return refuse(http.StatusConflict, "You already disputed that.")
	}
	if err != nil {
		return err
	}
	if c.Request().Header.Get("HX-Boosted") == "true" {
		// A boosted form follows the 303 and swaps the page in: an
		// HX-Redirect to the same page with a #fragment would not reload.
		return c.Redirect(http.StatusSeeOther, back)
	}
	return redirect(c, back)
}

// isDisputeError reports a dispute the rules refused, whose message is
// written for the learner.
func isDisputeError(err error) bool {
	for _, e := range []error{grader.ErrDisputeNotGraded, grader.ErrDisputeKind, grader.ErrDisputeAlreadyHit,
		grader.ErrDisputeUnknown, grader.ErrDisputeSentence, grader.ErrDisputeTwice} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

func sentenceCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// totalsOf are a finished round's totals as stored.
func totalsOf(eng *interview.Round) *models.Scores {
	tt := eng.Totals()
	return &models.Scores{Overall: tt.Overall, Dimensions: tt.Dimensions}
}

// gradeOf is a turn's grade as it stands: adjusted by the learner, or the
// grader's own.
func gradeOf(t models.Turn) (grader.Result, bool) {
	var res grader.Result
	ev := t.Evidence
	if t.AdjustedEvidence != "" {
		ev = t.AdjustedEvidence
	}
	if ev == "" || json.Unmarshal([]byte(ev), &res) != nil {
		return grader.Result{}, false
	}
	return res, true
}

// disputedText is what the disputed item says, for the bank's maintainers.
func disputedText(r grader.Result, d grader.Dispute) string {
	switch d.Kind {
	case grader.DisputeMissed:
		for _, m := range r.Misses {
			if m.ID == d.Target {
				return m.Text
			}
		}
		for _, h := range r.Hits {
			if h.ID == d.Target {
				return h.Text
			}
		}
	case grader.DisputeContradiction:
		for _, x := range r.Contradictions {
			if x.ID == d.Target {
				return x.Text
			}
		}
	}
	return d.Target
}

// disputedSentence is the learner's sentence a dispute is about: the one
// they chose for a missed point, the misread one for a flag.
func disputedSentence(r grader.Result, d grader.Dispute) string {
	switch d.Kind {
	case grader.DisputeRedFlag:
		for _, f := range r.RedFlags {
			if f.Text == d.Target {
				return f.Sentence
			}
		}
	case grader.DisputeContradiction:
		for _, x := range r.Contradictions {
			if x.ID == d.Target {
				return x.Sentence
			}
		}
	}
	return d.Sentence
}

// disputeForm is what the learner may dispute in a graded turn's grade.
func disputeForm(c echo.Context, t models.Turn, res grader.Result, answers []string, back string) *views.DisputeForm {
	f := &views.DisputeForm{
		URL:      fmt.Sprintf("/rounds/%d/turns/%d/disputes", t.RoundID, t.ID),
		Back:     back,
		IDPrefix: fmt.Sprintf("dispute-%d-", t.ID),
	}
	if tok, ok := c.Get(csrfContextKey).(string); ok {
		f.CSRFToken = tok
	}
	for _, m := range res.Misses {
		f.Missed = append(f.Missed, views.DisputeTarget{Kind: string(grader.DisputeMissed), ID: m.ID, Text: m.Text})
	}
	for _, h := range res.Hits {
		if h.Partial || h.Named {
			f.Missed = append(f.Missed, views.DisputeTarget{Kind: string(grader.DisputeMissed), ID: h.ID, Text: h.Text})
		}
	}
	for _, x := range res.Contradictions {
		f.Flags = append(f.Flags, views.DisputeTarget{Kind: string(grader.DisputeContradiction), ID: x.ID, Text: x.Text, Sentence: x.Sentence})
	}
	for _, fl := range res.RedFlags {
		f.Flags = append(f.Flags, views.DisputeTarget{Kind: string(grader.DisputeRedFlag), ID: fl.Text, Text: fl.Text, Sentence: fl.Sentence})
	}
	f.Sentences = grader.Sentences(answers...)
	return f
}

// adjustments say, in words, what the learner's disputes changed between
// the grader's grade and the adjusted one.
func adjustments(orig, adj grader.Result) []string {
	var out []string
	for _, h := range adj.Hits {
		if h.Disputed {
			out = append(out, "You made the point “"+h.Text+"”.")
		}
	}
	kept := map[string]bool{}
	for _, f := range adj.RedFlags {
		kept["f"+f.Text] = true
	}
	for _, x := range adj.Contradictions {
		kept["c"+x.ID] = true
	}
	for _, x := range orig.Contradictions {
		if !kept["c"+x.ID] {
			out = append(out, "“"+x.Text+"” was a misreading.")
		}
	}
	for _, f := range orig.RedFlags {
		if !kept["f"+f.Text] {
			out = append(out, "“"+f.Text+"” was a misreading.")
		}
	}
	return out
}
