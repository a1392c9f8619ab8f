package models

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
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
	// Complete: every planned question was answered or skipped.
	Complete bool
	// Adjusted counts the round's questions whose grade the learner
	// adjusted by disputing it.
	Adjusted int
}

// AreaLevelScore is the average final score of a user's questions in an
// area at a level.
type AreaLevelScore struct {
	Area  string
	Level string
	Avg   float64
	N     int
}

// SkillAverage is the average final score of a skill.
type SkillAverage struct {
	Skill string
	Area  string
	Avg   float64
	N     int
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

// closeRows closes rows and reports the error that ended the iteration.
func closeRows(rows *sql.Rows) error {
	err := rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}

// DashboardQueries is how many queries DashboardData runs.
const DashboardQueries = 6

// DashboardData reads the dashboard of a user: finished rounds, area and
// skill averages, cards due within horizon, and the active drill plan.
func (s *Store) DashboardData(ctx context.Context, userID uint, dueUntil time.Time) (Dashboard, error) {
	db := s.db.WithContext(ctx)
	var d Dashboard
	// The two queries that grow with the history scan rows by hand: gorm's
	// reflection costs more per row than SQLite takes to read it.
	rows, err := db.Model(&Round{}).
		Select("id, type, stack, level, finished_at, "+scoreColumns+", complete").
		Where("user_id = ? AND status = ?", userID, RoundFinished).Order("finished_at, id").Rows()
	if err != nil {
		return d, fmt.Errorf("dashboard rounds: %w", err)
	}
	for rows.Next() {
		var r RoundPoint
		var finished Timestamp
		dest := append([]any{&r.ID, &r.Type, &r.Stack, &r.Level, &finished}, r.Scores.scoreFields()...)
		if err := rows.Scan(append(dest, &r.Complete)...); err != nil {
			rows.Close()
			return d, fmt.Errorf("dashboard rounds: %w", err)
		}
		r.FinishedAt = finished.Time
		d.Rounds = append(d.Rounds, r)
	}
	if err := closeRows(rows); err != nil {
		return d, fmt.Errorf("dashboard rounds: %w", err)
	}
	// The skill stats give both the area-by-level and the skill averages.
	type cell struct {
		Skill, Area, Level string
		Sum                float64
		N                  int
	}
	var cells []cell
	rows, err = db.Model(&SkillStat{}).Select("skill, area, level, sum, n").Where("user_id = ?", userID).Rows()
	if err != nil {
		return d, fmt.Errorf("dashboard averages: %w", err)
	}
	for rows.Next() {
		var c cell
		if err := rows.Scan(&c.Skill, &c.Area, &c.Level, &c.Sum, &c.N); err != nil {
			rows.Close()
			return d, fmt.Errorf("dashboard averages: %w", err)
		}
		cells = append(cells, c)
	}
	if err := closeRows(rows); err != nil {
		return d, fmt.Errorf("dashboard averages: %w", err)
	}
	type acc struct {
		sum float64
		n   int
	}
	areaLevel := map[[2]string]*acc{}
	skills := map[string]*acc{}
	skillArea := map[string]string{}
	for _, c := range cells {
		k := [2]string{c.Area, c.Level}
		if areaLevel[k] == nil {
			areaLevel[k] = &acc{}
		}
		areaLevel[k].sum += c.Sum
		areaLevel[k].n += c.N
		if skills[c.Skill] == nil {
			skills[c.Skill] = &acc{}
			skillArea[c.Skill] = c.Area
		}
		skills[c.Skill].sum += c.Sum
		skills[c.Skill].n += c.N
	}
	for k, a := range areaLevel {
		d.AreaLevels = append(d.AreaLevels, AreaLevelScore{Area: k[0], Level: k[1], Avg: a.sum / float64(a.n), N: a.n})
	}
	sort.Slice(d.AreaLevels, func(i, j int) bool {
		a, b := d.AreaLevels[i], d.AreaLevels[j]
		return a.Area < b.Area || a.Area == b.Area && a.Level < b.Level
	})
	for s, a := range skills {
		d.Skills = append(d.Skills, SkillAverage{Skill: s, Area: skillArea[s], Avg: a.sum / float64(a.n), N: a.n})
	}
	sort.Slice(d.Skills, func(i, j int) bool {
		a, b := d.Skills[i], d.Skills[j]
		return a.Avg < b.Avg || a.Avg == b.Avg && a.Skill < b.Skill
	})
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
	var adjusted []struct {
		RoundID uint
		N       int
	}
	err = db.Model(&Turn{}).Select("round_id, COUNT(*) AS n").
		Where("user_id = ? AND final = ? AND adjusted_evidence <> ''", userID, true).Group("round_id").Scan(&adjusted).Error
	if err != nil {
		return d, fmt.Errorf("dashboard adjusted answers: %w", err)
	}
	if len(adjusted) > 0 {
		byRound := make(map[uint]int, len(adjusted))
		for _, a := range adjusted {
			byRound[a.RoundID] = a.N
		}
		for i := range d.Rounds {
			d.Rounds[i].Adjusted = byRound[d.Rounds[i].ID]
		}
	}
	return d, nil
}

// dashboardVersionSQL reads, in one statement, what changes when anything
// DashboardData reads for a user is written or removed: counts, latest
// writes and sums of their rounds, of their turns adjusted on dispute,
// skill statistics, cards and drill plans. Sums catch a change made twice
// at the same instant, as a test's fixed clock makes them.
const dashboardVersionSQL = `SELECT r.n, r.finished, r.changed, r.total,
 (SELECT COUNT(*) FROM turns WHERE user_id = @u AND final = @final AND adjusted_evidence <> ''),
 (SELECT MAX(updated_at) FROM turns WHERE user_id = @u AND final = @final AND adjusted_evidence <> ''),
 (SELECT COUNT(*) FROM skill_stats WHERE user_id = @u),
 (SELECT SUM(n) FROM skill_stats WHERE user_id = @u),
 (SELECT SUM(sum) FROM skill_stats WHERE user_id = @u),
 (SELECT COUNT(*) FROM skill_cards WHERE user_id = @u),
 (SELECT MAX(updated_at) FROM skill_cards WHERE user_id = @u),
 (SELECT SUM(reps) FROM skill_cards WHERE user_id = @u),
 (SELECT COUNT(*) FROM drill_plans WHERE user_id = @u),
 (SELECT COUNT(*) FROM drill_plans WHERE user_id = @u AND status = @active),
 (SELECT MAX(updated_at) FROM drill_plans WHERE user_id = @u)
 FROM (SELECT COUNT(*) AS n, SUM(CASE WHEN status = @finished THEN 1 ELSE 0 END) AS finished,
  MAX(updated_at) AS changed, SUM(CASE WHEN status = @finished THEN overall ELSE 0 END) AS total
  FROM rounds WHERE user_id = @u) r`

// DashboardVersion is a fingerprint of the user's data that the dashboard
// draws: equal fingerprints, equal DashboardData. It takes one statement
// where the dashboard takes six over the whole history, so a dashboard
// drawn once can be kept until the fingerprint changes.
func (s *Store) DashboardVersion(ctx context.Context, userID uint) (string, error) {
	rows, err := s.db.WithContext(ctx).Raw(dashboardVersionSQL,
		sql.Named("u", userID), sql.Named("finished", RoundFinished), sql.Named("final", true), sql.Named("active", PlanActive)).Rows()
	if err != nil {
		return "", fmt.Errorf("dashboard version: %w", err)
	}
	defer rows.Close()
	vals := make([]any, 15)
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if !rows.Next() {
		return "", fmt.Errorf("dashboard version: no row: %w", rows.Err())
	}
	if err := rows.Scan(ptrs...); err != nil {
		return "", fmt.Errorf("dashboard version: %w", err)
	}
	var b strings.Builder
	for _, v := range vals {
		if t, ok := v.(time.Time); ok {
			v = t.UnixNano()
		}
		fmt.Fprintf(&b, "%v|", v)
	}
	return b.String(), closeRows(rows)
}
