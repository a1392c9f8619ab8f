package models

import (
	"context"
	"fmt"
	"time"
)

// RoundPoint is a finished round as the dashboard plots it.
type RoundPoint struct {
	ID         uint
	Type       string
	Stack      string
	Level      string
	FinishedAt time.Time
	Scores     `gorm:"embedded"`
}

// AreaLevelScore is the average final score of a user's questions in an
// area at a level.
type AreaLevelScore struct {
	Area  string
	Level string
	Avg   float64
	N     int
}

// SkillAverage is the average final score of a skill and when it was last
// practised.
type SkillAverage struct {
	Skill string
	Area  string
	Avg   float64
	N     int
	Last  Timestamp
}

// DueCard is a card's skill and due time.
type DueCard struct {
	Skill string
	Due   time.Time
}

// Dashboard is everything the dashboard shows, read in a fixed number of
// queries whatever the length of the history.
type Dashboard struct {
	Rounds     []RoundPoint
	AreaLevels []AreaLevelScore
	Skills     []SkillAverage
	Due        []DueCard
	Plan       *DrillPlan
	PlanRounds []DrillRound
}

// DashboardQueries is how many queries DashboardData runs.
const DashboardQueries = 6

// finalTurns selects the turns that carry a question's final score: graded
// and not followed by another follow-up.
const finalTurns = "user_id = ? AND status = 'graded' AND follow_up = ''"

// DashboardData reads the dashboard of a user: finished rounds, area and
// skill averages, cards due within horizon, and the active drill plan.
func (s *Store) DashboardData(ctx context.Context, userID uint, dueUntil time.Time) (Dashboard, error) {
	db := s.db.WithContext(ctx)
	var d Dashboard
	err := db.Model(&Round{}).
		Select("id, type, stack, level, finished_at, overall, accuracy, depth, tradeoffs, structure, specificity, communication").
		Where("user_id = ? AND status = ?", userID, RoundFinished).Order("finished_at, id").Scan(&d.Rounds).Error
	if err != nil {
		return d, fmt.Errorf("dashboard rounds: %w", err)
	}
	err = db.Model(&Turn{}).Select("area, level, AVG(overall) AS avg, COUNT(*) AS n").
		Where(finalTurns, userID).Group("area, level").Order("area, level").Scan(&d.AreaLevels).Error
	if err != nil {
		return d, fmt.Errorf("dashboard areas: %w", err)
	}
	err = db.Model(&Turn{}).Select("skill, MIN(area) AS area, AVG(overall) AS avg, COUNT(*) AS n, MAX(answered_at) AS last").
		Where(finalTurns, userID).Group("skill").Order("avg, skill").Scan(&d.Skills).Error
	if err != nil {
		return d, fmt.Errorf("dashboard skills: %w", err)
	}
	err = db.Model(&SkillCard{}).Select("skill, due").Where("user_id = ? AND due <= ?", userID, dueUntil).
		Order("due").Scan(&d.Due).Error
	if err != nil {
		return d, fmt.Errorf("dashboard due: %w", err)
	}
	var plans []DrillPlan
	if err := db.Where("user_id = ? AND status = ?", userID, PlanActive).Order("id DESC").Limit(1).Find(&plans).Error; err != nil {
		return d, fmt.Errorf("dashboard plan: %w", err)
	}
	err = db.Model(&Round{}).Select("id AS round_id, overall, finished_at").
		Where("status = ? AND drill_plan_id IN (?)", RoundFinished,
			db.Model(&DrillPlan{}).Select("id").Where("user_id = ? AND status = ?", userID, PlanActive)).
		Order("finished_at").Scan(&d.PlanRounds).Error
	if err != nil {
		return d, fmt.Errorf("dashboard plan rounds: %w", err)
	}
	if len(plans) > 0 {
		d.Plan = &plans[0]
	}
	return d, nil
}
