package models

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// RoundPage is what the round page shows of the database: the round, its
// turns, the drafts of its open slots and the user's reviews due.
type RoundPage struct {
	RoundView
	// Drafts are the texts saved for slots not answered yet.
	Drafts []Draft
	// DueReviews counts the user's cards due by the time asked for.
	DueReviews int
}

// Draft returns the text saved for a slot, "" when there is none.
func (p RoundPage) Draft(position, step int) string {
	for _, d := range p.Drafts {
		if d.Position == position && d.Step == step {
			return d.Text
		}
	}
	return ""
}

// roundPageRow is the round with what the page needs besides its turns,
// read in the same statement.
type roundPageRow struct {
	Round      `gorm:"embedded"`
	DueReviews int64
	DraftsJSON string
}

// RoundPage loads a round of the user for its page in two statements,
// whatever the round's length: the round with the user's reviews due by
// dueBy and its drafts (as a JSON array), then its turns in order. It is
// the round page's hot path: a question is shown many times per answer.
func (s *Store) RoundPage(ctx context.Context, userID, roundID uint, dueBy time.Time) (RoundPage, error) {
	var p RoundPage
	drafts := "json_group_array(json_array(d.position, d.step, d.text))"
	if s.IsPostgres() {
		drafts = "COALESCE(json_agg(json_build_array(d.position, d.step, d.text)), '[]')::text"
	}
	var rows []roundPageRow
	err := s.db.WithContext(ctx).Raw(`SELECT rounds.*,
		(SELECT COUNT(*) FROM skill_cards c WHERE c.user_id = rounds.user_id AND c.due <= ?) AS due_reviews,
		(SELECT `+drafts+` FROM drafts d WHERE d.round_id = rounds.id AND d.user_id = rounds.user_id) AS drafts_json
		FROM rounds WHERE rounds.id = ? AND rounds.user_id = ?`, dueBy, roundID, userID).Scan(&rows).Error
	if err != nil {
		return p, fmt.Errorf("round %d: %w", roundID, err)
	}
	if len(rows) == 0 {
		return p, fmt.Errorf("round %d: %w", roundID, ErrNotFound)
	}
	row := rows[0]
	p.Round, p.DueReviews = row.Round, int(row.DueReviews)
	var raw [][3]json.RawMessage
	if err := json.Unmarshal([]byte(row.DraftsJSON), &raw); err != nil {
		return p, fmt.Errorf("drafts of round %d: %w", roundID, err)
	}
	for _, r := range raw {
		d := Draft{UserID: userID, RoundID: roundID}
		if err := firstErr(json.Unmarshal(r[0], &d.Position), json.Unmarshal(r[1], &d.Step), json.Unmarshal(r[2], &d.Text)); err != nil {
			return p, fmt.Errorf("drafts of round %d: %w", roundID, err)
		}
		p.Drafts = append(p.Drafts, d)
	}
	if err := s.db.WithContext(ctx).Where("round_id = ?", roundID).Order("position, step").Find(&p.Turns).Error; err != nil {
		return p, fmt.Errorf("turns of round %d: %w", roundID, err)
	}
	return p, nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
