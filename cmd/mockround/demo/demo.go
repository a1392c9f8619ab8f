// Package demo fills an account with a realistic practice history, to try
// the dashboard and to benchmark it (mockround demo, and tests).
package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/mockround/mockround/interview"
	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/models"
)

// Demo fills an account with a realistic history: rounds on most days at
// rising levels, answers that get better with practice (graded for real,
// so every score has its evidence), the reviews those rounds record, and
// an active drill plan on the weakest area.
type Demo struct {
	Store *models.Store
	Bank  *grader.Bank
	Seed  uint64
}

// Fill writes days of history for the user, ending at now.
func (d Demo) Fill(ctx context.Context, u models.User, days int, now time.Time) error {
	if days < 1 {
		return fmt.Errorf("demo needs at least one day: %w", models.ErrInvalid)
	}
	rng := rand.New(rand.NewPCG(d.Seed, 0x64656d6f))
	grader := grader.NewGrader(d.Bank)
	apply := u.ReviewFunc()
	start := now.Add(-time.Duration(days) * 24 * time.Hour)
	var weakest string
	for day := 0; day < days; day++ {
		if rng.Float64() > 0.8 {
			continue // a day off
		}
		progress := float64(day) / math.Max(float64(days-1), 1)
		level := levelAt(progress, days)
		rounds := 1
		if rng.Float64() < 0.25 {
			rounds = 2
		}
		for k := 0; k < rounds; k++ {
			at := start.Add(time.Duration(day)*24*time.Hour + time.Duration(9+4*k+rng.IntN(3))*time.Hour)
			typ, area := interview.TypeScreening, ""
			switch x := rng.Float64(); {
			case x < 0.25:
				typ, area = interview.TypeDrill, demoAreas[rng.IntN(len(demoAreas))]
			case x < 0.4:
				typ = interview.TypeFull
			}
			stack := "go"
			if rng.Float64() < 0.2 {
				stack = "python"
			}
			plan, err := interview.PlanRound(d.Bank, interview.Setup{Stack: stack, Level: level, Type: typ, Area: area, Seed: int64(rng.Uint64() >> 1)})
			if errors.Is(err, interview.ErrBadSetup) {
				continue // a bank without questions for this setup
			}
			if err != nil {
				return err
			}
			if err := d.round(ctx, u, grader, apply, rng, plan, typ, stack, level, area, at, progress, nil); err != nil {
				return err
			}
		}
	}
	// An active drill plan on the weakest area, begun three days ago.
	avg, err := d.Store.DashboardData(ctx, u.ID, now)
	if err != nil {
		return err
	}
	lowest := map[string]float64{}
	for _, a := range avg.AreaLevels {
		if l, ok := lowest[a.Area]; !ok || a.Avg < l {
			lowest[a.Area] = a.Avg
		}
	}
	weakest = interview.WeakestArea(lowest)
	if weakest == "" || days < 4 {
		return nil
	}
	// A language is drilled in its own stack.
	stack := "go"
	if interview.Languages[weakest] {
		stack = weakest
	}
	planStart := now.Add(-3 * 24 * time.Hour)
	before, n, err := d.Store.AreaAverage(ctx, u.ID, weakest, planStart)
	if err != nil {
		return err
	}
	p := models.DrillPlan{UserID: u.ID, Area: weakest, Stack: stack, Level: levelAt(1, days), Days: interview.PlanDays, PerDay: 1,
		StartDay: planStart, Status: models.PlanActive, Baseline: before, HasBaseline: n > 0}
	if err := d.Store.CreateDrillPlan(ctx, &p); err != nil {
		return err
	}
	for day := 0; day < 3; day++ {
		at := planStart.Add(time.Duration(day)*24*time.Hour + 20*time.Hour)
		plan, err := interview.PlanRound(d.Bank, interview.Setup{Stack: stack, Level: p.Level, Type: interview.TypeDrill, Area: weakest, Seed: int64(day + 1)})
		if errors.Is(err, interview.ErrBadSetup) {
			continue
		}
		if err != nil {
			return err
		}
		if err := d.round(ctx, u, grader, apply, rng, plan, interview.TypeDrill, stack, p.Level, weakest, at, 1, &p.ID); err != nil {
			return err
		}
	}
	return nil
}

var demoAreas = []string{"databases", "caching", "apis", "concurrency", "system-design"}

// levelAt is the demo learner's level along the history: junior, then
// middle, then senior; short histories stay at middle.
func levelAt(progress float64, days int) string {
	switch {
	case days < 30:
		return "middle"
	case progress < 0.34:
		return "junior"
	case progress < 0.67:
		return "middle"
	default:
		return "senior"
	}
}

// round answers a planned round the way a learner at this point of the
// history would, grades it and stores it with its reviews.
func (d Demo) round(ctx context.Context, u models.User, g *grader.Grader, apply models.ReviewFunc, rng *rand.Rand,
	plan interview.Plan, typ interview.RoundType, stack, level, area string, at time.Time, progress float64, planID *uint) error {
	questions := make([]*grader.Question, len(plan.Questions))
	outcomes := make([]interview.QuestionOutcome, len(plan.Questions))
	var turns []models.Turn
	for i, pq := range plan.Questions {
		q, _ := d.Bank.Question(pq.ID)
		questions[i] = q
		ability := 4.6 + 3.4*progress + 0.8*math.Sin(float64(len(q.Area))) + rng.NormFloat64()*1.4
		res, err := g.Grade(q, demoAnswer(q, ability))
		if err != nil {
			return err
		}
		evidence, err := json.Marshal(res)
		if err != nil {
			return err
		}
		t := models.Turn{Position: i, QuestionID: q.ID, Area: q.Area, Skill: q.Skill, Level: level, Prompt: q.Prompt,
			Answer: demoAnswer(q, ability), Status: string(res.Status), Evidence: string(evidence), Grader: res.Grader,
			AnsweredAt: at.Add(time.Duration(i*3) * time.Minute)}
		if res.Graded() {
			t.Scores = models.Scores{Overall: res.Overall, Dimensions: res.Dimensions}
			t.Final = true
			outcomes[i] = interview.QuestionOutcome{Outcome: interview.Answered, Counted: true, Graded: true, Overall: res.Overall, Dimensions: res.Dimensions}
		} else {
			outcomes[i] = interview.QuestionOutcome{Outcome: interview.Answered, Counted: true}
		}
		turns = append(turns, t)
	}
	overall, dims, _ := interview.Totals(outcomes)
	finished := at.Add(time.Duration(len(turns)*3+2) * time.Minute)
	r := models.Round{UserID: u.ID, Type: string(typ), Stack: stack, Level: level, Area: area, Feedback: interview.FeedbackStudy,
		QuestionIDs: plan.IDs(), Seed: at.UnixNano(), Position: len(turns), Status: models.RoundFinished,
		Answered: len(turns), Complete: true,
		StartedAt: at, FinishedAt: &finished, DrillPlanID: planID,
		Scores: models.Scores{Overall: overall, Dimensions: dims}}
	var skills []models.SkillScore
	for _, s := range interview.SkillScores(questions, outcomes) {
		skills = append(skills, models.SkillScore{Skill: s.Skill, Score: s.Score})
	}
	return d.Store.InsertFinishedRound(ctx, &r, turns, &models.Reviews{Skills: skills, Apply: apply})
}

// demoAnswer is what a learner of this ability says: the model answer, the
// first half of it, or the one-liner.
func demoAnswer(q *grader.Question, ability float64) string {
	switch {
	case ability >= 7.5:
		return q.ModelAnswer
	case ability >= 5.5:
		sentences := strings.SplitAfter(strings.TrimSpace(q.ModelAnswer), ". ")
		return strings.Join(sentences[:max(1, len(sentences)/2)], "")
	default:
		return q.ShallowAnswer
	}
}
