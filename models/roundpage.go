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

// RoundPage loads a round of the user for its page in two statements,
// whatever the round's length: the round with the user's reviews due by
// dueBy and its drafts (as a JSON array), then its turns in order. It is
// the round page's hot path: a question is shown many times per answer,
// so both are scanned by hand (scan.go).
func (s *Store) RoundPage(ctx context.Context, userID, roundID uint, dueBy time.Time) (RoundPage, error) {
	var p RoundPage
	drafts := "json_group_array(json_array(d.position, d.step, d.text))"
	if s.IsPostgres() {
		drafts = "COALESCE(json_agg(json_build_array(d.position, d.step, d.text)), '[]')::text"
	}
	db := s.db.WithContext(ctx)
	rows, err := db.Raw(`SELECT `+roundColumns+`,
		(SELECT COUNT(*) FROM skill_cards c WHERE c.user_id = rounds.user_id AND c.due <= ?) AS due_reviews,
		(SELECT `+drafts+` FROM drafts d WHERE d.round_id = rounds.id AND d.user_id = rounds.user_id) AS drafts_json
		FROM rounds WHERE rounds.id = ? AND rounds.user_id = ?`, dueBy, roundID, userID).Rows()
	if err != nil {
		return p, fmt.Errorf("round %d: %w", roundID, err)
	}
	var (
		round   roundScan
		due     int64
		draftsJ string
		found   bool
	)
	for rows.Next() {
		if err := rows.Scan(append(round.dest(), &due, &draftsJ)...); err != nil {
			rows.Close()
			return p, fmt.Errorf("round %d: %w", roundID, err)
		}
		found = true
	}
	if err := closeRows(rows); err != nil {
		return p, fmt.Errorf("round %d: %w", roundID, err)
	}
	if !found {
		return p, fmt.Errorf("round %d: %w", roundID, ErrNotFound)
	}
	p.Round, p.DueReviews = round.round(), int(due)
	var raw [][3]json.RawMessage
	if err := json.Unmarshal([]byte(draftsJ), &raw); err != nil {
		return p, fmt.Errorf("drafts of round %d: %w", roundID, err)
	}
	for _, r := range raw {
		d := Draft{UserID: userID, RoundID: roundID}
		if err := firstErr(json.Unmarshal(r[0], &d.Position), json.Unmarshal(r[1], &d.Step), json.Unmarshal(r[2], &d.Text)); err != nil {
			return p, fmt.Errorf("drafts of round %d: %w", roundID, err)
		}
		p.Drafts = append(p.Drafts, d)
	}
	rows, err = db.Raw(`SELECT `+turnColumns+` FROM turns WHERE round_id = ? ORDER BY position, step`, roundID).Rows()
	if err != nil {
		return p, fmt.Errorf("turns of round %d: %w", roundID, err)
	}
	var turn turnScan
	dest := turn.dest()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return p, fmt.Errorf("turns of round %d: %w", roundID, err)
		}
		p.Turns = append(p.Turns, turn.turn())
	}
	if err := closeRows(rows); err != nil {
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
