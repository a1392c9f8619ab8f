package handlers

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/mockround/mockround/interview"
	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/models"
)

// maxImport bounds an uploaded export (a year of practice is a few MB);
// importLimit is the same bound for the request body.
const (
	maxImport   = 64 << 20
	importLimit = "65M"
)

// exportJSON downloads all of the user's data as JSON.
func (h *Handlers) exportJSON(c echo.Context) error {
	now := h.Now()
	e, err := h.Store.ExportData(c.Request().Context(), currentUser(c).ID, now)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="mockround-%s.json"`, now.Format("2006-01-02")))
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	c.Response().WriteHeader(http.StatusOK)
	enc := json.NewEncoder(c.Response())
	enc.SetIndent("", "  ")
	return enc.Encode(e)
}

// csvHeader names the columns of the CSV export: one row per answer, the
// overall then every dimension after "status".
var csvHeader = slices.Concat([]string{
	"round_id", "round_type", "stack", "round_level", "round_started_at", "position", "step", "question_id", "area",
	"skill", "level", "prompt", "answer", "status", "overall"}, grader.DimensionNames, []string{
	"grader", "llm_error", "answered_at", "adjusted_by_you", "original_overall",
})

// exportCSV downloads one row per answer.
func (h *Handlers) exportCSV(c echo.Context) error {
	now := h.Now()
	e, err := h.Store.ExportData(c.Request().Context(), currentUser(c).ID, now)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="mockround-%s.csv"`, now.Format("2006-01-02")))
	c.Response().Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	if err := w.Write(csvHeader); err != nil {
		return err
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
	for _, r := range e.Rounds {
		for _, t := range r.Answers {
			row := []string{
				strconv.FormatUint(uint64(r.ID), 10), csvSafe(r.Type), csvSafe(r.Stack), csvSafe(r.Level), r.StartedAt.Format("2006-01-02T15:04:05Z07:00"),
				strconv.Itoa(t.Position), strconv.Itoa(t.Step), csvSafe(t.QuestionID), csvSafe(t.Area), csvSafe(t.Skill), csvSafe(t.Level),
				csvSafe(t.Prompt), csvSafe(t.Answer), csvSafe(t.Status), f(t.Scores.Overall),
			}
			for _, n := range grader.DimensionNames {
				row = append(row, f(t.Scores.Get(n)))
			}
			row = append(row, csvSafe(t.Grader), csvSafe(llmError(t.Evidence)), t.AnsweredAt.Format("2006-01-02T15:04:05Z07:00"), "", "")
			// The scores are the learner's adjusted ones; the grader's own
			// overall stays beside them.
			if t.OriginalScores != nil {
				row[len(row)-2], row[len(row)-1] = "yes", f(t.OriginalScores.Overall)
			}
			if err := w.Write(row); err != nil {
				return err
			}
		}
	}
	w.Flush()
	return w.Error()
}

// llmError is why a model did not grade an answer, from its evidence: a
// fallback grade is marked in the export too.
func llmError(evidence json.RawMessage) string {
	var e struct {
		LLMError string `json:"llm_error"`
	}
	if len(evidence) == 0 || json.Unmarshal(evidence, &e) != nil {
		return ""
	}
	return e.LLMError
}

// csvSafe keeps a spreadsheet from running a cell as a formula: every text
// cell goes through it (an imported file can put anything in any of them).
// A cell starting with = + - @, a tab or a line break gets a leading quote
// (OWASP's CSV injection advice).
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r\n", rune(s[0])) {
		return "'" + s
	}
	return s
}

// importJSON restores an export into the user's empty account.
func (h *Handlers) importJSON(c echo.Context) error {
	fh, err := c.FormFile("file")
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "Choose a mockround JSON export to import.")
	}
	if fh.Size > maxImport {
		return &userError{status: http.StatusRequestEntityTooLarge, link: "/dashboard#your-data", linkText: "Back to your data",
			msg: "That file is larger than any export mockround writes, so nothing was imported. Pick the JSON file that Download JSON saved."}
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	var e models.Export
	dec := json.NewDecoder(io.LimitReader(f, maxImport))
	if err := dec.Decode(&e); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "That file is not a mockround JSON export.")
	}
	err = e.Validate(h.importRules())
	if err == nil {
		err = h.Store.ImportData(c.Request().Context(), currentUser(c).ID, e)
	}
	switch {
	case errors.Is(err, models.ErrConflict):
		return &userError{status: http.StatusConflict, link: "/dashboard#your-data", linkText: "Back to your data",
			msg: "Your account already has practice data, and an export is only imported into an empty account, so nothing was imported. To move this export here, use an account with no rounds yet."}
	case errors.Is(err, models.ErrInvalid):
		msg := "That file is not a valid mockround export."
		if m, ok := models.UserMessage(err); ok {
			msg = "That file is not a valid mockround export: " + m
		}
		return echo.NewHTTPError(http.StatusBadRequest, msg)
	case err != nil:
		return err
	}
	return redirect(c, "/dashboard")
}

// importRules are the app's vocabularies and the bank, for checking an
// imported file.
func (h *Handlers) importRules() models.ImportRules {
	types := make([]string, 0, 4)
	for _, t := range []interview.RoundType{interview.TypeScreening, interview.TypeFull, interview.TypeDrill, interview.TypeReview} {
		types = append(types, string(t))
	}
	return models.ImportRules{
		Types: types, Stacks: append(slices.Clone(interview.Stacks), interview.MixedStack), Levels: interview.Levels, Areas: interview.Areas,
		Feedback:  []string{interview.FeedbackStudy, interview.FeedbackInterview},
		Question:  func(id string) bool { _, ok := h.Bank.Question(id); return ok },
		Skill:     func(skill string) bool { return len(h.Bank.BySkill(skill)) > 0 },
		MaxPerDay: MaxPlanDaily, MaxPlanDays: interview.PlanDays,
		MaxAnswerChars: grader.MaxAnswerChars, MaxJobDescriptionChars: interview.MaxJobDescriptionChars,
		MaxSpeakingSeconds: interview.MaxSpeakingSeconds,
	}
}
