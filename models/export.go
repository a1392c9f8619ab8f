package models

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/mockround/mockround/interview/grader"
	"gorm.io/gorm"
)

// ExportFormat names mockround's export files; ExportVersion their shape.
const (
	ExportFormat  = "mockround-export"
	ExportVersion = 1
)

// Export is all of a user's data, as a JSON file they can keep or import
// into another mockround. Ids are the exporting database's: they only link
// rows inside the file.
type Export struct {
	Format     string         `json:"format"`
	Version    int            `json:"version"`
	ExportedAt time.Time      `json:"exported_at"`
	User       ExportUser     `json:"user"`
	Rounds     []ExportRound  `json:"rounds"`
	Cards      []ExportCard   `json:"cards"`
	Reviews    []ExportReview `json:"review_log"`
	DrillPlans []ExportPlan   `json:"drill_plans"`
}

// ExportUser is the user's profile and settings.
type ExportUser struct {
	Name             string  `json:"name"`
	Email            string  `json:"email"`
	DesiredRetention float64 `json:"desired_retention"`
}

// ExportScores are the overall score and the six dimensions.
type ExportScores struct {
	Overall float64 `json:"overall"`
	grader.Dimensions
}

// ExportRound is a round with its answers.
type ExportRound struct {
	ID             uint         `json:"id"`
	Type           string       `json:"type"`
	Stack          string       `json:"stack"`
	Level          string       `json:"level"`
	Area           string       `json:"area,omitempty"`
	Feedback       string       `json:"feedback"`
	QuestionIDs    []string     `json:"question_ids"`
	Technologies   []string     `json:"technologies"`
	JobDescription string       `json:"job_description,omitempty"`
	Seed           int64        `json:"seed"`
	Position       int          `json:"position"`
	Status         string       `json:"status"`
	Scores         ExportScores `json:"scores"`
	DrillPlanID    *uint        `json:"drill_plan_id,omitempty"`
	StartedAt      time.Time    `json:"started_at"`
	FinishedAt     *time.Time   `json:"finished_at,omitempty"`
	Answers        []ExportTurn `json:"answers"`
}

// ExportTurn is one answer with its grade and evidence.
type ExportTurn struct {
	Position   int             `json:"position"`
	Step       int             `json:"step"`
	QuestionID string          `json:"question_id"`
	Area       string          `json:"area"`
	Skill      string          `json:"skill"`
	Level      string          `json:"level"`
	Prompt     string          `json:"prompt"`
	Answer     string          `json:"answer"`
	Status     string          `json:"status"`
	Scores     ExportScores    `json:"scores"`
	Grader     string          `json:"grader"`
	Evidence   json.RawMessage `json:"evidence,omitempty"`
	// Adjusted is the grade re-scored with the learner's disputes ("adjusted
	// by you"): Scores are then its scores, Evidence and OriginalScores
	// the grader's own.
	Adjusted       json.RawMessage `json:"adjusted,omitempty"`
	OriginalScores *ExportScores   `json:"original_scores,omitempty"`
	FollowUp       string          `json:"followup,omitempty"`
	Final          bool            `json:"final"`
	AnsweredAt     time.Time       `json:"answered_at"`
	// Dictated and SpeakingSeconds say the answer was given by voice.
	Dictated        bool `json:"dictated,omitempty"`
	SpeakingSeconds int  `json:"speaking_seconds,omitempty"`
}

// ExportCard is a skill's FSRS state.
type ExportCard struct {
	Skill         string     `json:"skill"`
	Due           time.Time  `json:"due"`
	Stability     float64    `json:"stability"`
	Difficulty    float64    `json:"difficulty"`
	ElapsedDays   int64      `json:"elapsed_days"`
	ScheduledDays int64      `json:"scheduled_days"`
	Reps          int64      `json:"reps"`
	Lapses        int64      `json:"lapses"`
	State         int        `json:"state"`
	LastReview    *time.Time `json:"last_review,omitempty"`
	LearnedLapses int64      `json:"learned_lapses"`
}

// ExportReview is one entry of the review log.
type ExportReview struct {
	Skill         string    `json:"skill"`
	RoundID       *uint     `json:"round_id,omitempty"`
	Score         float64   `json:"score"`
	Rating        int       `json:"rating"`
	State         int       `json:"state"`
	Due           time.Time `json:"due"`
	Stability     float64   `json:"stability"`
	Difficulty    float64   `json:"difficulty"`
	ElapsedDays   int64     `json:"elapsed_days"`
	ScheduledDays int64     `json:"scheduled_days"`
	ReviewedAt    time.Time `json:"reviewed_at"`
}

// ExportPlan is a drill plan.
type ExportPlan struct {
	ID          uint       `json:"id"`
	Area        string     `json:"area"`
	Stack       string     `json:"stack"`
	Level       string     `json:"level"`
	Days        int        `json:"days"`
	PerDay      int        `json:"per_day"`
	StartDay    time.Time  `json:"start_day"`
	Status      string     `json:"status"`
	Baseline    float64    `json:"baseline"`
	HasBaseline bool       `json:"has_baseline"`
	EndedAt     *time.Time `json:"ended_at,omitempty"`
}

func exportScores(s Scores) ExportScores { return ExportScores(s) }

func importScores(s ExportScores) Scores { return Scores(s) }

// ExportData reads all of a user's data.
func (s *Store) ExportData(ctx context.Context, userID uint, now time.Time) (Export, error) {
	db := s.db.WithContext(ctx)
	e := Export{Format: ExportFormat, Version: ExportVersion, ExportedAt: now,
		Rounds: []ExportRound{}, Cards: []ExportCard{}, Reviews: []ExportReview{}, DrillPlans: []ExportPlan{}}
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return e, err
	}
	e.User = ExportUser{Name: u.Name, Email: u.Email, DesiredRetention: u.DesiredRetention}
	var rounds []Round
	if err := db.Where("user_id = ?", userID).Order("started_at, id").Find(&rounds).Error; err != nil {
		return e, fmt.Errorf("export rounds: %w", err)
	}
	var turns []Turn
	if err := db.Where("user_id = ?", userID).Order("round_id, position, step").Find(&turns).Error; err != nil {
		return e, fmt.Errorf("export turns: %w", err)
	}
	byRound := map[uint][]ExportTurn{}
	for _, t := range turns {
		et := ExportTurn{Position: t.Position, Step: t.Step, QuestionID: t.QuestionID, Area: t.Area, Skill: t.Skill,
			Level: t.Level, Prompt: t.Prompt, Answer: t.Answer, Status: t.Status, Scores: exportScores(t.Scores),
			Grader: t.Grader, FollowUp: t.FollowUp, Final: t.Final, AnsweredAt: t.AnsweredAt,
			Dictated: t.Dictated, SpeakingSeconds: t.SpeakingSeconds}
		if json.Valid([]byte(t.Evidence)) {
			et.Evidence = json.RawMessage(t.Evidence)
		}
		if t.AdjustedEvidence != "" && json.Valid([]byte(t.AdjustedEvidence)) {
			et.Adjusted = json.RawMessage(t.AdjustedEvidence)
			et.OriginalScores = originalScores(t.Evidence)
		}
		byRound[t.RoundID] = append(byRound[t.RoundID], et)
	}
	for _, r := range rounds {
		answers := byRound[r.ID]
		if answers == nil {
			answers = []ExportTurn{}
		}
		e.Rounds = append(e.Rounds, ExportRound{ID: r.ID, Type: r.Type, Stack: r.Stack, Level: r.Level, Area: r.Area,
			Feedback: r.Feedback, QuestionIDs: nonNil(r.QuestionIDs), Technologies: nonNil(r.Technologies),
			JobDescription: r.JobDescription, Seed: r.Seed, Position: r.Position, Status: r.Status,
			Scores: exportScores(r.Scores), DrillPlanID: r.DrillPlanID, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt,
			Answers: answers})
	}
	var cards []SkillCard
	if err := db.Where("user_id = ?", userID).Order("skill").Find(&cards).Error; err != nil {
		return e, fmt.Errorf("export cards: %w", err)
	}
	for _, c := range cards {
		e.Cards = append(e.Cards, ExportCard{Skill: c.Skill, Due: c.Due, Stability: c.Stability, Difficulty: c.Difficulty,
			ElapsedDays: c.ElapsedDays, ScheduledDays: c.ScheduledDays, Reps: c.Reps, Lapses: c.Lapses, State: c.State,
			LastReview: c.LastReview, LearnedLapses: c.LearnedLapses})
	}
	var logs []ReviewLog
	if err := db.Where("user_id = ?", userID).Order("reviewed_at, id").Find(&logs).Error; err != nil {
		return e, fmt.Errorf("export reviews: %w", err)
	}
	for _, l := range logs {
		e.Reviews = append(e.Reviews, ExportReview{Skill: l.Skill, RoundID: l.RoundID, Score: l.Score, Rating: l.Rating,
			State: l.State, Due: l.Due, Stability: l.Stability, Difficulty: l.Difficulty, ElapsedDays: l.ElapsedDays,
			ScheduledDays: l.ScheduledDays, ReviewedAt: l.ReviewedAt})
	}
	var plans []DrillPlan
	if err := db.Where("user_id = ?", userID).Order("id").Find(&plans).Error; err != nil {
		return e, fmt.Errorf("export plans: %w", err)
	}
	for _, p := range plans {
		e.DrillPlans = append(e.DrillPlans, ExportPlan{ID: p.ID, Area: p.Area, Stack: p.Stack, Level: p.Level, Days: p.Days,
			PerDay: p.PerDay, StartDay: p.StartDay, Status: p.Status, Baseline: p.Baseline, HasBaseline: p.HasBaseline, EndedAt: p.EndedAt})
	}
	return e, nil
}

func nonNil(l StringList) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// ImportData restores an export into the user's account, which must hold
// no rounds, cards or plans yet (ErrConflict otherwise). Everything goes in
// one transaction: a bad file changes nothing.
func (s *Store) ImportData(ctx context.Context, userID uint, e Export) error {
	// The shape is checked here whatever the caller did; the handler also
	// checks the vocabularies and the bank (Validate with full rules).
	if err := e.Validate(ImportRules{}); err != nil {
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		for _, m := range []any{&Round{}, &SkillCard{}, &DrillPlan{}} {
			if err := tx.Model(m).Where("user_id = ?", userID).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return fmt.Errorf("the account already has practice data: %w", ErrConflict)
			}
		}
		if e.User.DesiredRetention > 0 {
			if err := tx.Model(&User{}).Where("id = ?", userID).Update("desired_retention", e.User.DesiredRetention).Error; err != nil {
				return err
			}
		}
		planIDs := map[uint]uint{}
		for _, p := range e.DrillPlans {
			row := DrillPlan{UserID: userID, Area: p.Area, Stack: p.Stack, Level: p.Level, Days: p.Days, PerDay: p.PerDay,
				StartDay: p.StartDay, Status: p.Status, Baseline: p.Baseline, HasBaseline: p.HasBaseline, EndedAt: p.EndedAt}
			if err := tx.Create(&row).Error; err != nil {
				return fmt.Errorf("import plan: %w", err)
			}
			planIDs[p.ID] = row.ID
		}
		roundIDs := map[uint]uint{}
		for _, r := range e.Rounds {
			row := Round{UserID: userID, Type: r.Type, Stack: r.Stack, Level: r.Level, Area: r.Area, Feedback: r.Feedback,
				QuestionIDs: r.QuestionIDs, Technologies: r.Technologies, JobDescription: r.JobDescription, Seed: r.Seed,
				Position: r.Position, Status: r.Status, Scores: importScores(r.Scores), StartedAt: r.StartedAt, FinishedAt: r.FinishedAt}
			if r.DrillPlanID != nil {
				id, ok := planIDs[*r.DrillPlanID]
				if !ok {
					return invalidf("round %d names drill plan %d, not in the file", r.ID, *r.DrillPlanID)
				}
				row.DrillPlanID = &id
			}
			if err := tx.Create(&row).Error; err != nil {
				return fmt.Errorf("import round: %w", err)
			}
			roundIDs[r.ID] = row.ID
			turns := make([]Turn, 0, len(r.Answers))
			for _, t := range r.Answers {
				turns = append(turns, Turn{RoundID: row.ID, UserID: userID, Position: t.Position, Step: t.Step,
					QuestionID: t.QuestionID, Area: t.Area, Skill: t.Skill, Level: t.Level, Prompt: t.Prompt,
					Answer: t.Answer, Status: t.Status, Scores: importScores(t.Scores), Evidence: string(t.Evidence), AdjustedEvidence: string(t.Adjusted),
					Grader: t.Grader, FollowUp: t.FollowUp, Final: t.Final, AnsweredAt: t.AnsweredAt,
					Dictated: t.Dictated, SpeakingSeconds: t.SpeakingSeconds})
			}
			if len(turns) > 0 {
				if err := tx.CreateInBatches(turns, 200).Error; err != nil {
					return fmt.Errorf("import answers: %w", err)
				}
			}
			if err := addFinalTurns(tx, turns); err != nil {
				return err
			}
		}
		cardIDs := map[string]uint{}
		for _, c := range e.Cards {
			row := SkillCard{UserID: userID, Skill: c.Skill, Due: c.Due, Stability: c.Stability, Difficulty: c.Difficulty,
				ElapsedDays: c.ElapsedDays, ScheduledDays: c.ScheduledDays, Reps: c.Reps, Lapses: c.Lapses, State: c.State,
				LastReview: c.LastReview, LearnedLapses: c.LearnedLapses}
			if err := tx.Create(&row).Error; err != nil {
				return fmt.Errorf("import card %s: %w", c.Skill, err)
			}
			cardIDs[c.Skill] = row.ID
		}
		for _, l := range e.Reviews {
			cardID, ok := cardIDs[l.Skill]
			if !ok {
				return invalidf("review of %s has no card in the file", l.Skill)
			}
			row := ReviewLog{UserID: userID, SkillCardID: cardID, Skill: l.Skill, Score: l.Score, Rating: l.Rating,
				State: l.State, Due: l.Due, Stability: l.Stability, Difficulty: l.Difficulty, ElapsedDays: l.ElapsedDays,
				ScheduledDays: l.ScheduledDays, ReviewedAt: l.ReviewedAt}
			if l.RoundID != nil {
				if id, ok := roundIDs[*l.RoundID]; ok {
					row.RoundID = &id
				}
			}
			if err := tx.Create(&row).Error; err != nil {
				return fmt.Errorf("import review: %w", err)
			}
		}
		// Files do not carry the counts: work them out from the answers.
		return backfillRoundCounts(tx, "user_id = ? AND status = ?", userID, RoundFinished)
	})
}

// originalScores are the grader's own scores, from a turn's evidence.
func originalScores(evidence string) *ExportScores {
	var e struct {
		Overall    float64      `json:"overall"`
		Dimensions ExportScores `json:"dimensions"`
	}
	if json.Unmarshal([]byte(evidence), &e) != nil {
		return nil
	}
	s := e.Dimensions
	s.Overall = e.Overall
	return &s
}
