package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Dispute is a learner's "I think this grade is wrong" on one item of a
// turn's grade: a missed key point they made (Sentence is theirs), or a
// red flag or contradiction misread. Target is the key point's id or the
// red flag's text; TargetText is what the item says, for the bank's
// maintainers.
type Dispute struct {
	ID         uint `gorm:"primaryKey"`
	UserID     uint
	RoundID    uint
	TurnID     uint
	QuestionID string
	// Position is the question's place in the round: a dispute holds for
	// the later answers to its follow-ups too.
	Position   int
	Kind       string
	Target     string
	TargetText string
	Sentence   string
	CreatedAt  time.Time
}

// Rereview is a skill's new score in a finished round: its review in that
// round is redone.
type Rereview struct {
	Skill string
	Score float64
	Apply ReviewFunc
}

// RoundDisputes are the disputes of the user's round, oldest first.
func (s *Store) RoundDisputes(ctx context.Context, userID, roundID uint) ([]Dispute, error) {
	var ds []Dispute
	err := s.db.WithContext(ctx).Where("user_id = ? AND round_id = ?", userID, roundID).Order("id").Find(&ds).Error
	if err != nil {
		return nil, fmt.Errorf("disputes of round %d: %w", roundID, err)
	}
	return ds, nil
}

// AllDisputes lists every dispute, of every user, by question then age:
// what the bank's maintainers read to fix a rubric.
func (s *Store) AllDisputes(ctx context.Context) ([]Dispute, error) {
	var ds []Dispute
	if err := s.db.WithContext(ctx).Order("question_id, id").Find(&ds).Error; err != nil {
		return nil, fmt.Errorf("disputes: %w", err)
	}
	return ds, nil
}

// adjustTurn stores a turn's adjusted grade and its new dispute inside
// ChangeRound; the grader's own evidence is left as it is.
func adjustTurn(tx *gorm.DB, r Round, t Turn, d *Dispute, now time.Time) error {
	var old Turn
	err := tx.Select("id", "overall", "final", "skill", "level", "question_id", "position").
		Where("round_id = ? AND position = ? AND step = ? AND status = ?", r.ID, t.Position, t.Step, TurnGraded).First(&old).Error
	if err != nil {
		return notFound(err, "graded turn %d.%d of round %d", t.Position, t.Step, r.ID)
	}
	if d != nil {
		d.ID, d.UserID, d.RoundID, d.TurnID, d.QuestionID, d.Position, d.CreatedAt = 0, r.UserID, r.ID, old.ID, old.QuestionID, old.Position, now
		err := tx.Create(d).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return &UserError{Kind: ErrConflict, Msg: "you already disputed that"}
		}
		if err != nil {
			return fmt.Errorf("record dispute: %w", err)
		}
	}
	err = tx.Model(&Turn{}).Where("id = ?", old.ID).Updates(t.Scores.withColumns(map[string]any{
		"adjusted_evidence": t.AdjustedEvidence, "updated_at": now,
	})).Error
	if err != nil {
		return fmt.Errorf("adjust turn %d: %w", old.ID, err)
	}
	if old.Final {
		err := tx.Model(&SkillStat{}).Where("user_id = ? AND skill = ? AND level = ?", r.UserID, old.Skill, old.Level).
			Update("sum", gorm.Expr("sum + ?", t.Overall-old.Overall)).Error
		if err != nil {
			return fmt.Errorf("adjust skill stats: %w", err)
		}
	}
	return nil
}

// redoReview redoes the review a finished round gave a skill, from the
// skill's new score in it: the card is replayed from its first review with
// every logged score (this round's replaced), so the reviews after it
// follow too. A round that gave the skill no review changes nothing.
func redoReview(tx *gorm.DB, userID, roundID uint, rr Rereview) error {
	var logs []ReviewLog
	if err := tx.Where("user_id = ? AND skill = ?", userID, rr.Skill).Order("reviewed_at, id").Find(&logs).Error; err != nil {
		return fmt.Errorf("review logs of %s: %w", rr.Skill, err)
	}
	found := false
	for _, l := range logs {
		found = found || (l.RoundID != nil && *l.RoundID == roundID)
	}
	if !found {
		return nil
	}
	var stored SkillCard
	if err := tx.Where("user_id = ? AND skill = ?", userID, rr.Skill).First(&stored).Error; err != nil {
		return notFound(err, "card %q", rr.Skill)
	}
	card := SkillCard{UserID: userID, Skill: rr.Skill}
	for _, l := range logs {
		score := l.Score
		if l.RoundID != nil && *l.RoundID == roundID {
			score = rr.Score
		}
		next, nl := rr.Apply(card, score, l.ReviewedAt)
		next.UserID, next.Skill = userID, rr.Skill
		err := tx.Model(&ReviewLog{}).Where("id = ?", l.ID).Updates(map[string]any{
			"score": score, "rating": nl.Rating, "state": nl.State, "due": nl.Due, "stability": nl.Stability,
			"difficulty": nl.Difficulty, "elapsed_days": nl.ElapsedDays, "scheduled_days": nl.ScheduledDays,
		}).Error
		if err != nil {
			return fmt.Errorf("redo review %d: %w", l.ID, err)
		}
		card = next
	}
	card.ID, card.LearnedLapses, card.CreatedAt = stored.ID, stored.LearnedLapses, stored.CreatedAt
	if err := tx.Save(&card).Error; err != nil {
		return fmt.Errorf("save card %s: %w", rr.Skill, err)
	}
	return nil
}
