package models

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/srs"
)

// ImportRules are what an imported file is checked against beyond its
// shape: the app's vocabularies and the question bank. An empty list or
// a nil func leaves that check out (the store checks the shape alone).
type ImportRules struct {
	Types, Stacks, Levels, Areas, Feedback []string
	// Question reports a question id of the bank; Skill a skill of it.
	Question func(id string) bool
	Skill    func(skill string) bool
	// MaxPerDay bounds a drill plan's drills a day; MaxPlanDays its days.
	MaxPerDay, MaxPlanDays int
	// MaxAnswerChars and MaxJobDescriptionChars bound those texts.
	MaxAnswerChars, MaxJobDescriptionChars int
	// MaxSpeakingSeconds bounds a dictated answer's speaking time.
	MaxSpeakingSeconds int
}

// Limits of an imported file that hold whatever the rules: column sizes,
// score scale, FSRS ranges.
const (
	importMaxSteps     = 20
	importMaxShortText = 20
	importMaxAreaText  = 40
	importMaxLongText  = 100_000
	importMaxScore     = 10
	importMaxIDs       = 100
)

// importCheck gathers an import's problems, each naming its field.
type importCheck struct {
	r    ImportRules
	errs []string
}

func (c *importCheck) bad(field, format string, args ...any) {
	c.errs = append(c.errs, field+": "+fmt.Sprintf(format, args...))
}

// text checks a string: valid UTF-8, no NUL (PostgreSQL refuses both),
// at most max characters.
func (c *importCheck) text(field, s string, max int) bool {
	switch {
	case !utf8.ValidString(s):
		c.bad(field, "not valid UTF-8 text")
	case strings.ContainsRune(s, 0):
		c.bad(field, "contains a NUL character")
	case utf8.RuneCountInString(s) > max:
		c.bad(field, "longer than %d characters", max)
	default:
		return true
	}
	return false
}

// oneOf checks a value against a list; an empty list takes any short text.
func (c *importCheck) oneOf(field, v string, list []string, max int) {
	if !c.text(field, v, max) {
		return
	}
	if len(list) > 0 && !slices.Contains(list, v) {
		c.bad(field, "%q is not one of %s", v, strings.Join(list, ", "))
	} else if len(list) == 0 && v == "" {
		c.bad(field, "missing")
	}
}

func (c *importCheck) score(field string, v float64) {
	if math.IsNaN(v) || v < 0 || v > importMaxScore {
		c.bad(field, "%v is not a score from 0 to %d", v, importMaxScore)
	}
}

func (c *importCheck) scores(field string, s ExportScores) {
	c.score(field+".overall", s.Overall)
	for _, name := range grader.DimensionNames {
		c.score(field+"."+name, s.Get(name))
	}
}

func (c *importCheck) count(field string, v, lo, hi int64) {
	if v < lo || v > hi {
		c.bad(field, "%d is not from %d to %d", v, lo, hi)
	}
}

// Validate checks every field of an export against the rules, so that what
// is imported is what the app itself could have stored: the first problems
// found are returned as one ErrInvalid whose message names each field.
func (e Export) Validate(r ImportRules) error {
	c := &importCheck{r: r}
	r.MaxPlanDays = or0(r.MaxPlanDays, 366)
	r.MaxPerDay = or0(r.MaxPerDay, 100)
	r.MaxAnswerChars = or0(r.MaxAnswerChars, importMaxLongText)
	r.MaxJobDescriptionChars = or0(r.MaxJobDescriptionChars, importMaxLongText)
	r.MaxSpeakingSeconds = or0(r.MaxSpeakingSeconds, 24*60*60)
	if e.Format != ExportFormat || e.Version != ExportVersion {
		return invalidf("not a mockround export (format %q version %d)", e.Format, e.Version)
	}
	if ret := e.User.DesiredRetention; ret != 0 && (math.IsNaN(ret) || ret < srs.MinRetention || ret > srs.MaxRetention) {
		c.bad("user.desired_retention", "%v is not from %.2f to %.2f", ret, srs.MinRetention, srs.MaxRetention)
	}
	c.text("user.name", e.User.Name, 200)
	c.text("user.email", e.User.Email, 320)

	plans := map[uint]bool{}
	active := 0
	for i, p := range e.DrillPlans {
		f := fmt.Sprintf("drill_plans[%d]", i)
		if plans[p.ID] {
			c.bad(f+".id", "%d appears twice", p.ID)
		}
		plans[p.ID] = true
		c.oneOf(f+".area", p.Area, r.Areas, importMaxAreaText)
		c.oneOf(f+".stack", p.Stack, r.Stacks, importMaxShortText)
		c.oneOf(f+".level", p.Level, r.Levels, importMaxShortText)
		c.oneOf(f+".status", p.Status, []string{PlanActive, PlanDone, PlanAbandoned}, importMaxShortText)
		if p.Status == PlanActive {
			active++
		}
		c.count(f+".days", int64(p.Days), 1, int64(r.MaxPlanDays))
		c.count(f+".per_day", int64(p.PerDay), 1, int64(r.MaxPerDay))
		if p.HasBaseline {
			c.score(f+".baseline", p.Baseline)
		}
		if p.StartDay.IsZero() {
			c.bad(f+".start_day", "missing")
		}
	}
	if active > 1 {
		c.bad("drill_plans", "%d plans are active: at most one may be", active)
	}

	rounds := map[uint]bool{}
	for i, rd := range e.Rounds {
		f := fmt.Sprintf("rounds[%d]", i)
		if rounds[rd.ID] {
			c.bad(f+".id", "%d appears twice", rd.ID)
		}
		rounds[rd.ID] = true
		c.oneOf(f+".type", rd.Type, r.Types, importMaxShortText)
		c.oneOf(f+".stack", rd.Stack, r.Stacks, importMaxShortText)
		c.oneOf(f+".level", rd.Level, r.Levels, importMaxShortText)
		if rd.Area != "" {
			c.oneOf(f+".area", rd.Area, r.Areas, importMaxAreaText)
		}
		c.oneOf(f+".feedback", rd.Feedback, r.Feedback, importMaxShortText)
		c.oneOf(f+".status", rd.Status, []string{RoundActive, RoundFinished}, importMaxShortText)
		if len(rd.QuestionIDs) == 0 || len(rd.QuestionIDs) > importMaxIDs {
			c.bad(f+".question_ids", "%d questions, want 1 to %d", len(rd.QuestionIDs), importMaxIDs)
		}
		for j, q := range rd.QuestionIDs {
			if c.text(fmt.Sprintf("%s.question_ids[%d]", f, j), q, 200) && r.Question != nil && !r.Question(q) {
				c.bad(fmt.Sprintf("%s.question_ids[%d]", f, j), "%q is not a question of this bank", q)
			}
		}
		for j, t := range rd.Technologies {
			c.text(fmt.Sprintf("%s.technologies[%d]", f, j), t, importMaxAreaText)
		}
		c.text(f+".job_description", rd.JobDescription, r.MaxJobDescriptionChars)
		c.count(f+".position", int64(rd.Position), 0, int64(len(rd.QuestionIDs)))
		c.scores(f+".scores", rd.Scores)
		if rd.DrillPlanID != nil && !plans[*rd.DrillPlanID] {
			c.bad(f+".drill_plan_id", "plan %d is not in the file", *rd.DrillPlanID)
		}
		if rd.StartedAt.IsZero() {
			c.bad(f+".started_at", "missing")
		}
		slots := map[[2]int]bool{}
		finals := map[int]bool{}
		for j, t := range rd.Answers {
			g := fmt.Sprintf("%s.answers[%d]", f, j)
			if t.Position < 0 || t.Position >= len(rd.QuestionIDs) {
				c.bad(g+".position", "%d is not a question of the round (0 to %d)", t.Position, len(rd.QuestionIDs)-1)
			} else if t.QuestionID != rd.QuestionIDs[t.Position] {
				c.bad(g+".question_id", "%q is not the round's question at position %d", t.QuestionID, t.Position)
			}
			c.count(g+".step", int64(t.Step), 0, importMaxSteps)
			if t.Dictated {
				c.count(g+".speaking_seconds", int64(t.SpeakingSeconds), 0, int64(r.MaxSpeakingSeconds))
			} else if t.SpeakingSeconds != 0 {
				c.bad(g+".speaking_seconds", "a typed answer has no speaking time")
			}
			slot := [2]int{t.Position, t.Step}
			if slots[slot] {
				c.bad(g, "position %d step %d appears twice", t.Position, t.Step)
			}
			slots[slot] = true
			if t.Final {
				if finals[t.Position] {
					c.bad(g+".final", "position %d has two final answers", t.Position)
				}
				finals[t.Position] = true
			}
			if c.text(g+".skill", t.Skill, 200) && r.Skill != nil && !r.Skill(t.Skill) {
				c.bad(g+".skill", "%q is not a skill of this bank", t.Skill)
			}
			c.oneOf(g+".area", t.Area, r.Areas, importMaxAreaText)
			c.oneOf(g+".level", t.Level, r.Levels, importMaxShortText)
			c.oneOf(g+".status", t.Status, []string{TurnPending, TurnGraded, TurnInsufficient, TurnSkipped}, importMaxShortText)
			c.text(g+".grader", t.Grader, 40)
			c.text(g+".prompt", t.Prompt, importMaxLongText)
			c.text(g+".answer", t.Answer, r.MaxAnswerChars)
			c.text(g+".followup", t.FollowUp, importMaxLongText)
			c.text(g+".evidence", string(t.Evidence), importMaxLongText)
			c.text(g+".adjusted", string(t.Adjusted), importMaxLongText)
			c.scores(g+".scores", t.Scores)
			if t.AnsweredAt.IsZero() {
				c.bad(g+".answered_at", "missing")
			}
		}
	}

	cards := map[string]bool{}
	for i, cd := range e.Cards {
		f := fmt.Sprintf("cards[%d]", i)
		if cards[cd.Skill] {
			c.bad(f+".skill", "%q has two cards", cd.Skill)
		}
		cards[cd.Skill] = true
		if c.text(f+".skill", cd.Skill, 200) && r.Skill != nil && !r.Skill(cd.Skill) {
			c.bad(f+".skill", "%q is not a skill of this bank", cd.Skill)
		}
		c.fsrs(f, cd.State, cd.Stability, cd.Difficulty, cd.ElapsedDays, cd.ScheduledDays)
		c.count(f+".reps", cd.Reps, 0, 1_000_000)
		c.count(f+".lapses", cd.Lapses, 0, 1_000_000)
		c.count(f+".learned_lapses", cd.LearnedLapses, 0, 1_000_000)
		if cd.Due.IsZero() {
			c.bad(f+".due", "missing")
		}
	}
	for i, l := range e.Reviews {
		f := fmt.Sprintf("review_log[%d]", i)
		if !cards[l.Skill] {
			c.bad(f+".skill", "%q has no card in the file", l.Skill)
		}
		if l.RoundID != nil && !rounds[*l.RoundID] {
			c.bad(f+".round_id", "round %d is not in the file", *l.RoundID)
		}
		c.count(f+".rating", int64(l.Rating), 1, 4)
		c.score(f+".score", l.Score)
		c.fsrs(f, l.State, l.Stability, l.Difficulty, l.ElapsedDays, l.ScheduledDays)
		if l.ReviewedAt.IsZero() {
			c.bad(f+".reviewed_at", "missing")
		}
	}
	if len(c.errs) == 0 {
		return nil
	}
	if len(c.errs) > 5 {
		c.errs = append(c.errs[:5], fmt.Sprintf("and %d more", len(c.errs)-5))
	}
	return invalidf("%s", strings.Join(c.errs, "; "))
}

func or0(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// fsrs checks FSRS state: a state of the four, finite non-negative
// stability, difficulty from 0 to 10, bounded day counts.
func (c *importCheck) fsrs(f string, state int, stability, difficulty float64, elapsed, scheduled int64) {
	c.count(f+".state", int64(state), 0, 3)
	if math.IsNaN(stability) || math.IsInf(stability, 0) || stability < 0 || stability > 1e6 {
		c.bad(f+".stability", "%v is out of range", stability)
	}
	if math.IsNaN(difficulty) || difficulty < 0 || difficulty > 10 {
		c.bad(f+".difficulty", "%v is not from 0 to 10", difficulty)
	}
	// Elapsed days can be negative in the app's own data (a review dated
	// before the last one): only their size is bounded.
	c.count(f+".elapsed_days", elapsed, -100_000, 100_000)
	c.count(f+".scheduled_days", scheduled, 0, 100_000)
}
