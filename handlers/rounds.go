package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/mockround/mockround/interview"
	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/static"
	"github.com/mockround/mockround/views"
)

// roundState is a loaded round and its rules, with the drafts and the
// due count its page shows.
type roundState struct {
	view models.RoundView
	eng  *interview.Round
	page models.RoundPage
}

func (h *Handlers) roundID(c echo.Context) (uint, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil || id == 0 {
		return 0, fmt.Errorf("round id %q: %w", c.Param("id"), models.ErrNotFound)
	}
	return uint(id), nil
}

// engineOf builds the round's rules from a stored round.
func (h *Handlers) engineOf(v models.RoundView) (*interview.Round, error) {
	questions := make([]*grader.Question, len(v.Round.QuestionIDs))
	for i, qid := range v.Round.QuestionIDs {
		q, ok := h.Bank.Question(qid)
		if !ok {
			return nil, fmt.Errorf("round %d: question %q is no longer in the bank", v.Round.ID, qid)
		}
		questions[i] = q
	}
	eng, err := interview.NewRound(questions, records(v.Turns), v.Round.Finished())
	if err != nil {
		return nil, fmt.Errorf("round %d: %w", v.Round.ID, err)
	}
	return eng, nil
}

// loadRound loads the user's round and its rules. It only reads: an answer
// left pending by a crash is graded by the start-up sweep or the next POST.
func (h *Handlers) loadRound(c echo.Context) (*roundState, error) {
	id, err := h.roundID(c)
	if err != nil {
		return nil, err
	}
	return h.loadRoundByID(c.Request().Context(), currentUser(c).ID, id)
}

func (h *Handlers) loadRoundByID(ctx context.Context, userID, id uint) (*roundState, error) {
	p, err := h.Store.RoundPage(ctx, userID, id, endOfDay(h.Now()))
	if err != nil {
		return nil, err
	}
	eng, err := h.engineOf(p.RoundView)
	if err != nil {
		return nil, err
	}
	return &roundState{view: p.RoundView, eng: eng, page: p}, nil
}

// records converts stored turns for the round's rules.
func records(ts []models.Turn) []grader.TurnRecord {
	out := make([]grader.TurnRecord, len(ts))
	for i, t := range ts {
		out[i] = grader.TurnRecord{
			Position: t.Position, Step: t.Step, Status: t.Status, Prompt: t.Prompt, Answer: t.Answer,
			FollowUp: t.FollowUp, Overall: t.Overall, Dimensions: t.Dimensions,
		}
	}
	return out
}

func scoresOf(r grader.Result) models.Scores {
	return models.Scores{Overall: r.Overall, Dimensions: r.Dimensions}
}

// moveOn is what the store writes after a turn changed the round: the
// current question, the final turns of the questions that are over and,
// when every question is done, the finish with its totals and reviews.
func (h *Handlers) moveOn(eng *interview.Round, u models.User) models.RoundChange {
	if eng.Done() && !eng.Finished() {
		// Nothing is pending when every question is done.
		if err := eng.End(); err == nil {
			return h.finishChange(eng, u)
		}
	}
	return models.RoundChange{Position: eng.Position(), Final: finalSlots(eng), Now: h.Now()}
}

// finishChange ends an ended round in the store: totals, counts, the final
// turns and one review per skill.
func (h *Handlers) finishChange(eng *interview.Round, u models.User) models.RoundChange {
	t := eng.Totals()
	f := &models.Finish{
		Scores:   models.Scores{Overall: t.Overall, Dimensions: t.Dimensions},
		Answered: t.Answered, Skipped: t.Skipped, Complete: t.Complete,
	}
	return models.RoundChange{Position: eng.Position(), Final: finalSlots(eng), Finish: f, Reviews: reviewsOf(u, eng), Now: h.Now()}
}

// reviewsOf are the reviews a finishing round records: one per skill
// reached, a skipped question counting as a miss.
func reviewsOf(u models.User, eng *interview.Round) *models.Reviews {
	var skills []models.SkillScore
	for _, s := range eng.SkillScores() {
		skills = append(skills, models.SkillScore{Skill: s.Skill, Score: s.Score})
	}
	return &models.Reviews{Skills: skills, Apply: u.ReviewFunc()}
}

func finalSlots(eng *interview.Round) []models.Slot {
	var out []models.Slot
	for _, t := range eng.FinalTurns() {
		out = append(out, models.Slot{Position: t.Position, Step: t.Step})
	}
	return out
}

// newTurn is a turn to store for the question at the record's position.
func (h *Handlers) newTurn(r models.Round, q *grader.Question, rec grader.TurnRecord) *models.Turn {
	return &models.Turn{
		Position: rec.Position, Step: rec.Step, QuestionID: q.ID, Area: q.Area, Skill: q.Skill, Level: r.Level,
		Prompt: rec.Prompt, Answer: rec.Answer, Status: rec.Status, AnsweredAt: h.Now(),
	}
}

// roundClosed is the visible refusal of a change to a round that has
// ended: the page shows it, with the way to the report.
func roundClosed(id uint, what string) error {
	return &userError{status: http.StatusConflict,
		msg:  "This round has ended — " + what + " was not added; see the report.",
		link: roundURL(id, "/report"), linkText: "See the report"}
}

// settle grades the answer a round has pending (left by a crash or a
// failed grading) and finishes a round whose every question is done but
// was not finished, so a POST always acts on a settled round.
func (h *Handlers) settle(ctx context.Context, u models.User, id uint) error {
	_, err := h.settled(ctx, u, id)
	return err
}

// settled is settle that also returns the round as it stands when it had
// nothing to settle (nil when it changed the round).
func (h *Handlers) settled(ctx context.Context, u models.User, id uint) (*roundState, error) {
	st, err := h.loadRoundByID(ctx, u.ID, id)
	if err != nil {
		return nil, err
	}
	if p, ok := st.eng.Pending(); ok {
		return nil, h.grade(ctx, u, id, st.eng, p)
	}
	if st.eng.Done() && !st.eng.Finished() {
		return nil, h.Store.ChangeRound(ctx, u.ID, id, func(v models.RoundView) (models.RoundChange, error) {
			eng, err := h.engineOf(v)
			if err != nil {
				return models.RoundChange{}, err
			}
			if !eng.Done() || eng.Finished() {
				return models.RoundChange{}, models.NoChange()
			}
			return h.moveOn(eng, u), nil
		})
	}
	return st, nil
}

// errGrading says an answer is stored but could not be graded now.
func errGrading(err error) error {
	return &userError{status: http.StatusServiceUnavailable, err: err,
		msg: "Your answer is saved, but it could not be graded just now. It will be graded when you continue the round: try again in a moment."}
}

// grade grades a pending answer outside any transaction (a model may take
// seconds), then stores the grade and moves the round on under its lock.
// If another request graded it meanwhile, nothing changes.
func (h *Handlers) grade(ctx context.Context, u models.User, id uint, eng *interview.Round, p grader.TurnRecord) error {
	gr, err := h.gradeAnswer(ctx, u, id, eng, p)
	if err != nil {
		return errGrading(err)
	}
	err = h.Store.ChangeRound(ctx, u.ID, id, func(v models.RoundView) (models.RoundChange, error) {
		eng, err := h.engineOf(v)
		if err != nil {
			return models.RoundChange{}, err
		}
		ch, err := h.gradeChange(eng, u, p, gr)
		if errors.Is(err, interview.ErrStaleSlot) {
			return models.RoundChange{}, models.NoChange()
		}
		return ch, err
	})
	if err != nil && !isDomainError(err) {
		return errGrading(err)
	}
	return err
}

// gradedAnswer is an answer's grade, ready to store: the grader's, the one
// that counts (adjusted by the learner's disputes) and their JSON.
type gradedAnswer struct {
	graded, counted grader.Graded
	evidence        string
	adjusted        string
}

// gradeAnswer grades answer p to the round's current slot.
func (h *Handlers) gradeAnswer(ctx context.Context, u models.User, id uint, eng *interview.Round, p grader.TurnRecord) (gradedAnswer, error) {
	q := eng.Question(p.Position)
	previous := eng.Previous(p.Position, p.Step)
	g, err := h.Grader.GradeTurn(ctx, q, previous, p.Answer)
	if err != nil {
		return gradedAnswer{}, fmt.Errorf("grade round %d slot %d.%d: %w", id, p.Position, p.Step, err)
	}
	evidence, err := json.Marshal(g.Result)
	if err != nil {
		return gradedAnswer{}, err
	}
	// The learner's disputes on this question hold for the answers to its
	// follow-ups: the grade that counts is adjusted, the grader's kept.
	counted, adjusted, err := h.withDisputes(ctx, u, id, q, previous, p, g)
	if err != nil {
		return gradedAnswer{}, err
	}
	return gradedAnswer{graded: g, counted: counted, evidence: string(evidence), adjusted: adjusted}, nil
}

// gradeChange grades the pending answer p in eng and returns what to
// write: the grade, and the round moved on.
func (h *Handlers) gradeChange(eng *interview.Round, u models.User, p grader.TurnRecord, gr gradedAnswer) (models.RoundChange, error) {
	rec, err := eng.Grade(p.Position, p.Step, gr.counted)
	if err != nil {
		return models.RoundChange{}, err
	}
	t := models.Turn{Position: rec.Position, Step: rec.Step, Status: rec.Status, FollowUp: rec.FollowUp,
		Evidence: gr.evidence, AdjustedEvidence: gr.adjusted, Grader: gr.graded.Result.Grader}
	if rec.Status == grader.TurnGraded {
		t.Scores = scoresOf(gr.counted.Result)
	}
	ch := h.moveOn(eng, u)
	ch.Grade = &t
	return ch, nil
}

// withDisputes applies the learner's disputes of earlier answers to this
// question to a new grade: it returns the grade that counts and, when the
// disputes changed it, the adjusted grade as JSON.
func (h *Handlers) withDisputes(ctx context.Context, u models.User, id uint, q *grader.Question, previous []grader.TurnRecord, p grader.TurnRecord, g grader.Graded) (grader.Graded, string, error) {
	if g.Status != grader.TurnGraded || p.Step == 0 {
		return g, "", nil
	}
	all, err := h.Store.RoundDisputes(ctx, u.ID, id)
	if err != nil {
		return g, "", err
	}
	var ds []grader.Dispute
	for _, d := range all {
		if d.Position == p.Position {
			ds = append(ds, grader.Dispute{Kind: grader.DisputeKind(d.Kind), Target: d.Target, Sentence: d.Sentence})
		}
	}
	if len(ds) == 0 {
		return g, "", nil
	}
	adj, err := grader.NewGrader(h.Bank).GradeDisputed(q, previous, p.Answer, ds)
	if err != nil || !adj.Result.Graded() {
		return g, "", err
	}
	js, err := json.Marshal(adj.Result)
	if err != nil {
		return g, "", err
	}
	return adj, string(js), nil
}

// isDomainError reports an error the round's rules or the store decided
// (as opposed to a failure: a database down, a timeout).
func isDomainError(err error) bool {
	var ue *userError
	return errors.Is(err, interview.ErrRoundOver) || errors.Is(err, interview.ErrStaleSlot) ||
		errors.Is(err, interview.ErrPending) || errors.Is(err, models.ErrConflict) ||
		errors.Is(err, models.ErrNotFound) || errors.As(err, &ue)
}

// GradePending grades every answer left pending (by a crash between
// storing and grading) and finishes rounds left done but open: the
// start-up sweep, so pages never have to.
func (h *Handlers) GradePending(ctx context.Context) error {
	rounds, err := h.Store.UnsettledRounds(ctx)
	if err != nil {
		return err
	}
	for _, r := range rounds {
		u, err := h.Store.UserByID(ctx, r.UserID)
		if err != nil {
			return err
		}
		if err := h.settle(ctx, u, r.ID); err != nil {
			return fmt.Errorf("settle round %d: %w", r.ID, err)
		}
	}
	return nil
}

// showRound is the round page: the current question, and in study mode
// the feedback on the last answer. It never writes.
func (h *Handlers) showRound(c echo.Context) error {
	st, err := h.loadRound(c)
	if err != nil {
		return err
	}
	return h.renderRound(c, st, http.StatusOK, "", "", "")
}

// pendingNotice explains an answer stored but not graded yet.
const pendingNotice = "Your answer to this question is saved but not graded yet. Submit it (it is in the box) to grade it and go on."

// renderRound shows the round's current slot; typed, when not "", is the
// text to keep in the answer box instead of the saved draft.
func (h *Handlers) renderRound(c echo.Context, st *roundState, status int, answerErr, notice, typed string) error {
	return h.renderRoundPage(c, st, status, answerErr, notice, typed, "")
}

// renderRoundWait is the round with a rate limit's notice beside the
// answer form (429).
func (h *Handlers) renderRoundWait(c echo.Context, st *roundState, typed, wait string) error {
	return h.renderRoundPage(c, st, http.StatusTooManyRequests, "", "", typed, wait)
}

func (h *Handlers) renderRoundPage(c echo.Context, st *roundState, status int, answerErr, notice, typed, wait string) error {
	r := st.view.Round
	slot, ok := st.eng.Current()
	if !ok {
		return redirect(c, roundURL(r.ID, "/report"))
	}
	draft := typed
	if slot.Pending {
		if p, ok := st.eng.Pending(); ok && draft == "" {
			draft = p.Answer
		}
		if notice == "" {
			notice = pendingNotice
		}
	} else if draft == "" {
		draft = st.page.Draft(slot.Position, slot.Step)
	}
	q := st.eng.Question(slot.Position)
	total := st.eng.Len()
	page := views.RoundPage{
		Layout:        h.layoutWithDue(c, fmt.Sprintf("Question %d of %d", slot.Position+1, total), "home", st.page.DueReviews),
		RoundID:       r.ID,
		Title:         roundTitle(r.Type, r.Stack, r.Level, r.Area),
		Number:        slot.Position + 1,
		Total:         total,
		ProgressPct:   100 * slot.Position / total,
		Elapsed:       int64(max(0, h.Now().Sub(r.StartedAt).Seconds())),
		BudgetSeconds: 60 * interview.RoundType(r.Type).Budget(total),
		Prompt:        slot.Prompt,
		IsFollowUp:    slot.FollowUp,
		FollowUpNo:    slot.Step,
		Probe:         slot.FollowUp && grader.KindOf(slot.Prompt) == grader.FollowUpPlainWords,
		Area:          interview.AreaLabel(q.Area),
		Position:      slot.Position,
		Step:          slot.Step,
		Error:         answerErr,
		Wait:          wait,
		Notice:        notice,
		Draft:         draft,
		Speaking:      speakingBudget(interview.SpeakingBudgetFor(q.Kind, slot.FollowUp)),
		VoiceJS:       static.URL("voice.js"),
	}
	if n := len(st.view.Turns); n > 0 {
		last := latestTurn(st.view.Turns)
		switch {
		case last.Status == models.TurnPending:
		case r.Feedback == interview.FeedbackStudy:
			fb := h.feedbackOf(c, last, st.view.Turns, "round")
			page.Feedback = &fb
		case last.Status != models.TurnSkipped:
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

// turnParam is the round's turn named by the :turn parameter; another
// round's turn, or none, is not found.
func turnParam(c echo.Context, turns []models.Turn) (*models.Turn, error) {
	id, err := strconv.ParseUint(c.Param("turn"), 10, 64)
	if err != nil {
		return nil, fmt.Errorf("turn %q: %w", c.Param("turn"), models.ErrNotFound)
	}
	for i := range turns {
		if turns[i].ID == uint(id) {
			return &turns[i], nil
		}
	}
	return nil, fmt.Errorf("turn %d: %w", id, models.ErrNotFound)
}

// regrade grades a stored answer again with the configured grader (the
// model, when it was down the first time) and updates the question's and
// the round's scores. The conversation itself does not change.
func (h *Handlers) regrade(c echo.Context) error {
	st, err := h.loadRound(c)
	if err != nil {
		return err
	}
	t, err := turnParam(c, st.view.Turns)
	if err != nil {
		return err
	}
	if t.Status != models.TurnGraded {
		return echo.NewHTTPError(http.StatusConflict, "Only graded answers can be graded again.")
	}
	if t.AdjustedEvidence != "" {
		return echo.NewHTTPError(http.StatusConflict, "You adjusted this grade, so it is not graded again: a new grade would set your changes aside.")
	}
	g, err := h.Grader.GradeTurn(c.Request().Context(), st.eng.Question(t.Position), st.eng.Previous(t.Position, t.Step), t.Answer)
	if err != nil {
		return err
	}
	evidence, err := json.Marshal(g.Result)
	if err != nil {
		return err
	}
	regraded := models.Turn{Position: t.Position, Step: t.Step, Scores: scoresOf(g.Result), Evidence: string(evidence), Grader: g.Result.Grader}
	// The round's totals are worked out again under its lock, from every
	// stored answer with this one's new grade.
	err = h.Store.ChangeRound(c.Request().Context(), currentUser(c).ID, t.RoundID, func(v models.RoundView) (models.RoundChange, error) {
		for i := range v.Turns {
			if v.Turns[i].Position == t.Position && v.Turns[i].Step == t.Step {
				v.Turns[i].Scores = regraded.Scores
			}
		}
		ch := models.RoundChange{Regrade: &regraded, Position: v.Round.Position, Now: h.Now()}
		if v.Round.Finished() {
			eng, err := h.engineOf(v)
			if err != nil {
				return models.RoundChange{}, err
			}
			tt := eng.Totals()
			ch.Totals = &models.Scores{Overall: tt.Overall, Dimensions: tt.Dimensions}
		}
		return ch, nil
	})
	if err != nil {
		return err
	}
	target := roundURL(t.RoundID, "")
	if st.view.Round.Finished() {
		target = roundURL(t.RoundID, "/report")
	}
	return redirect(c, target)
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
// grader produced it, offering a re-grade when the model was missing, and
// the learner's disputes: the grade shown is the adjusted one when the
// learner adjusted it, the grader's own kept beside it. turns are the
// round's turns (for the question's earlier answers); back is where a
// dispute returns ("round" or "report").
func (h *Handlers) feedbackOf(c echo.Context, t models.Turn, turns []models.Turn, back string) views.Feedback {
	f := views.Feedback{Prompt: t.Prompt, Status: t.Status, Overall: t.Overall, Grader: t.Grader, IsFollowUp: t.Step > 0,
		Pacing: h.pacingOf(t)}
	if t.Status == models.TurnInsufficient {
		f.Answer = t.Answer
	}
	if t.Evidence == "" {
		return f
	}
	var orig grader.Result
	if err := json.Unmarshal([]byte(t.Evidence), &orig); err != nil {
		return f
	}
	res := orig
	if adj, ok := gradeOf(t); ok && t.AdjustedEvidence != "" {
		res = adj
		f.Adjusted, f.OriginalOverall, f.Disputes = true, orig.Overall, adjustments(orig, adj)
	}
	f.Reason = res.Reason
	f.Dims = dimScores(res.Dimensions, nil)
	f.Evidence = evidenceOf(res)
	if res.LLM != nil {
		f.Model, f.ModelFeedback, f.RubricOverall = res.LLM.Model, res.LLM.Feedback, res.LLM.RubricOverall
	}
	f.ModelError = res.LLMError
	if h.LLMModel != "" && orig.LLM == nil && !f.Adjusted && t.Status == models.TurnGraded {
		f.RegradeURL = fmt.Sprintf("/rounds/%d/turns/%d/regrade", t.RoundID, t.ID)
		if tok, ok := c.Get(csrfContextKey).(string); ok {
			f.CSRFToken = tok
		}
	}
	if t.Status == models.TurnGraded {
		var answers []string
		for _, o := range turns {
			if o.Position == t.Position && o.Step < t.Step && (o.Status == models.TurnGraded || o.Status == models.TurnInsufficient) {
				answers = append(answers, o.Answer)
			}
		}
		f.Dispute = disputeForm(c, t, res, append(answers, t.Answer), back)
	}
	return f
}

// pacingOf is how a dictated answer was spoken against its question's
// budget; nil for a typed one.
func (h *Handlers) pacingOf(t models.Turn) *views.Pacing {
	if !t.Dictated {
		return nil
	}
	kind := ""
	if q, ok := h.Bank.Question(t.QuestionID); ok {
		kind = q.Kind
	}
	b := interview.SpeakingBudgetFor(kind, t.Step > 0)
	return &views.Pacing{Seconds: t.SpeakingSeconds, WPM: interview.WordsPerMinute(t.Answer, t.SpeakingSeconds),
		Budget: speakingBudget(b), Pace: string(b.Judge(t.SpeakingSeconds))}
}

func speakingBudget(b interview.SpeakingBudget) views.SpeakingBudget {
	return views.SpeakingBudget{Min: b.Min, Max: b.Max}
}

func dimScores(d grader.Dimensions, weak map[string]bool) []views.DimScore {
	out := make([]views.DimScore, len(grader.DimensionNames))
	for i, n := range grader.DimensionNames {
		out[i] = views.DimScore{Name: n, Score: d.Get(n), Weak: weak[n]}
	}
	return out
}

// quoter quotes each sentence of an answer once: a sentence met again
// refers to where it was first quoted.
type quoter map[string]string

func (q quoter) quote(sentence, where string) views.Quote {
	if sentence == "" {
		return views.Quote{}
	}
	if ref, ok := q[sentence]; ok {
		return views.Quote{Ref: ref}
	}
	q[sentence] = where
	return views.Quote{Text: sentence}
}

func evidenceOf(r grader.Result) views.Evidence {
	e := views.Evidence{
		Caps: r.Caps, Filler: r.Filler, Hedges: r.Hedges,
		Confidence: string(r.Confidence), Removed: len(r.Removed) > 0, InjectionCap: num(grader.Held.Injection),
	}
	q := quoter{}
	for _, hit := range r.Hits {
		e.Hits = append(e.Hits, views.EvidenceHit{Text: hit.Text, Sentence: q.quote(hit.Sentence, "the key point “"+hit.Text+"”"),
			Partial: hit.Partial, Named: hit.Named, Disputed: hit.Disputed})
	}
	for _, m := range r.Misses {
		e.Misses = append(e.Misses, m.Text)
	}
	for _, c := range r.Contradictions {
		e.Contradictions = append(e.Contradictions, views.EvidenceFlag{Text: c.Text, Sentence: q.quote(c.Sentence, "“"+c.Text+"”")})
	}
	for _, f := range r.RedFlags {
		e.RedFlags = append(e.RedFlags, views.EvidenceFlag{Text: f.Text, Sentence: q.quote(f.Sentence, "the red flag “"+f.Text+"”")})
	}
	e.Claim = q.quote(r.Beats.Claim, "the claim")
	e.Reasoning = q.quote(r.Beats.Reasoning, "the reasoning")
	e.Tradeoff = q.quote(r.Beats.Tradeoff, "the tradeoff")
	for _, u := range r.Unsupported {
		e.Unsupported = append(e.Unsupported, q.quote(u, "an earlier point"))
	}
	for _, u := range r.UncheckedClaims {
		e.Unchecked = append(e.Unchecked, q.quote(u, "an earlier point"))
	}
	return e
}

// slotInput is the (position, step) a form was rendered for.
func slotInput(c echo.Context) (pos, step int, ok bool) {
	p, err1 := strconv.Atoi(c.FormValue("position"))
	s, err2 := strconv.Atoi(c.FormValue("step"))
	return p, s, err1 == nil && err2 == nil
}

// speechInput is what the answer form says about how the answer was
// given (hidden fields the page's dictation fills in): whether it was
// dictated and for how many seconds. A missing or malformed time counts as
// unknown; the values are clamped and only ever shown, never graded.
func speechInput(c echo.Context) interview.Speech {
	secs, err := strconv.Atoi(strings.TrimSpace(c.FormValue("speaking_seconds")))
	if err != nil {
		secs = 0
	}
	return interview.CleanSpeech(c.FormValue("dictated") == "1", secs)
}

// staleNotice explains a form sent again for a slot already answered.
const staleNotice = "That answer was already saved (a second click or a retry); here is where the round stands."

// answerAtOnce stores an answer already graded, in one transaction,
// when the grader runs in the process (the rubric engine grades in well
// under a millisecond): half the statements of storing it first and
// grading it after, which a model's seconds-long call needs so the answer
// is safe meanwhile. It grades against the round as settle loaded it, and
// gives way (done false) to that path if anything changed the round since
// or the slot is not the current one.
func (h *Handlers) answerAtOnce(c echo.Context, u models.User, st *roundState, pos, step int, answer string, speech interview.Speech) (bool, error) {
	if g, ok := h.Grader.(InstantGrader); !ok || !g.Instant() {
		return false, nil
	}
	id := st.view.Round.ID
	rec, err := st.eng.Answer(pos, step, answer)
	if err != nil {
		return false, nil // the path below says why
	}
	ctx := c.Request().Context()
	gr, err := h.gradeAnswer(ctx, u, id, st.eng, rec)
	if err != nil {
		return false, nil
	}
	err = h.Store.ChangeRound(ctx, u.ID, id, func(v models.RoundView) (models.RoundChange, error) {
		if v.Round.Version != st.view.Round.Version {
			return models.RoundChange{}, errRoundMoved
		}
		eng, err := h.engineOf(v)
		if err != nil {
			return models.RoundChange{}, err
		}
		if _, err := eng.Answer(pos, step, answer); err != nil {
			return models.RoundChange{}, err
		}
		t := h.newTurn(v.Round, eng.Question(pos), rec)
		t.Dictated, t.SpeakingSeconds = speech.Dictated, speech.Seconds
		ch, err := h.gradeChange(eng, u, rec, gr)
		ch.Insert = t
		return ch, err
	})
	if err != nil {
		// The round moved on meanwhile, or the write failed: the path
		// below stores the answer first and says what went wrong.
		return false, nil
	}
	return true, h.afterChange(c, id, "")
}

// errRoundMoved says the round changed between reading and writing it.
var errRoundMoved = errors.New("the round changed meanwhile")

// submitAnswer stores the answer first (checked under the round's lock:
// the round is open and the slot current), then grades it, then moves the
// round on. A double submit stores one answer; an answer to a round that
// has ended is refused with 409, never dropped behind a success.
func (h *Handlers) submitAnswer(c echo.Context) error {
	id, err := h.roundID(c)
	if err != nil {
		return err
	}
	pos, step, ok := slotInput(c)
	if !ok {
		return echo.NewHTTPError(http.StatusBadRequest, "The form is missing the question it answers. Reload the page.")
	}
	u := currentUser(c)
	ctx := c.Request().Context()
	st, err := h.settled(ctx, u, id)
	if err != nil {
		if isDomainError(err) {
			return err
		}
		return notSaved("answer", err)
	}
	raw := c.FormValue("answer")
	answer := strings.TrimSpace(raw)
	if n := utf8.RuneCountInString(answer); n == 0 || n > grader.MaxAnswerChars {
		return h.refuseAnswer(c, u, id, pos, step, raw, n)
	}
	speech := speechInput(c)
	if st != nil {
		if done, err := h.answerAtOnce(c, u, st, pos, step, answer, speech); done {
			return err
		}
	}
	var rec grader.TurnRecord
	var eng *interview.Round
	err = h.Store.ChangeRound(ctx, u.ID, id, func(v models.RoundView) (models.RoundChange, error) {
		var err error
		if eng, err = h.engineOf(v); err != nil {
			return models.RoundChange{}, err
		}
		if rec, err = eng.Answer(pos, step, answer); err != nil {
			return models.RoundChange{}, err
		}
		t := h.newTurn(v.Round, eng.Question(pos), rec)
		t.Dictated, t.SpeakingSeconds = speech.Dictated, speech.Seconds
		return models.RoundChange{Insert: t, Position: eng.Position(), Now: h.Now()}, nil
	})
	switch {
	case errors.Is(err, interview.ErrRoundOver):
		return roundClosed(id, "your answer")
	case errors.Is(err, interview.ErrStaleSlot), errors.Is(err, models.ErrConflict):
		return h.staleAnswer(c, u, id, pos, step, answer)
	case err != nil && !isDomainError(err):
		return notSaved("answer", err)
	case err != nil:
		return err
	}
	if err := h.grade(ctx, u, id, eng, rec); err != nil {
		return err
	}
	return h.afterChange(c, id, "")
}

// refuseAnswer re-renders the round for an empty or oversized answer,
// keeping an oversized text as the draft until the user shortens it.
func (h *Handlers) refuseAnswer(c echo.Context, u models.User, id uint, pos, step int, raw string, n int) error {
	st, err := h.loadRoundByID(c.Request().Context(), u.ID, id)
	if err != nil {
		return err
	}
	if n == 0 {
		return h.renderRound(c, st, http.StatusUnprocessableEntity, "Write an answer first, or skip the question.", "", "")
	}
	if err := h.keepDraft(c.Request().Context(), u, id, pos, step, raw); err != nil {
		return err
	}
	return h.renderRound(c, st, http.StatusUnprocessableEntity,
		fmt.Sprintf("Your answer is %s characters; the limit is %s. Shorten it and submit again: your text is kept.",
			thousands(n), thousands(grader.MaxAnswerChars)), "", raw)
}

// staleAnswer answers a submit for a slot that is not current: the same
// answer already stored is a double submit (shown as saved); a different
// one is refused with 409 and the text stays in the box.
func (h *Handlers) staleAnswer(c echo.Context, u models.User, id uint, pos, step int, answer string) error {
	st, err := h.loadRoundByID(c.Request().Context(), u.ID, id)
	if err != nil {
		return err
	}
	for _, t := range st.view.Turns {
		if t.Position == pos && t.Step == step && strings.TrimSpace(t.Answer) == answer {
			return h.afterChange(c, id, staleNotice)
		}
	}
	if st.eng.Finished() {
		return roundClosed(id, "your answer")
	}
	return &userError{status: http.StatusConflict,
		msg:  "This question was already answered (in another tab?), so this answer was not added. Your text is still in the box; reload to see where the round stands.",
		link: roundURL(id, ""), linkText: "Where the round stands"}
}

// afterChange shows the round as it now stands: the panel for htmx, a
// redirect for a plain form (post/redirect/get).
func (h *Handlers) afterChange(c echo.Context, id uint, notice string) error {
	if !isPartial(c) {
		return c.Redirect(http.StatusSeeOther, roundURL(id, ""))
	}
	st, err := h.loadRound(c)
	if err != nil {
		return err
	}
	if _, ok := st.eng.Current(); !ok {
		return redirect(c, roundURL(id, "/report"))
	}
	return h.renderRound(c, st, http.StatusOK, "", notice, "")
}

// keepDraft saves the text typed for a slot, if the slot is still the
// current one.
func (h *Handlers) keepDraft(ctx context.Context, u models.User, id uint, pos, step int, text string) error {
	if utf8.RuneCountInString(text) > maxDraftChars {
		return &userError{status: http.StatusRequestEntityTooLarge,
			msg: fmt.Sprintf("The draft is over %s characters, so it was not saved. Your text is still in the box.", thousands(maxDraftChars))}
	}
	err := h.Store.ChangeRound(ctx, u.ID, id, func(v models.RoundView) (models.RoundChange, error) {
		eng, err := h.engineOf(v)
		if err != nil {
			return models.RoundChange{}, err
		}
		if err := eng.CheckSlot(pos, step); err != nil {
			return models.RoundChange{}, err
		}
		return models.RoundChange{Draft: &models.Draft{Position: pos, Step: step, Text: text}, Position: eng.Position(), Now: h.Now()}, nil
	})
	switch {
	case errors.Is(err, interview.ErrRoundOver):
		return roundClosed(id, "your draft")
	case errors.Is(err, interview.ErrStaleSlot):
		return &userError{status: http.StatusConflict,
			msg: "This question was already answered, so the draft was not saved. Your text is still in the box."}
	case err != nil && !isDomainError(err):
		return notSaved("draft", err)
	}
	return err
}

// maxDraftChars bounds a draft: twice an answer, so an answer a little too
// long is still kept as a draft to shorten, and no draft grows without end.
const maxDraftChars = 2 * grader.MaxAnswerChars

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
	if err := h.keepDraft(c.Request().Context(), currentUser(c), id, pos, step, c.FormValue("answer")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// skip records the current question or follow-up as skipped. A skipped
// question counts 0.
func (h *Handlers) skip(c echo.Context) error {
	id, err := h.roundID(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	ctx := c.Request().Context()
	if err := h.settle(ctx, u, id); err != nil {
		return err
	}
	pos, step, ok := slotInput(c)
	if !ok {
		return echo.NewHTTPError(http.StatusBadRequest, "The form is missing the question it skips. Reload the page.")
	}
	err = h.Store.ChangeRound(ctx, u.ID, id, func(v models.RoundView) (models.RoundChange, error) {
		eng, err := h.engineOf(v)
		if err != nil {
			return models.RoundChange{}, err
		}
		rec, err := eng.Skip(pos, step)
		if err != nil {
			return models.RoundChange{}, err
		}
		ch := h.moveOn(eng, u)
		ch.Insert = h.newTurn(v.Round, eng.Question(pos), rec)
		return ch, nil
	})
	switch {
	case errors.Is(err, interview.ErrRoundOver):
		return roundClosed(id, "the skip")
	case errors.Is(err, interview.ErrStaleSlot), errors.Is(err, models.ErrConflict):
		return h.afterChange(c, id, "That question was already answered or skipped; here is where the round stands.")
	case err != nil:
		return err
	}
	return h.afterChange(c, id, "")
}

// endRound finishes the round early: every stored answer counts (one
// still pending is graded first), questions never reached are not scored.
func (h *Handlers) endRound(c echo.Context) error {
	id, err := h.roundID(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	ctx := c.Request().Context()
	// An answer stored between the grading and the lock is graded on the
	// next pass; three passes cover a user answering as fast as they end.
	for range 3 {
		if err := h.settle(ctx, u, id); err != nil {
			return err
		}
		err = h.Store.ChangeRound(ctx, u.ID, id, func(v models.RoundView) (models.RoundChange, error) {
			eng, err := h.engineOf(v)
			if err != nil {
				return models.RoundChange{}, err
			}
			if err := eng.End(); err != nil {
				return models.RoundChange{}, err
			}
			return h.finishChange(eng, u), nil
		})
		if !errors.Is(err, interview.ErrPending) {
			break
		}
	}
	if err != nil && !errors.Is(err, interview.ErrRoundOver) {
		return err
	}
	return redirect(c, roundURL(id, "/report"))
}

// answerTooSoon answers an answer over a rate limit (limit says which,
// e.g. "30 answers a minute"): the round as it stands, with a notice
// beside the answer form saying how long to wait and the answer still in
// the box (429; htmx swaps it in place, see static/app.js). Nothing is
// stored: a request over the limit writes nothing.
func (h *Handlers) answerTooSoon(limit string) rateDenied {
	return func(c echo.Context, wait time.Duration) error {
		id, err := h.roundID(c)
		if err != nil {
			return err
		}
		st, err := h.loadRoundByID(c.Request().Context(), currentUser(c).ID, id)
		if err != nil {
			return err
		}
		slot, open := st.eng.Current()
		if !open {
			return tooMany("answers")(c, wait)
		}
		typed := ""
		if pos, step, ok := slotInput(c); ok && slot.Position == pos && slot.Step == step {
			typed = c.FormValue("answer")
		}
		c.Response().Header().Set(swapInlineHeader, "1")
		return h.renderRoundWait(c, st, typed, fmt.Sprintf("You are answering faster than this server allows (%s). "+
			"Wait %s and submit again: your answer is still in the box.", limit, waitText(wait)))
	}
}

// swapInlineHeader marks an error response that htmx should swap into
// place like a success (static/app.js): a page that explains itself where
// the user is looking, rather than in the flash area.
const swapInlineHeader = "X-Swap-Inline"
