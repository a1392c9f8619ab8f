package models

import (
	"database/sql"
	"strings"
	"time"
)

// The round page is read many times per answer, so its rows are scanned
// by hand: gorm's reflection costs more per row than SQLite takes to read
// it. roundColumns and turnColumns name the columns in the order of the
// scanners' destinations; TestScannedColumns checks them against the
// tables, so a new field cannot be left out.
var (
	roundColumns = "id, user_id, type, stack, level, area, feedback, question_ids, technologies, job_description, seed, position, status, " +
		scoreColumns + ", answered, skipped, complete, drill_plan_id, started_at, finished_at, created_at, updated_at, version"
	turnColumns = "id, round_id, user_id, position, step, question_id, area, skill, level, prompt, answer, status, " +
		scoreColumns + ", evidence, adjusted_evidence, grader, follow_up, final, dictated, speaking_seconds, answered_at, created_at, updated_at"
)

// qualifiedRoundColumns is roundColumns, each named with its table, for a
// statement that joins rounds to another table.
var qualifiedRoundColumns = "rounds." + strings.ReplaceAll(roundColumns, ", ", ", rounds.")

// roundScan reads a row of roundColumns into a Round.
type roundScan struct {
	r                                  Round
	plan                               sql.Null[int64]
	started, finished, created, update Timestamp
}

func (s *roundScan) dest() []any {
	r := &s.r
	out := []any{&r.ID, &r.UserID, &r.Type, &r.Stack, &r.Level, &r.Area, &r.Feedback, &r.QuestionIDs, &r.Technologies,
		&r.JobDescription, &r.Seed, &r.Position, &r.Status}
	out = append(out, r.Scores.scoreFields()...)
	return append(out, &r.Answered, &r.Skipped, &r.Complete, &s.plan, &s.started, &s.finished, &s.created, &s.update, &r.Version)
}

// round returns the scanned round.
func (s *roundScan) round() Round {
	r := s.r
	if s.plan.Valid {
		id := uint(s.plan.V)
		r.DrillPlanID = &id
	}
	r.StartedAt, r.CreatedAt, r.UpdatedAt = s.started.Time, s.created.Time, s.update.Time
	r.FinishedAt = nullTime(s.finished)
	return r
}

// turnScan reads a row of turnColumns into a Turn.
type turnScan struct {
	t                         Turn
	answered, created, update Timestamp
}

func (s *turnScan) dest() []any {
	t := &s.t
	out := []any{&t.ID, &t.RoundID, &t.UserID, &t.Position, &t.Step, &t.QuestionID, &t.Area, &t.Skill, &t.Level, &t.Prompt,
		&t.Answer, &t.Status}
	out = append(out, t.Scores.scoreFields()...)
	return append(out, &t.Evidence, &t.AdjustedEvidence, &t.Grader, &t.FollowUp, &t.Final, &t.Dictated, &t.SpeakingSeconds,
		&s.answered, &s.created, &s.update)
}

// turn returns the scanned turn.
func (s *turnScan) turn() Turn {
	t := s.t
	t.AnsweredAt, t.CreatedAt, t.UpdatedAt = s.answered.Time, s.created.Time, s.update.Time
	return t
}

// nullTime is a scanned nullable time: nil for NULL.
func nullTime(t Timestamp) *time.Time {
	if t.IsZero() {
		return nil
	}
	v := t.Time
	return &v
}
