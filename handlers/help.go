package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/mockround/mockround/interview"
	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/srs"
	"github.com/mockround/mockround/views"
)

// help explains the scores, the review ratings, retention and readiness.
func (h *Handlers) help(c echo.Context) error {
	u := currentUser(c)
	return render(c, http.StatusOK, views.HelpPageView(h.helpPage(c, fmt.Sprintf("%.2f", u.DesiredRetention), "", c.QueryParam("saved") == "1")))
}

func (h *Handlers) helpPage(c echo.Context, retention, errMsg string, saved bool) views.HelpPage {
	return views.HelpPage{
		Layout:     h.layout(c, "How scoring works", "help"),
		AgainBelow: num(srs.AgainBelow), HardBelow: num(srs.HardBelow), GoodBelow: num(srs.GoodBelow),
		Retention: retention, MinRet: fmt.Sprintf("%.2f", srs.MinRetention), MaxRet: fmt.Sprintf("%.2f", srs.MaxRetention),
		Error: errMsg, Saved: saved,
		ReadyRounds: interview.ReadyRounds, ReadyAvg: num(interview.ReadyAverage), CoreMin: num(interview.CoreAreaMin),
		Budgets: speakingBudgetRows(),
		Held:    holds(grader.Held),
	}
}

// holds writes the grader's holds for the help page.
func holds(h grader.Holds) views.Holds {
	return views.Holds{
		Misconception: num(h.Misconception), Contradiction: num(h.Contradiction), Salad: num(h.Salad),
		Confident: num(h.Confident), Denials: num(h.Denials), FewPoints: num(h.FewPoints), Waiver: num(h.Waiver), Praised: num(h.Praised), Plain: num(h.Plain),
		Brief: num(h.Brief), Story: num(h.Story), Digressed: num(h.Digressed), Talky: num(h.Talky),
		Injection:          num(h.Injection),
		NoTradeoffNoNumber: num(h.NoTradeoffNoNumber), NoTradeoff: num(h.NoTradeoff), FewSpecifics: num(h.FewSpecifics),
		Complete: num(h.Complete), Whole: num(h.Whole), Detailed: num(h.Detailed),
		BriefWords: strconv.Itoa(h.BriefWords), DetailedWords: strconv.Itoa(h.DetailedWords), DetailedConcrete: strconv.Itoa(h.DetailedConcrete),
		DenialsMin: strconv.Itoa(h.DenialsMin), DenialsPer100: num(h.DenialsPer100), WaiverWords: strconv.Itoa(h.WaiverWords),
	}
}

// speakingBudgetRows lists the speaking budgets for the help page.
func speakingBudgetRows() []views.PaceRow {
	rows := []struct {
		what     string
		kind     string
		followUp bool
	}{
		{"Screening", "screening", false},
		{"System design", "system-design", false},
		{"Behavioral", "behavioral", false},
		{"Follow-up", "screening", true},
		{"System design follow-up", "system-design", true},
	}
	out := make([]views.PaceRow, len(rows))
	for i, r := range rows {
		b := interview.SpeakingBudgetFor(r.kind, r.followUp)
		under, over := b.Far()
		out[i] = views.PaceRow{What: r.what, Budget: speakingBudget(b), FarUnder: under, FarOver: over}
	}
	return out
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// setRetention saves the user's desired retention.
func (h *Handlers) setRetention(c echo.Context) error {
	raw := strings.TrimSpace(c.FormValue("retention"))
	r, err := strconv.ParseFloat(raw, 64)
	if err == nil {
		err = srs.ValidateRetention(r)
	}
	if err != nil {
		msg := fmt.Sprintf("Enter a number from %.2f to %.2f, such as 0.90.", srs.MinRetention, srs.MaxRetention)
		return render(c, http.StatusUnprocessableEntity, views.HelpPageView(h.helpPage(c, raw, msg, false)))
	}
	if err := h.Store.SetRetention(c.Request().Context(), currentUser(c).ID, r); err != nil {
		return err
	}
	return redirect(c, "/help?saved=1#retention")
}
