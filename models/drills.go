package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Drill plan statuses.
const (
	PlanActive    = "active"
	PlanDone      = "done"
	PlanAbandoned = "abandoned"
)

// DrillPlan is a week of focused drills on one area.
type DrillPlan struct {
	ID          uint `gorm:"primaryKey"`
	UserID      uint
	Area        string
	Stack       string
	Level       string
	Days        int
	PerDay      int
	StartDay    time.Time
	Status      string
	Baseline    float64 `gorm:"type:double precision"`
	HasBaseline bool
	EndedAt     *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// DrillRound is a finished round of a plan.
type DrillRound struct {
	RoundID    uint
	Overall    float64
	FinishedAt time.Time
}

// AreaAverage is the average answer score of the user in an area before a
// time, and how many answers it covers.
func (s *Store) AreaAverage(ctx context.Context, userID uint, area string, before time.Time) (float64, int, error) {
	var row struct {
		Avg float64
		N   int
	}
	err := s.db.WithContext(ctx).Model(&Turn{}).Select("COALESCE(AVG(overall), 0) AS avg, COUNT(*) AS n").
		Where("user_id = ? AND final = ? AND area = ? AND answered_at < ?", userID, true, area, before).
		Scan(&row).Error
	if err != nil {
		return 0, 0, fmt.Errorf("area average: %w", err)
	}
	return row.Avg, row.N, nil
}

// CreateDrillPlan starts a plan; a user has one active plan at a time.
func (s *Store) CreateDrillPlan(ctx context.Context, p *DrillPlan) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&DrillPlan{}).Where("user_id = ? AND status = ?", p.UserID, PlanActive).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("an active drill plan exists: %w", ErrConflict)
		}
		return tx.Create(p).Error
	})
}

// ActiveDrillPlan returns the user's active plan and its finished rounds,
// or ErrNotFound.
func (s *Store) ActiveDrillPlan(ctx context.Context, userID uint) (DrillPlan, []DrillRound, error) {
	var p DrillPlan
	err := s.db.WithContext(ctx).Where("user_id = ? AND status = ?", userID, PlanActive).Order("id DESC").First(&p).Error
	if err != nil {
		return p, nil, notFound(err, "active drill plan")
	}
	rounds, err := s.drillRounds(ctx, p.ID)
	return p, rounds, err
}

func (s *Store) drillRounds(ctx context.Context, planID uint) ([]DrillRound, error) {
	var rs []DrillRound
	err := s.db.WithContext(ctx).Model(&Round{}).Select("id AS round_id, overall, finished_at").
		Where("drill_plan_id = ? AND status = ?", planID, RoundFinished).Order("finished_at").Scan(&rs).Error
	if err != nil {
		return nil, fmt.Errorf("drill rounds: %w", err)
	}
	return rs, nil
}

// DrillPlan returns one of the user's plans.
func (s *Store) DrillPlan(ctx context.Context, userID, planID uint) (DrillPlan, error) {
	var p DrillPlan
	err := s.db.WithContext(ctx).Where("id = ? AND user_id = ?", planID, userID).First(&p).Error
	return p, notFound(err, "drill plan %d", planID)
}

// PastDrillPlans lists the user's ended plans, newest first.
func (s *Store) PastDrillPlans(ctx context.Context, userID uint) ([]DrillPlan, error) {
	var ps []DrillPlan
	err := s.db.WithContext(ctx).Where("user_id = ? AND status <> ?", userID, PlanActive).Order("id DESC").Limit(20).Find(&ps).Error
	if err != nil {
		return nil, fmt.Errorf("past plans: %w", err)
	}
	return ps, nil
}

// EndDrillPlan marks a plan done or abandoned.
func (s *Store) EndDrillPlan(ctx context.Context, userID, planID uint, status string, now time.Time) error {
	if status != PlanDone && status != PlanAbandoned {
		return fmt.Errorf("plan status %q: %w", status, ErrInvalid)
	}
	res := s.db.WithContext(ctx).Model(&DrillPlan{}).Where("id = ? AND user_id = ? AND status = ?", planID, userID, PlanActive).
		Updates(map[string]any{"status": status, "ended_at": now})
	if res.Error != nil {
		return fmt.Errorf("end plan: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		if _, err := s.DrillPlan(ctx, userID, planID); err != nil {
			return err
		}
		return fmt.Errorf("plan %d is not active: %w", planID, ErrConflict)
	}
	return nil
}

// LastRoundSetup returns the stack and level of the user's latest round,
// or empty strings without one.
func (s *Store) LastRoundSetup(ctx context.Context, userID uint) (stack, level string, err error) {
	var r Round
	err = s.db.WithContext(ctx).Select("stack", "level").Where("user_id = ? AND type <> ?", userID, "review").
		Order("started_at DESC, id DESC").Limit(1).Find(&r).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return "", "", fmt.Errorf("last round: %w", err)
	}
	return r.Stack, r.Level, nil
}

// SetRetention stores the user's desired retention.
func (s *Store) SetRetention(ctx context.Context, userID uint, r float64) error {
	err := s.db.WithContext(ctx).Model(&User{}).Where("id = ?", userID).Update("desired_retention", r).Error
	if err != nil {
		return fmt.Errorf("set retention: %w", err)
	}
	return nil
}
