package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// SkillCard is a user's FSRS card for one skill.
type SkillCard struct {
	ID            uint `gorm:"primaryKey"`
	UserID        uint
	Skill         string
	Due           time.Time
	Stability     float64 `gorm:"type:double precision"`
	Difficulty    float64 `gorm:"type:double precision"`
	ElapsedDays   int64
	ScheduledDays int64
	Reps          int64
	Lapses        int64
	State         int
	LastReview    *time.Time
	LearnedLapses int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// ReviewLog is one review of a skill card, written once per (round, skill).
type ReviewLog struct {
	ID            uint `gorm:"primaryKey"`
	UserID        uint
	SkillCardID   uint
	RoundID       *uint
	Skill         string
	Score         float64 `gorm:"type:double precision"`
	Rating        int
	State         int
	Due           time.Time
	Stability     float64 `gorm:"type:double precision"`
	Difficulty    float64 `gorm:"type:double precision"`
	ElapsedDays   int64
	ScheduledDays int64
	ReviewedAt    time.Time
}

// SkillScore is a skill's score in a round.
type SkillScore struct {
	Skill string
	Score float64
}

// ReviewFunc schedules one review: it gets the card as stored (a new card
// has ID 0) and returns the card after the review and its log entry.
type ReviewFunc func(card SkillCard, score float64, now time.Time) (SkillCard, ReviewLog)

// Reviews are the reviews a finishing round records.
type Reviews struct {
	Skills []SkillScore
	Apply  ReviewFunc
}

// recordReviews writes one review per skill of a round. Callers hold the
// user's row lock (lockUser), so two rounds finishing at once for the same
// user apply their reviews one after the other and neither is lost. A
// (round, skill) already reviewed is left alone, so a replayed finish
// records nothing twice.
func recordReviews(tx *gorm.DB, userID, roundID uint, rv Reviews, now time.Time) error {
	if len(rv.Skills) == 0 {
		return nil
	}
	skills := make([]string, len(rv.Skills))
	for i, s := range rv.Skills {
		skills[i] = s.Skill
	}
	var cards []SkillCard
	if err := tx.Where("user_id = ? AND skill IN ?", userID, skills).Find(&cards).Error; err != nil {
		return fmt.Errorf("load cards: %w", err)
	}
	bySkill := make(map[string]SkillCard, len(cards))
	for _, c := range cards {
		bySkill[c.Skill] = c
	}
	var done []string
	if err := tx.Model(&ReviewLog{}).Where("round_id = ?", roundID).Pluck("skill", &done).Error; err != nil {
		return fmt.Errorf("load reviews of round %d: %w", roundID, err)
	}
	reviewed := map[string]bool{}
	for _, s := range done {
		reviewed[s] = true
	}
	for _, s := range rv.Skills {
		if reviewed[s.Skill] {
			continue
		}
		card, ok := bySkill[s.Skill]
		if !ok {
			card = SkillCard{UserID: userID, Skill: s.Skill}
		}
		next, log := rv.Apply(card, s.Score, now)
		next.ID, next.UserID, next.Skill, next.LearnedLapses, next.CreatedAt = card.ID, userID, s.Skill, card.LearnedLapses, card.CreatedAt
		if err := tx.Save(&next).Error; err != nil {
			return fmt.Errorf("save card %s: %w", s.Skill, err)
		}
		rid := roundID
		log.UserID, log.SkillCardID, log.RoundID, log.Skill, log.Score = userID, next.ID, &rid, s.Skill, s.Score
		if err := tx.Create(&log).Error; err != nil {
			return fmt.Errorf("log review %s: %w", s.Skill, err)
		}
	}
	return nil
}

// Cards returns all of the user's skill cards.
func (s *Store) Cards(ctx context.Context, userID uint) ([]SkillCard, error) {
	var cs []SkillCard
	if err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("skill").Find(&cs).Error; err != nil {
		return nil, fmt.Errorf("cards: %w", err)
	}
	return cs, nil
}

// DueCards returns the user's cards due at or before until.
func (s *Store) DueCards(ctx context.Context, userID uint, until time.Time) ([]SkillCard, error) {
	var cs []SkillCard
	err := s.db.WithContext(ctx).Where("user_id = ? AND due <= ?", userID, until).Order("due, skill").Find(&cs).Error
	if err != nil {
		return nil, fmt.Errorf("due cards: %w", err)
	}
	return cs, nil
}

// CountDue counts the user's cards due at or before until.
func (s *Store) CountDue(ctx context.Context, userID uint, until time.Time) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&SkillCard{}).Where("user_id = ? AND due <= ?", userID, until).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("count due: %w", err)
	}
	return int(n), nil
}

// Card returns one of the user's cards by skill.
func (s *Store) Card(ctx context.Context, userID uint, skill string) (SkillCard, error) {
	var c SkillCard
	err := s.db.WithContext(ctx).Where("user_id = ? AND skill = ?", userID, skill).First(&c).Error
	return c, notFound(err, "card %q", skill)
}

// ReviewLogs returns the user's reviews of a skill, oldest first.
func (s *Store) ReviewLogs(ctx context.Context, userID uint, skill string) ([]ReviewLog, error) {
	var ls []ReviewLog
	err := s.db.WithContext(ctx).Where("user_id = ? AND skill = ?", userID, skill).Order("reviewed_at, id").Find(&ls).Error
	if err != nil {
		return nil, fmt.Errorf("review logs: %w", err)
	}
	return ls, nil
}

// MarkLearned records that the user went through a leech's learn step.
func (s *Store) MarkLearned(ctx context.Context, userID uint, skill string) error {
	res := s.db.WithContext(ctx).Model(&SkillCard{}).Where("user_id = ? AND skill = ?", userID, skill).
		Update("learned_lapses", gorm.Expr("lapses"))
	if res.Error != nil {
		return fmt.Errorf("mark learned: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("card %q: %w", skill, ErrNotFound)
	}
	return nil
}

// LastQuestions returns, per skill, the question the user answered last
// in it, so a review can ask a different one.
func (s *Store) LastQuestions(ctx context.Context, userID uint, skills []string) (map[string]string, error) {
	if len(skills) == 0 {
		return map[string]string{}, nil
	}
	var rows []struct {
		Skill      string
		QuestionID string
	}
	// The newest main-question turn per skill.
	err := s.db.WithContext(ctx).Raw(`
		SELECT t.skill, t.question_id FROM turns t
		JOIN (SELECT skill, MAX(id) AS id FROM turns WHERE user_id = ? AND step = 0 AND skill IN ? GROUP BY skill) last
		  ON last.id = t.id`, userID, skills).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("last questions: %w", err)
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.Skill] = r.QuestionID
	}
	return out, nil
}

// SkillState is one of the user's skill cards with the score of its latest
// review, for the review page's list of every skill.
type SkillState struct {
	Card      SkillCard
	LastScore float64
	HasScore  bool
}

// SkillStates returns every card of the user, soonest due first, each
// with its latest review's score: two queries, whatever the number of
// skills.
func (s *Store) SkillStates(ctx context.Context, userID uint) ([]SkillState, error) {
	var cards []SkillCard
	db := s.db.WithContext(ctx)
	if err := db.Where("user_id = ?", userID).Order("due, skill").Find(&cards).Error; err != nil {
		return nil, fmt.Errorf("skill cards: %w", err)
	}
	var last []struct {
		Skill string
		Score float64
	}
	err := db.Raw(`
		SELECT l.skill, l.score FROM review_logs l
		JOIN (SELECT skill, MAX(id) AS id FROM review_logs WHERE user_id = ? GROUP BY skill) latest
		  ON latest.id = l.id`, userID).Scan(&last).Error
	if err != nil {
		return nil, fmt.Errorf("last review scores: %w", err)
	}
	scores := make(map[string]float64, len(last))
	for _, l := range last {
		scores[l.Skill] = l.Score
	}
	out := make([]SkillState, len(cards))
	for i, c := range cards {
		score, ok := scores[c.Skill]
		out[i] = SkillState{Card: c, LastScore: score, HasScore: ok}
	}
	return out, nil
}
