package models

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
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

// roundPageCacheBytes bounds the round pages a Store keeps: a round of
// five questions with follow-ups weighs 10–20 KB, so this keeps the
// rounds of a few hundred learners in flight.
const roundPageCacheBytes = 4 << 20

// roundKey names a kept round page: a round moves to another user only
// when local history is claimed, and then it is another page.
type roundKey struct{ user, round uint }

// RoundPage loads a round of the user for its page. A round page is shown
// many times per answer, so the Store keeps the last one loaded of each
// round: a view then takes one statement, the round's version (every
// change in ChangeRound counts in it) with the reviews due by dueBy, and
// serves the kept page while the version holds. Otherwise, or the first
// time, it loads the page in two statements, whatever the round's
// length. Reading the version from the database on every view keeps
// instances over one database from serving each other's stale pages.
func (s *Store) RoundPage(ctx context.Context, userID, roundID uint, dueBy time.Time) (RoundPage, error) {
	key := roundKey{userID, roundID}
	if kept, ok := s.pages.Get(key); ok {
		version, due, err := s.roundVersion(ctx, userID, roundID, dueBy)
		if err != nil {
			return RoundPage{}, err
		}
		if version == kept.Round.Version {
			p := kept.clone()
			p.DueReviews = due
			return p, nil
		}
	}
	p, err := s.loadRoundPage(ctx, userID, roundID, dueBy)
	if err != nil {
		return p, err
	}
	s.pages.Put(key, p.clone(), p.weight())
	return p, nil
}

// roundVersion reads a round's version and the user's reviews due. It
// is the statement every view of a kept round page runs, so it is
// prepared once and run through database/sql: building it with gorm took
// more time and memory than the database took to answer.
func (s *Store) roundVersion(ctx context.Context, userID, roundID uint, dueBy time.Time) (version int64, due int, err error) {
	stmt, err := s.versionStmt(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("round %d: %w", roundID, err)
	}
	var n int64
	s.directStatement()
	err = stmt.QueryRowContext(ctx, dueBy, roundID, userID).Scan(&version, &n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, fmt.Errorf("round %d: %w", roundID, ErrNotFound)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("round %d: %w", roundID, err)
	}
	return version, int(n), nil
}

// versionStmt is roundVersion's statement, prepared on first use (a
// failed preparation is tried again next time).
func (s *Store) versionStmt(ctx context.Context) (*sql.Stmt, error) {
	s.versionMu.Lock()
	defer s.versionMu.Unlock()
	if s.version != nil {
		return s.version, nil
	}
	q := `SELECT version, ` + dueReviewsSQL + ` FROM rounds WHERE id = ? AND user_id = ?`
	if s.IsPostgres() {
		q = numberedParams(q)
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, err
	}
	stmt, err := sqlDB.PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("prepare the round version: %w", err)
	}
	s.version = stmt
	return stmt, nil
}

// dueReviewsSQL counts the round's user's cards due by its parameter.
const dueReviewsSQL = `(SELECT COUNT(*) FROM skill_cards c WHERE c.user_id = rounds.user_id AND c.due <= ?)`

// numberedParams turns ? placeholders into PostgreSQL's $1, $2, …, for a
// statement prepared without gorm.
func numberedParams(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// withDraft is the page with d kept as its slot's draft, as applyChange
// stores it.
func (p RoundPage) withDraft(d Draft) RoundPage {
	p = p.clone()
	kept := Draft{UserID: p.Round.UserID, RoundID: p.Round.ID, Position: d.Position, Step: d.Step, Text: d.Text}
	for i := range p.Drafts {
		if p.Drafts[i].Position == d.Position && p.Drafts[i].Step == d.Step {
			p.Drafts[i] = kept
			return p
		}
	}
	p.Drafts = append(p.Drafts, kept)
	return p
}

// clone is a copy of the page that shares no slice with it, so a kept
// page and the ones served from it never change each other.
func (p RoundPage) clone() RoundPage {
	p.Round.QuestionIDs = slices.Clone(p.Round.QuestionIDs)
	p.Round.Technologies = slices.Clone(p.Round.Technologies)
	p.Turns = slices.Clone(p.Turns)
	p.Drafts = slices.Clone(p.Drafts)
	return p
}

// weight is about what the page holds in memory, in bytes.
func (p RoundPage) weight() int {
	const row = 512 // a row's fixed fields and slice headers
	n := row + len(p.Round.JobDescription) + 40*(len(p.Round.QuestionIDs)+len(p.Round.Technologies))
	for _, t := range p.Turns {
		n += row + len(t.QuestionID) + len(t.Area) + len(t.Skill) + len(t.Prompt) + len(t.Answer) +
			len(t.Evidence) + len(t.AdjustedEvidence) + len(t.Grader) + len(t.FollowUp)
	}
	for _, d := range p.Drafts {
		n += row + len(d.Text)
	}
	return n
}

// loadRoundPage loads a round of the user for its page in two statements,
// whatever the round's length: the round with the user's reviews due by
// dueBy and its drafts (as a JSON array), then its turns in order. Both
// are scanned by hand (scan.go). On PostgreSQL both go in one round trip
// (loadRoundPageBatch).
func (s *Store) loadRoundPage(ctx context.Context, userID, roundID uint, dueBy time.Time) (RoundPage, error) {
	if s.IsPostgres() {
		return s.loadRoundPageBatch(ctx, userID, roundID, dueBy)
	}
	db := s.db.WithContext(ctx)
	rows, err := db.Raw(roundPageSQL(false), dueBy, roundID, userID).Rows()
	if err != nil {
		return RoundPage{}, fmt.Errorf("round %d: %w", roundID, err)
	}
	p, err := scanRoundPage(rows, userID, roundID)
	if err := firstErr(err, closeRows(rows)); err != nil {
		return p, fmt.Errorf("round %d: %w", roundID, err)
	}
	if p.Turns, err = scanTurns(db, roundID); err != nil {
		return p, err
	}
	return p, nil
}

// loadRoundPageBatch is loadRoundPage on PostgreSQL: its two statements
// sent together in one pgx batch, so a page after a change waits on one
// round trip rather than two.
func (s *Store) loadRoundPageBatch(ctx context.Context, userID, roundID uint, dueBy time.Time) (RoundPage, error) {
	var p RoundPage
	sqlDB, err := s.db.DB()
	if err != nil {
		return p, err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return p, fmt.Errorf("round %d: %w", roundID, err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("a PostgreSQL connection of type %T", dc)
		}
		var b pgx.Batch
		b.Queue(pgRoundPageSQL, dueBy, roundID, userID)
		b.Queue(pgTurnsSQL, roundID)
		s.directStatement()
		s.directStatement()
		br := c.Conn().SendBatch(ctx, &b)
		rows, err := br.Query()
		if err == nil {
			p, err = scanRoundPage(rows, userID, roundID)
			rows.Close()
			err = firstErr(err, rows.Err())
		}
		if err == nil {
			rows, err = br.Query()
		}
		if err == nil {
			p.Turns, err = scanTurnRows(rows)
			rows.Close()
			err = firstErr(err, rows.Err())
		}
		return firstErr(err, br.Close())
	})
	if err != nil {
		return p, fmt.Errorf("round %d: %w", roundID, err)
	}
	return p, nil
}

// roundPageSQL reads a round of the user (parameters: due by, round,
// user) with the reviews due and its drafts as a JSON array.
func roundPageSQL(postgres bool) string {
	drafts := "json_group_array(json_array(d.position, d.step, d.text))"
	if postgres {
		drafts = "COALESCE(json_agg(json_build_array(d.position, d.step, d.text)), '[]')::text"
	}
	return `SELECT ` + roundColumns + `,
		` + dueReviewsSQL + ` AS due_reviews,
		(SELECT ` + drafts + ` FROM drafts d WHERE d.round_id = rounds.id AND d.user_id = rounds.user_id) AS drafts_json
		FROM rounds WHERE rounds.id = ? AND rounds.user_id = ?`
}

// The round page's statements as pgx takes them, with numbered parameters.
var (
	pgRoundPageSQL = numberedParams(roundPageSQL(true))
	pgTurnsSQL     = numberedParams(turnsSQL)
)

// turnsSQL reads the turns of a round (its parameter) in order.
var turnsSQL = `SELECT ` + turnColumns + ` FROM turns WHERE round_id = ? ORDER BY position, step`

// rowScanner is what scanning needs of database/sql's rows and pgx's.
type rowScanner interface {
	Next() bool
	Scan(dest ...any) error
}

// scanRoundPage scans the row of roundPageSQL; the caller closes rows
// and checks their error. No row is ErrNotFound.
func scanRoundPage(rows rowScanner, userID, roundID uint) (RoundPage, error) {
	var (
		p       RoundPage
		round   roundScan
		due     int64
		draftsJ string
		found   bool
	)
	for rows.Next() {
		if err := rows.Scan(append(round.dest(), &due, &draftsJ)...); err != nil {
			return p, err
		}
		found = true
	}
	if !found {
		return p, ErrNotFound
	}
	p.Round, p.DueReviews = round.round(), int(due)
	var raw [][3]json.RawMessage
	if err := json.Unmarshal([]byte(draftsJ), &raw); err != nil {
		return p, fmt.Errorf("drafts: %w", err)
	}
	for _, r := range raw {
		d := Draft{UserID: userID, RoundID: roundID}
		if err := firstErr(json.Unmarshal(r[0], &d.Position), json.Unmarshal(r[1], &d.Step), json.Unmarshal(r[2], &d.Text)); err != nil {
			return p, fmt.Errorf("drafts: %w", err)
		}
		p.Drafts = append(p.Drafts, d)
	}
	return p, nil
}

// scanTurns reads the turns of a round in order, scanned by hand.
func scanTurns(db *gorm.DB, roundID uint) ([]Turn, error) {
	rows, err := db.Raw(turnsSQL, roundID).Rows()
	if err != nil {
		return nil, fmt.Errorf("turns of round %d: %w", roundID, err)
	}
	turns, err := scanTurnRows(rows)
	if err := firstErr(err, closeRows(rows)); err != nil {
		return nil, fmt.Errorf("turns of round %d: %w", roundID, err)
	}
	return turns, nil
}

// scanTurnRows scans rows of turnColumns; the caller closes rows and
// checks their error.
func scanTurnRows(rows rowScanner) ([]Turn, error) {
	var (
		turns []Turn
		turn  turnScan
	)
	dest := turn.dest()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		turns = append(turns, turn.turn())
	}
	return turns, nil
}

// lockRound reads a round of the user inside a transaction that changes
// it, scanned by hand. On PostgreSQL it takes the user's lock (see
// lockUser) and the round's in the same statement, a round trip less on
// every change; FOR NO KEY UPDATE, because turns and drafts inserted by
// the transaction reference the round and take a key-share lock on it,
// which this lock does not block. SQLite serialises writers already.
func lockRound(tx *gorm.DB, userID, roundID uint) (Round, error) {
	q := `SELECT ` + roundColumns + ` FROM rounds WHERE id = ? AND user_id = ?`
	if tx.Dialector.Name() == "postgres" {
		q = `SELECT ` + qualifiedRoundColumns + ` FROM rounds JOIN users ON users.id = rounds.user_id
			WHERE rounds.id = ? AND rounds.user_id = ? FOR NO KEY UPDATE`
	}
	rows, err := tx.Raw(q, roundID, userID).Rows()
	if err != nil {
		return Round{}, fmt.Errorf("round %d: %w", roundID, err)
	}
	var (
		round roundScan
		found bool
	)
	for rows.Next() {
		if err := rows.Scan(round.dest()...); err != nil {
			rows.Close()
			return Round{}, fmt.Errorf("round %d: %w", roundID, err)
		}
		found = true
	}
	if err := closeRows(rows); err != nil {
		return Round{}, fmt.Errorf("round %d: %w", roundID, err)
	}
	if !found {
		return Round{}, fmt.Errorf("round %d: %w", roundID, ErrNotFound)
	}
	return round.round(), nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
