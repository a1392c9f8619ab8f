package handlers

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/mockround/mockround/interview"
	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/views"
)

// roundState is a loaded round and where it stands.
type roundState struct {
	view      models.RoundView
	questions []*interview.Question
	// byPosition are the turns of each question, in step order.
	byPosition map[int][]models.Turn
	slot       interview.Slot
}

func (h *Handlers) roundID(c echo.Context) (uint, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil || id == 0 {
		return 0, fmt.Errorf("round id %q: %w", c.Param("id"), models.ErrNotFound)
	}
	return uint(id), nil
}

// loadRound loads the user's round and works out the slot to ask. A turn
// left pending by a crash between storing and grading is graded now.
func (h *Handlers) loadRound(c echo.Context) (*roundState, error) {
	// Repairs (grading a pending turn, moving a stuck round) need a reload;
	// two are the most one request can need.
	for range 3 {
		st, repaired, err := h.loadRoundOnce(c)
		if err != nil || !repaired {
			return st, err
		}
	}
	return nil, fmt.Errorf("round %s: state did not settle", c.Param("id"))
}

func (h *Handlers) loadRoundOnce(c echo.Context) (st *roundState, repaired bool, err error) {
	id, err := h.roundID(c)
	if err != nil {
		return nil, false, err
	}
	ctx := c.Request().Context()
	v, err := h.Store.RoundWithTurns(ctx, currentUser(c).ID, id)
	if err != nil {
		return nil, false, err
	}
	st = &roundState{view: v, byPosition: map[int][]models.Turn{}}
	for _, qid := range v.Round.QuestionIDs {
		q, ok := h.Bank.Question(qid)
		if !ok {
			return nil, false, fmt.Errorf("round %d: question %q is no longer in the bank", id, qid)
		}
		st.questions = append(st.questions, q)
	}
	for _, t := range v.Turns {
		st.byPosition[t.Position] = append(st.byPosition[t.Position], t)
	}
	if v.Round.Finished() {
		return st, false, nil
	}
	pos := v.Round.Position
	if pos >= len(st.questions) {
		return st, false, nil
	}
	turns := st.byPosition[pos]
	if n := len(turns); n > 0 && turns[n-1].Status == models.TurnPending {
		return nil, true, h.gradeStored(c, st, turns[n-1])
	}
	slot, done := interview.NextSlot(st.questions[pos], pos, records(turns))
	if done {
		// The question is over but the round did not move (a crash between
		// the two): move it now.
		return nil, true, h.Store.SaveGrade(ctx, turns[len(turns)-1], h.progress(c, st, pos, ""))
	}
	st.slot = slot
	return st, false, nil
}

// records converts stored turns for the round logic.
func records(ts []models.Turn) []interview.TurnRecord {
	out := make([]interview.TurnRecord, len(ts))
	for i, t := range ts {
		out[i] = interview.TurnRecord{
			Position: t.Position, Step: t.Step, Status: t.Status, Prompt: t.Prompt, Answer: t.Answer,
			FollowUp: t.FollowUp, Overall: t.Overall, Dimensions: dimsOf(t.Scores),
		}
	}
	return out
}

func dimsOf(s models.Scores) interview.Dimensions {
	return interview.Dimensions{Accuracy: s.Accuracy, Depth: s.Depth, Tradeoffs: s.Tradeoffs,
		Structure: s.Structure, Specificity: s.Specificity, Communication: s.Communication}
}

// progress says how the round moves after the question at pos got an
// answer whose follow-up is followUp ("" to move on). The last question
// finishes the round and records its skill reviews.
func (h *Handlers) progress(c echo.Context, st *roundState, pos int, followUp string) models.Progress {
	p := models.Progress{Now: h.Now(), Advance: followUp == ""}
	if p.Advance {
		if id := finalTurn(st.byPosition[pos]); id != 0 {
			p.FinalTurns = []uint{id}
		}
	}
	if p.Advance && pos+1 >= len(st.questions) {
		totals := h.totals(st)
		p.Finish = &totals
		p.Reviews = h.reviewsOf(currentUser(c), st)
	}
	return p
}

// finalTurn is the turn carrying a question's final score: its last
// graded turn (which graded the whole conversation), or 0.
func finalTurn(turns []models.Turn) uint {
	var id uint
	for _, t := range turns {
		if t.Status == models.TurnGraded {
			id = t.ID
		}
	}
	return id
}

// totals scores a round from its turns.
func (h *Handlers) totals(st *roundState) models.Scores {
	outcomes := make([]interview.QuestionOutcome, len(st.questions))
	for pos := range st.questions {
		outcomes[pos] = interview.OutcomeOf(records(st.byPosition[pos]))
	}
	overall, d, _ := interview.Totals(outcomes)
	return models.Scores{Overall: overall, Accuracy: d.Accuracy, Depth: d.Depth, Tradeoffs: d.Tradeoffs,
		Structure: d.Structure, Specificity: d.Specificity, Communication: d.Communication}
}

// gradeStored grades a stored turn and saves the grade, moving the round
// on. The answer is already safe in the database.
func (h *Handlers) gradeStored(c echo.Context, st *roundState, t models.Turn) error {
	ctx := c.Request().Context()
	pos := t.Position
	var previous []interview.TurnRecord
	for _, p := range st.byPosition[pos] {
		if p.Step < t.Step {
			previous = append(previous, records([]models.Turn{p})[0])
		}
	}
	g, err := h.Grader.GradeTurn(ctx, st.questions[pos], previous, t.Answer)
	if err != nil {
		return fmt.Errorf("grade round %d slot %d.%d: %w", t.RoundID, t.Position, t.Step, err)
	}
	evidence, err := json.Marshal(g.Result)
	if err != nil {
		return err
	}
	t.Status = g.Status
	t.Grader = g.Result.Grader
	t.Evidence = string(evidence)
	t.FollowUp = g.FollowUp
	if g.Status == interview.TurnGraded {
		t.Scores = scoresOf(g.Result)
	}
	// Include this turn in the totals if the round finishes now.
	turns := st.byPosition[pos]
	for i := range turns {
		if turns[i].ID == t.ID {
			turns[i] = t
		}
	}
	return h.Store.SaveGrade(ctx, t, h.progress(c, st, pos, g.FollowUp))
}

func scoresOf(r interview.Result) models.Scores {
	d := r.Dimensions
	return models.Scores{Overall: r.Overall, Accuracy: d.Accuracy, Depth: d.Depth, Tradeoffs: d.Tradeoffs,
		Structure: d.Structure, Specificity: d.Specificity, Communication: d.Communication}
}

// showRound is the round page: the current question, and in study mode
// the feedback on the last answer.
func (h *Handlers) showRound(c echo.Context) error {
	st, err := h.loadRound(c)
	if err != nil {
		return err
	}
	return h.renderRound(c, st, http.StatusOK, "", "")
}

func (h *Handlers) renderRound(c echo.Context, st *roundState, status int, answerErr, notice string) error {
	r := st.view.Round
	if r.Finished() || r.Position >= len(st.questions) {
		return redirect(c, roundURL(r.ID, "/report"))
	}
	draft, err := h.Store.DraftFor(c.Request().Context(), r.UserID, r.ID, st.slot.Position, st.slot.Step)
	if err != nil {
		return err
	}
	q := st.questions[st.slot.Position]
	total := len(st.questions)
	page := views.RoundPage{
		Layout:        h.layout(c, fmt.Sprintf("Question %d of %d", st.slot.Position+1, total), "home"),
		RoundID:       r.ID,
		Title:         roundTitle(r.Type, r.Stack, r.Level, r.Area),
		Number:        st.slot.Position + 1,
		Total:         total,
		ProgressPct:   100 * st.slot.Position / total,
		Elapsed:       int64(max(0, h.Now().Sub(r.StartedAt).Seconds())),
		BudgetSeconds: 60 * interview.RoundType(r.Type).Budget(total),
		Prompt:        st.slot.Prompt,
		IsFollowUp:    st.slot.FollowUp,
		FollowUpNo:    st.slot.Step,
		Area:          interview.AreaLabel(q.Area),
		Position:      st.slot.Position,
		Step:          st.slot.Step,
		Error:         answerErr,
		Notice:        notice,
	}
	if draft != nil {
		page.Draft = draft.Text
	}
	if n := len(st.view.Turns); n > 0 {
		last := latestTurn(st.view.Turns)
		if r.Feedback == FeedbackStudy {
			fb := h.feedbackOf(c, last)
			page.Feedback = &fb
		} else if last.Status != models.TurnSkipped {
			page.Saved = true
			if e := llmError(json.RawMessage(last.Evidence)); e != "" && page.Notice == "" {
				page.Notice = "The model was not available for your last answer (" + e + "): the rubric engine graded it. You can grade it again with the model from the report."
			}
		}
	}
	if isPartial(c) {
		return render(c, status, views.RoundPanel(page))
	}
	return render(c, status, views.RoundPageView(page))
}

// latestTurn is the most recently answered turn.
func latestTurn(ts []models.Turn) models.Turn {
	last := ts[0]
	for _, t := range ts[1:] {
		if t.AnsweredAt.After(last.AnsweredAt) || (t.AnsweredAt.Equal(last.AnsweredAt) && t.ID > last.ID) {
			last = t
		}
	}
	return last
}

// feedbackOf turns a stored turn into its feedback card, saying which
// grader produced it and offering a re-grade when the model was missing.
func (h *Handlers) feedbackOf(c echo.Context, t models.Turn) views.Feedback {
	f := views.Feedback{Prompt: t.Prompt, Status: t.Status, Overall: t.Overall, Grader: t.Grader, IsFollowUp: t.Step > 0}
	if t.Evidence == "" {
		return f
	}
	var res interview.Result
	if err := json.Unmarshal([]byte(t.Evidence), &res); err != nil {
		return f
	}
	f.Reason = res.Reason
	f.Dims = dimScores(res.Dimensions, nil)
	f.Evidence = evidenceOf(res)
	if res.LLM != nil {
		f.Model, f.ModelFeedback, f.RubricOverall = res.LLM.Model, res.LLM.Feedback, res.LLM.RubricOverall
	}
	f.ModelError = res.LLMError
	if h.LLMModel != "" && res.LLM == nil && t.Status == models.TurnGraded {
		f.RegradeURL = fmt.Sprintf("/rounds/%d/turns/%d/regrade", t.RoundID, t.ID)
		if tok, ok := c.Get(csrfContextKey).(string); ok {
			f.CSRFToken = tok
		}
	}
	return f
}

// regrade grades a stored answer again with the configured grader (the
// model, when it was down the first time) and updates the question's and
// the round's scores. The conversation itself does not change.
func (h *Handlers) regrade(c echo.Context) error {
	st, err := h.loadRound(c)
	if err != nil {
		return err
	}
	turnID, err := strconv.ParseUint(c.Param("turn"), 10, 64)
	if err != nil {
		return fmt.Errorf("turn %q: %w", c.Param("turn"), models.ErrNotFound)
	}
	var t *models.Turn
	for i := range st.view.Turns {
		if st.view.Turns[i].ID == uint(turnID) {
			t = &st.view.Turns[i]
		}
	}
	if t == nil {
		return fmt.Errorf("turn %d: %w", turnID, models.ErrNotFound)
	}
	if t.Status != models.TurnGraded {
		return echo.NewHTTPError(http.StatusConflict, "Only graded answers can be graded again.")
	}
	var previous []interview.TurnRecord
	for _, p := range st.byPosition[t.Position] {
		if p.Step < t.Step {
			previous = append(previous, records([]models.Turn{p})[0])
		}
	}
	g, err := h.Grader.GradeTurn(c.Request().Context(), st.questions[t.Position], previous, t.Answer)
	if err != nil {
		return err
	}
	evidence, err := json.Marshal(g.Result)
	if err != nil {
		return err
	}
	old := t.Overall
	t.Scores, t.Evidence, t.Grader = scoresOf(g.Result), string(evidence), g.Result.Grader
	for i, p := range st.byPosition[t.Position] {
		if p.ID == t.ID {
			st.byPosition[t.Position][i] = *t
		}
	}
	var totals *models.Scores
	if st.view.Round.Finished() {
		s := h.totals(st)
		totals = &s
	}
	if err := h.Store.RegradeTurn(c.Request().Context(), *t, old, totals, h.Now()); err != nil {
		return err
	}
	target := roundURL(t.RoundID, "")
	if st.view.Round.Finished() {
		target = roundURL(t.RoundID, "/report")
	}
	return redirect(c, target)
}

func dimScores(d interview.Dimensions, weak map[string]bool) []views.DimScore {
	out := make([]views.DimScore, len(interview.DimensionNames))
	for i, n := range interview.DimensionNames {
		out[i] = views.DimScore{Name: n, Score: d.Get(n), Weak: weak[n]}
	}
	return out
}

func evidenceOf(r interview.Result) views.Evidence {
	e := views.Evidence{
		Claim: r.Beats.Claim, Reasoning: r.Beats.Reasoning, Tradeoff: r.Beats.Tradeoff,
		Unsupported: r.Unsupported, Caps: r.Caps, Filler: r.Filler, Hedges: r.Hedges,
	}
	for _, hit := range r.Hits {
		e.Hits = append(e.Hits, views.EvidenceHit{Text: hit.Text, Sentence: hit.Sentence, Partial: hit.Partial})
	}
	for _, m := range r.Misses {
		e.Misses = append(e.Misses, m.Text)
	}
	for _, f := range r.RedFlags {
		e.RedFlags = append(e.RedFlags, views.EvidenceFlag{Text: f.Text, Sentence: f.Sentence})
	}
	return e
}

// slotInput is the (position, step) a form was rendered for.
func slotInput(c echo.Context) (pos, step int, ok bool) {
	p, err1 := strconv.Atoi(c.FormValue("position"))
	s, err2 := strconv.Atoi(c.FormValue("step"))
	return p, s, err1 == nil && err2 == nil
}

// staleNotice explains a form sent for a slot the round has moved past.
const staleNotice = "That answer was already saved (a second click or a retry); here is where the round stands."

// submitAnswer stores the answer first, then grades it, then moves the
// round on. A double submit stores one answer.
func (h *Handlers) submitAnswer(c echo.Context) error {
	st, err := h.loadRound(c)
	if err != nil {
		return err
	}
	r := st.view.Round
	if r.Finished() {
		return redirect(c, roundURL(r.ID, "/report"))
	}
	pos, step, ok := slotInput(c)
	if !ok {
		return echo.NewHTTPError(http.StatusBadRequest, "The form is missing the question it answers. Reload the page.")
	}
	if pos != st.slot.Position || step != st.slot.Step {
		return h.afterChange(c, st, staleNotice)
	}
	answer := strings.TrimSpace(c.FormValue("answer"))
	ctx := c.Request().Context()
	switch n := utf8.RuneCountInString(answer); {
	case n == 0:
		return h.renderRound(c, st, http.StatusUnprocessableEntity, "Write an answer first, or skip the question.", "")
	case n > interview.MaxAnswerChars:
		// Keep what was typed: the draft holds it until the user shortens it.
		if err := h.Store.SaveDraft(ctx, r.UserID, r.ID, pos, step, c.FormValue("answer"), h.Now()); err != nil {
			return err
		}
		return h.renderRound(c, st, http.StatusUnprocessableEntity,
			fmt.Sprintf("Your answer is %s characters; the limit is %s. Shorten it and submit again: your text is kept.",
				thousands(n), thousands(interview.MaxAnswerChars)), "")
	}
	q := st.questions[pos]
	t := models.Turn{
		RoundID: r.ID, UserID: r.UserID, Position: pos, Step: step, QuestionID: q.ID, Area: q.Area,
		Skill: q.Skill, Level: r.Level, Prompt: st.slot.Prompt, Answer: answer, Status: models.TurnPending,
		AnsweredAt: h.Now(),
	}
	if err := h.Store.RecordAnswer(ctx, &t); err != nil {
		if errors.Is(err, models.ErrConflict) {
			return h.afterChange(c, st, staleNotice)
		}
		return err
	}
	st.byPosition[pos] = append(st.byPosition[pos], t)
	if err := h.gradeStored(c, st, t); err != nil {
		return err
	}
	return h.afterChange(c, st, "")
}

// afterChange shows the round as it now stands: the panel for htmx, a
// redirect for a plain form (post/redirect/get).
func (h *Handlers) afterChange(c echo.Context, st *roundState, notice string) error {
	id := st.view.Round.ID
	if !isPartial(c) {
		return c.Redirect(http.StatusSeeOther, roundURL(id, ""))
	}
	fresh, err := h.loadRound(c)
	if err != nil {
		return err
	}
	if fresh.view.Round.Finished() {
		return redirect(c, roundURL(id, "/report"))
	}
	return h.renderRound(c, fresh, http.StatusOK, "", notice)
}

// saveDraft keeps the answer being typed; htmx calls it as the user types.
func (h *Handlers) saveDraft(c echo.Context) error {
	id, err := h.roundID(c)
	if err != nil {
		return err
	}
	pos, step, ok := slotInput(c)
	if !ok {
		return echo.NewHTTPError(http.StatusBadRequest, "The draft is missing the question it belongs to.")
	}
	if err := h.Store.SaveDraft(c.Request().Context(), currentUser(c).ID, id, pos, step, c.FormValue("answer"), h.Now()); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// skip records the current question or follow-up as skipped.
func (h *Handlers) skip(c echo.Context) error {
	st, err := h.loadRound(c)
	if err != nil {
		return err
	}
	r := st.view.Round
	if r.Finished() {
		return redirect(c, roundURL(r.ID, "/report"))
	}
	pos, step, ok := slotInput(c)
	if !ok || pos != st.slot.Position || step != st.slot.Step {
		return h.afterChange(c, st, staleNotice)
	}
	q := st.questions[pos]
	t := models.Turn{
		RoundID: r.ID, UserID: r.UserID, Position: pos, Step: step, QuestionID: q.ID, Area: q.Area,
		Skill: q.Skill, Level: r.Level, Prompt: st.slot.Prompt, AnsweredAt: h.Now(), Status: models.TurnSkipped,
	}
	st.byPosition[pos] = append(st.byPosition[pos], t)
	err = h.Store.SkipSlot(c.Request().Context(), t, h.progress(c, st, pos, ""))
	if err != nil && !errors.Is(err, models.ErrConflict) {
		return err
	}
	return h.afterChange(c, st, "")
}

// endRound finishes the round early; what was answered counts.
func (h *Handlers) endRound(c echo.Context) error {
	st, err := h.loadRound(c)
	if err != nil {
		return err
	}
	r := st.view.Round
	if !r.Finished() {
		var finals []uint
		for pos := r.Position; pos < len(st.questions); pos++ {
			if id := finalTurn(st.byPosition[pos]); id != 0 {
				finals = append(finals, id)
			}
		}
		if err := h.Store.FinishRound(c.Request().Context(), r.UserID, r.ID, h.totals(st), h.reviewsOf(currentUser(c), st), finals, h.Now()); err != nil {
			return err
		}
	}
	return redirect(c, roundURL(r.ID, "/report"))
}
