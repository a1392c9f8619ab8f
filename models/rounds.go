package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Round statuses.
const (
	RoundActive   = "active"
	RoundFinished = "finished"
)

// Turn statuses.
const (
	TurnPending      = "pending" // stored, not graded yet
	TurnGraded       = "graded"
	TurnInsufficient = "insufficient"
	TurnSkipped      = "skipped"
)

// Round is one practice session: its setup, its planned questions and, once
// finished, its scores.
type Round struct {
	ID             uint `gorm:"primaryKey"`
	UserID         uint
	Type           string
	Stack          string
	Level          string
	Area           string
	Feedback       string
	QuestionIDs    StringList `gorm:"type:text"`
	Technologies   StringList `gorm:"type:text"`
	JobDescription string
	Seed           int64
	// Position is the index of the current question.
	Position int
	Status   string
	Scores   `gorm:"embedded"`
	// DrillPlanID links a drill round to its week-long plan.
	DrillPlanID *uint
	StartedAt   time.Time
	FinishedAt  *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Finished reports whether the round is over.
func (r Round) Finished() bool { return r.Status == RoundFinished }

// Turn is one answer: to a question (Step 0) or to a follow-up (Step 1, 2).
// Prompt keeps what was asked, so old reports survive edits to the bank.
type Turn struct {
	ID         uint `gorm:"primaryKey"`
	RoundID    uint
	UserID     uint
	Position   int
	Step       int
	QuestionID string
	Area       string
	Skill      string
	Level      string
	Prompt     string
	Answer     string
	Status     string
	Scores     `gorm:"embedded"`
	// Evidence is the grader's result as JSON.
	Evidence string
	Grader   string
	// FollowUp is what the interviewer chose to ask after this turn.
	FollowUp string
	// Final marks the turn whose grade is its question's final score.
	Final      bool
	AnsweredAt time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Draft is the unsent text of an answer, saved as the user types.
type Draft struct {
	ID        uint `gorm:"primaryKey"`
	UserID    uint
	RoundID   uint
	Position  int
	Step      int
	Text      string
	UpdatedAt time.Time
}

// CreateRound stores a new round.
func (s *Store) CreateRound(ctx context.Context, r *Round) error {
	if err := s.db.WithContext(ctx).Create(r).Error; err != nil {
		return fmt.Errorf("create round: %w", err)
	}
	return nil
}

// Round returns a round of the user; another user's round is ErrNotFound.
func (s *Store) Round(ctx context.Context, userID, roundID uint) (Round, error) {
	var r Round
	err := s.db.WithContext(ctx).Where("id = ? AND user_id = ?", roundID, userID).First(&r).Error
	return r, notFound(err, "round %d", roundID)
}

// RoundView is a round with its turns.
type RoundView struct {
	Round Round
	Turns []Turn
}

// RoundWithTurns loads a round of the user and its turns in order.
func (s *Store) RoundWithTurns(ctx context.Context, userID, roundID uint) (RoundView, error) {
	var v RoundView
	r, err := s.Round(ctx, userID, roundID)
	if err != nil {
		return v, err
	}
	v.Round = r
	if err := s.db.WithContext(ctx).Where("round_id = ?", roundID).Order("position, step").Find(&v.Turns).Error; err != nil {
		return v, fmt.Errorf("turns of round %d: %w", roundID, err)
	}
	return v, nil
}

// DraftFor returns the draft of a slot, or nil.
func (s *Store) DraftFor(ctx context.Context, userID, roundID uint, position, step int) (*Draft, error) {
	var d Draft
	err := s.db.WithContext(ctx).
		Where("round_id = ? AND user_id = ? AND position = ? AND step = ?", roundID, userID, position, step).
		Limit(1).Find(&d).Error
	if err != nil {
		return nil, fmt.Errorf("draft: %w", err)
	}
	if d.ID == 0 {
		return nil, nil
	}
	return &d, nil
}

// SaveDraft keeps the text typed so far for a slot of the user's round.
func (s *Store) SaveDraft(ctx context.Context, userID, roundID uint, position, step int, text string, now time.Time) error {
	if _, err := s.Round(ctx, userID, roundID); err != nil {
		return err
	}
	d := Draft{UserID: userID, RoundID: roundID, Position: position, Step: step, Text: text, UpdatedAt: now}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "round_id"}, {Name: "position"}, {Name: "step"}},
		DoUpdates: clause.AssignmentColumns([]string{"text", "updated_at"}),
	}).Create(&d).Error
	if err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	return nil
}

// RecordAnswer stores an answer before it is graded. A second answer for
// the same slot (a double submit, a retry) is ErrConflict and stores
// nothing.
func (s *Store) RecordAnswer(ctx context.Context, t *Turn) error {
	err := s.db.WithContext(ctx).Create(t).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return fmt.Errorf("answer for round %d slot %d.%d: %w", t.RoundID, t.Position, t.Step, ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("record answer: %w", err)
	}
	return nil
}

// Progress is how a graded turn moves its round on.
type Progress struct {
	// Advance moves the round to the next question.
	Advance bool
	// Finish ends the round with these totals.
	Finish *Scores
	// Reviews are recorded when the round finishes, in the same
	// transaction: a round is finished if and only if its reviews are in.
	Reviews *Reviews
	// FinalTurns are the turns whose grades are their questions' final
	// scores, marked as the round leaves those questions.
	FinalTurns []uint
	Now        time.Time
}

// SaveGrade stores a turn's grade, drops its draft and moves the round on,
// in one transaction. The position only moves if it is still where the
// turn was answered, so a replayed request cannot skip a question.
func (s *Store) SaveGrade(ctx context.Context, t Turn, p Progress) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Model(&Turn{}).Where("id = ? AND user_id = ?", t.ID, t.UserID).Updates(map[string]any{
			"status": t.Status, "overall": t.Overall, "accuracy": t.Accuracy, "depth": t.Depth,
			"tradeoffs": t.Tradeoffs, "structure": t.Structure, "specificity": t.Specificity,
			"communication": t.Communication, "evidence": t.Evidence, "grader": t.Grader,
			"follow_up": t.FollowUp, "updated_at": p.Now,
		}).Error
		if err != nil {
			return fmt.Errorf("save grade: %w", err)
		}
		if err := tx.Where("round_id = ? AND position = ? AND step = ?", t.RoundID, t.Position, t.Step).Delete(&Draft{}).Error; err != nil {
			return fmt.Errorf("drop draft: %w", err)
		}
		return moveRound(tx, t.RoundID, t.UserID, t.Position, p)
	})
}

// moveRound advances and/or finishes a round inside a transaction.
func moveRound(tx *gorm.DB, roundID, userID uint, position int, p Progress) error {
	updates := map[string]any{"updated_at": p.Now}
	if p.Advance {
		updates["position"] = position + 1
	}
	if p.Finish != nil {
		updates["status"] = RoundFinished
		updates["finished_at"] = p.Now
		updates["overall"] = p.Finish.Overall
		updates["accuracy"] = p.Finish.Accuracy
		updates["depth"] = p.Finish.Depth
		updates["tradeoffs"] = p.Finish.Tradeoffs
		updates["structure"] = p.Finish.Structure
		updates["specificity"] = p.Finish.Specificity
		updates["communication"] = p.Finish.Communication
	}
	if len(updates) == 1 {
		return nil
	}
	q := tx.Model(&Round{}).Where("id = ? AND user_id = ? AND status = ?", roundID, userID, RoundActive)
	if p.Advance {
		q = q.Where("position = ?", position)
	}
	res := q.Updates(updates)
	if res.Error != nil {
		return fmt.Errorf("move round %d: %w", roundID, res.Error)
	}
	if len(p.FinalTurns) > 0 && res.RowsAffected == 1 {
		if err := markFinal(tx, roundID, p.FinalTurns); err != nil {
			return err
		}
	}
	// Only the request that actually finished the round records reviews.
	if p.Finish != nil && p.Reviews != nil && res.RowsAffected == 1 {
		return recordReviews(tx, userID, roundID, *p.Reviews, p.Now)
	}
	return nil
}

// markFinal marks turns as carrying their questions' final scores and adds
// those scores to the user's skill stats.
func markFinal(tx *gorm.DB, roundID uint, ids []uint) error {
	var turns []Turn
	err := tx.Select("id", "user_id", "skill", "area", "level", "overall").
		Where("id IN ? AND round_id = ? AND status = ? AND final = ?", ids, roundID, TurnGraded, false).Find(&turns).Error
	if err != nil {
		return fmt.Errorf("final turns: %w", err)
	}
	if len(turns) == 0 {
		return nil
	}
	if err := tx.Model(&Turn{}).Where("id IN ?", ids).Update("final", true).Error; err != nil {
		return fmt.Errorf("mark final turns: %w", err)
	}
	return addSkillStats(tx, turns)
}

// SkillStat is a running sum and count of a user's final scores in a
// skill at a level.
type SkillStat struct {
	UserID uint   `gorm:"primaryKey;autoIncrement:false"`
	Skill  string `gorm:"primaryKey"`
	Level  string `gorm:"primaryKey"`
	Area   string
	Sum    float64 `gorm:"type:double precision"`
	N      int
}

// addSkillStats adds final turns to the skill stats, one upsert per
// (skill, level).
func addSkillStats(tx *gorm.DB, turns []Turn) error {
	type key struct {
		user         uint
		skill, level string
	}
	acc := map[key]*SkillStat{}
	var order []key
	for _, t := range turns {
		k := key{t.UserID, t.Skill, t.Level}
		if acc[k] == nil {
			acc[k] = &SkillStat{UserID: t.UserID, Skill: t.Skill, Level: t.Level, Area: t.Area}
			order = append(order, k)
		}
		acc[k].Sum += t.Overall
		acc[k].N++
	}
	for _, k := range order {
		err := tx.Clauses(clause.OnConflict{
			Columns: []clause.Column{{Name: "user_id"}, {Name: "skill"}, {Name: "level"}},
			DoUpdates: clause.Assignments(map[string]any{
				"sum": gorm.Expr("skill_stats.sum + excluded.sum"),
				"n":   gorm.Expr("skill_stats.n + excluded.n"),
			}),
		}).Create(acc[k]).Error
		if err != nil {
			return fmt.Errorf("skill stats: %w", err)
		}
	}
	return nil
}

// addFinalTurns adds the turns marked final to the skill stats.
func addFinalTurns(tx *gorm.DB, turns []Turn) error {
	var final []Turn
	for _, t := range turns {
		if t.Final {
			final = append(final, t)
		}
	}
	return addSkillStats(tx, final)
}

// SkipSlot records a skipped question or follow-up and moves the round on.
func (s *Store) SkipSlot(ctx context.Context, t Turn, p Progress) error {
	t.Status = TurnSkipped
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Create(&t).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return fmt.Errorf("skip round %d slot %d.%d: %w", t.RoundID, t.Position, t.Step, ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("skip: %w", err)
		}
		if err := tx.Where("round_id = ? AND position = ? AND step = ?", t.RoundID, t.Position, t.Step).Delete(&Draft{}).Error; err != nil {
			return err
		}
		return moveRound(tx, t.RoundID, t.UserID, t.Position, p)
	})
}

// FinishRound ends a round early with its totals and reviews, marking
// the final turns of the questions answered.
func (s *Store) FinishRound(ctx context.Context, userID, roundID uint, totals Scores, reviews *Reviews, finalTurns []uint, now time.Time) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return moveRound(tx, roundID, userID, 0, Progress{Finish: &totals, Reviews: reviews, FinalTurns: finalTurns, Now: now})
	})
}

// ActiveRounds lists the user's unfinished rounds, newest first.
func (s *Store) ActiveRounds(ctx context.Context, userID uint) ([]Round, error) {
	var rs []Round
	err := s.db.WithContext(ctx).Where("user_id = ? AND status = ?", userID, RoundActive).
		Order("started_at DESC, id DESC").Limit(10).Find(&rs).Error
	if err != nil {
		return nil, fmt.Errorf("active rounds: %w", err)
	}
	return rs, nil
}

// RecentQuestionIDs returns the question ids of the user's last n rounds,
// for the planner to avoid.
func (s *Store) RecentQuestionIDs(ctx context.Context, userID uint, n int) (map[string]bool, error) {
	var lists []StringList
	err := s.db.WithContext(ctx).Model(&Round{}).Where("user_id = ?", userID).
		Order("started_at DESC, id DESC").Limit(n).Pluck("question_ids", &lists).Error
	if err != nil {
		return nil, fmt.Errorf("recent questions: %w", err)
	}
	out := map[string]bool{}
	for _, l := range lists {
		for _, id := range l {
			out[id] = true
		}
	}
	return out, nil
}

// StrongestStack is the stack of the user's best-scoring finished rounds,
// or "" with no history.
func (s *Store) StrongestStack(ctx context.Context, userID uint) (string, error) {
	var row struct {
		Stack string
	}
	err := s.db.WithContext(ctx).Model(&Round{}).Select("stack").
		Where("user_id = ? AND status = ?", userID, RoundFinished).
		Group("stack").Order("AVG(overall) DESC, COUNT(*) DESC, stack").Limit(1).Scan(&row).Error
	if err != nil {
		return "", fmt.Errorf("strongest stack: %w", err)
	}
	return row.Stack, nil
}

// DimensionAverages are the user's average scores over finished rounds.
func (s *Store) DimensionAverages(ctx context.Context, userID uint) (Scores, int, error) {
	var row struct {
		Scores
		N int
	}
	err := s.db.WithContext(ctx).Model(&Round{}).
		Select("AVG(overall) AS overall, AVG(accuracy) AS accuracy, AVG(depth) AS depth, AVG(tradeoffs) AS tradeoffs, "+
			"AVG(structure) AS structure, AVG(specificity) AS specificity, AVG(communication) AS communication, COUNT(*) AS n").
		Where("user_id = ? AND status = ?", userID, RoundFinished).Scan(&row).Error
	if err != nil {
		return Scores{}, 0, fmt.Errorf("dimension averages: %w", err)
	}
	return row.Scores, row.N, nil
}

// InsertFinishedRound stores a whole finished round at once: the round,
// its turns and its reviews, in one transaction. The demo history and
// imports use it.
func (s *Store) InsertFinishedRound(ctx context.Context, r *Round, turns []Turn, reviews *Reviews) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(r).Error; err != nil {
			return fmt.Errorf("insert round: %w", err)
		}
		for i := range turns {
			turns[i].RoundID = r.ID
			turns[i].UserID = r.UserID
		}
		if len(turns) > 0 {
			if err := tx.CreateInBatches(turns, 200).Error; err != nil {
				return fmt.Errorf("insert turns: %w", err)
			}
		}
		if err := addFinalTurns(tx, turns); err != nil {
			return err
		}
		if reviews != nil && r.FinishedAt != nil {
			return recordReviews(tx, r.UserID, r.ID, *reviews, *r.FinishedAt)
		}
		return nil
	})
}

// RegradeTurn stores a new grade for an answer: the turn's scores and
// evidence, the skill stats when the turn carries its question's final
// score, and the round's totals when the round is over.
func (s *Store) RegradeTurn(ctx context.Context, t Turn, oldOverall float64, roundTotals *Scores, now time.Time) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Turn{}).Where("id = ? AND user_id = ? AND status = ?", t.ID, t.UserID, TurnGraded).Updates(map[string]any{
			"overall": t.Overall, "accuracy": t.Accuracy, "depth": t.Depth, "tradeoffs": t.Tradeoffs,
			"structure": t.Structure, "specificity": t.Specificity, "communication": t.Communication,
			"evidence": t.Evidence, "grader": t.Grader, "updated_at": now,
		})
		if res.Error != nil {
			return fmt.Errorf("regrade turn %d: %w", t.ID, res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("turn %d: %w", t.ID, ErrNotFound)
		}
		if t.Final {
			err := tx.Model(&SkillStat{}).Where("user_id = ? AND skill = ? AND level = ?", t.UserID, t.Skill, t.Level).
				Update("sum", gorm.Expr("sum + ?", t.Overall-oldOverall)).Error
			if err != nil {
				return fmt.Errorf("regrade skill stats: %w", err)
			}
		}
		if roundTotals != nil {
			err := tx.Model(&Round{}).Where("id = ? AND user_id = ?", t.RoundID, t.UserID).Updates(map[string]any{
				"overall": roundTotals.Overall, "accuracy": roundTotals.Accuracy, "depth": roundTotals.Depth,
				"tradeoffs": roundTotals.Tradeoffs, "structure": roundTotals.Structure,
				"specificity": roundTotals.Specificity, "communication": roundTotals.Communication, "updated_at": now,
			}).Error
			if err != nil {
				return fmt.Errorf("regrade round totals: %w", err)
			}
		}
		return nil
	})
}
