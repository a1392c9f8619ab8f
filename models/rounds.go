package models

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
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
	// Answered and Skipped count the questions by outcome once finished;
	// Complete is true when every planned question was answered or
	// skipped (only those rounds count toward readiness).
	Answered int
	Skipped  int
	Complete bool
	// DrillPlanID links a drill round to its week-long plan.
	DrillPlanID *uint
	StartedAt   time.Time
	FinishedAt  *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// Version counts the writes to the round, its turns and its drafts
	// (ChangeRound makes them all): a round page drawn for one version is
	// right as long as the version holds.
	Version int64 `gorm:"not null;default:0"`
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
	// AdjustedEvidence is the result re-scored with the learner's
	// disputes, "" when none: Scores are then the adjusted ones, and
	// Evidence keeps the grader's own grade.
	AdjustedEvidence string
	Grader           string
	// FollowUp is what the interviewer chose to ask after this turn.
	FollowUp string
	// Final marks the turn whose grade is its question's final score.
	Final bool
	// Dictated marks an answer given by voice, SpeakingSeconds how long
	// the microphone listened (as the browser said, clamped): shown with
	// the answer, never part of its grade.
	Dictated        bool
	SpeakingSeconds int
	AnsweredAt      time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
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
	v.Turns, err = scanTurns(s.db.WithContext(ctx), roundID)
	return v, err
}

// DraftFor returns the text saved for a slot, "" when there is none.
func (s *Store) DraftFor(ctx context.Context, userID, roundID uint, position, step int) (string, error) {
	var texts []string
	err := s.db.WithContext(ctx).Model(&Draft{}).
		Where("round_id = ? AND user_id = ? AND position = ? AND step = ?", roundID, userID, position, step).
		Limit(1).Pluck("text", &texts).Error
	if err != nil {
		return "", fmt.Errorf("draft of round %d slot %d.%d: %w", roundID, position, step, err)
	}
	if len(texts) == 0 {
		return "", nil
	}
	return texts[0], nil
}

// Slot names a turn of a round: its question's position and its step.
type Slot struct {
	Position int
	Step     int
}

// Finish is how a round ends: its totals and counts.
type Finish struct {
	Scores
	Answered int
	Skipped  int
	Complete bool
}

// RoundChange is what the round's rules decided, for the store to write in
// one transaction.
type RoundChange struct {
	// Insert adds a turn: an answer waiting to be graded, or a skip; with
	// Grade for the same slot, an answer stored already graded. A turn
	// already stored for its slot is ErrConflict.
	Insert *Turn
	// Grade stores the grade of a pending turn, found by its slot.
	Grade *Turn
	// Draft keeps the text typed for a slot.
	Draft *Draft
	// Regrade replaces a graded turn's scores, evidence and grader (found
	// by its slot); a turn carrying its question's final score moves its
	// skill stats by the difference.
	Regrade *Turn
	// Adjust stores a graded turn's grade re-scored with the learner's
	// disputes (Scores and AdjustedEvidence, found by its slot), with the
	// new Dispute; a final turn moves its skill stats by the difference.
	Adjust  *Turn
	Dispute *Dispute
	// Rereview redoes the round's review of a skill from its new score.
	Rereview *Rereview
	// Totals replace the totals of a finished round (after a regrade).
	Totals *Scores
	// Position is the round's current question after the change.
	Position int
	// Finish ends the round.
	Finish *Finish
	// Reviews are recorded when the round finishes: a round is finished if
	// and only if its reviews are in.
	Reviews *Reviews
	// Final are the turns carrying their questions' final scores; those
	// not marked yet are marked and added to the skill stats.
	Final []Slot
	Now   time.Time
}

// errNoChange lets a decide function leave the round as it is.
var errNoChange = errors.New("no change")

// NoChange is returned by a ChangeRound decide function that has nothing
// to write; ChangeRound then returns nil.
func NoChange() error { return errNoChange }

// ChangeRound changes a round of the user under its lock: it locks the
// user's row and then the round's (always in that order, so two
// transactions of one user never wait on each other in a cycle), loads the
// round and its turns, asks decide what to write, and writes it. decide
// sees the state no other writer can change before the commit, so a
// check it makes (the round is open, the slot is current) holds. An error
// from decide is returned as is, and nothing is written.
//
// The turns are those of the page kept of the round (RoundPage) when its
// version is the locked round's: every change to the turns moves the
// version, so they are the turns the database holds, and reading them
// again would cost a statement on every draft and answer. A change of a
// draft alone keeps the page, moved to the new version; any other change
// drops it, and the next view loads it.
func (s *Store) ChangeRound(ctx context.Context, userID, roundID uint, decide func(RoundView) (RoundChange, error)) error {
	key := roundKey{userID, roundID}
	kept, isKept := s.pages.Get(key)
	var next *RoundPage
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var v RoundView
		var err error
		if v.Round, err = lockRound(tx, userID, roundID); err != nil {
			return err
		}
		current := isKept && kept.Round.Version == v.Round.Version
		if current {
			v.Turns = slices.Clone(kept.Turns)
		} else if v.Turns, err = scanTurns(tx, roundID); err != nil {
			return err
		}
		ch, err := decide(v)
		if err != nil {
			return err
		}
		if err := applyChange(tx, v.Round, ch); err != nil {
			return err
		}
		if current && ch.draftOnly(v.Round) {
			p := kept.withDraft(*ch.Draft)
			p.Round = v.Round
			p.Round.Version++
			next = &p
		}
		return nil
	})
	if errors.Is(err, errNoChange) {
		return nil
	}
	if err == nil && next != nil {
		s.pages.Put(key, next.clone(), next.weight())
		return nil
	}
	// The page kept of the round is stale now: the next view loads it
	// at once rather than find so from its version.
	s.pages.Delete(key)
	return err
}

// draftOnly reports whether the change keeps a draft and writes nothing
// else: applyChange then moves only the round's version.
func (ch RoundChange) draftOnly(r Round) bool {
	return ch.Draft != nil && ch.Insert == nil && ch.Grade == nil && ch.Regrade == nil && ch.Adjust == nil &&
		ch.Rereview == nil && ch.Totals == nil && ch.Finish == nil && ch.Reviews == nil && len(ch.Final) == 0 &&
		ch.Position == r.Position
}

// lockUser takes the user's row lock on PostgreSQL, first in every
// transaction that changes a user's history (ChangeRound takes it in the
// statement that locks the round), so transactions of one user queue
// instead of deadlocking on the rows they share (skill stats, cards).
// FOR NO KEY UPDATE does not block the key-share locks that inserts
// referencing the user take. SQLite serialises writers already.
func lockUser(tx *gorm.DB, userID uint) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	var ids []uint
	if err := tx.Raw("SELECT id FROM users WHERE id = ? FOR NO KEY UPDATE", userID).Scan(&ids).Error; err != nil {
		return fmt.Errorf("lock user %d: %w", userID, err)
	}
	if len(ids) == 0 {
		return fmt.Errorf("user %d: %w", userID, ErrNotFound)
	}
	return nil
}

// applyChange writes a RoundChange inside ChangeRound's transaction.
func applyChange(tx *gorm.DB, r Round, ch RoundChange) error {
	dropDraft := func(pos, step int) error {
		err := tx.Where("round_id = ? AND position = ? AND step = ?", r.ID, pos, step).Delete(&Draft{}).Error
		if err != nil {
			return fmt.Errorf("drop draft: %w", err)
		}
		return nil
	}
	if t, g := ch.Insert, ch.Grade; t != nil && g != nil && t.Position == g.Position && t.Step == g.Step {
		// An answer stored already graded: one row written once.
		t.Status, t.Scores, t.Evidence, t.Grader = g.Status, g.Scores, g.Evidence, g.Grader
		t.AdjustedEvidence, t.FollowUp = g.AdjustedEvidence, g.FollowUp
		ch.Grade = nil
		if err := dropDraft(t.Position, t.Step); err != nil {
			return err
		}
	}
	if t := ch.Insert; t != nil {
		t.RoundID, t.UserID = r.ID, r.UserID
		err := tx.Create(t).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return fmt.Errorf("round %d slot %d.%d: %w", r.ID, t.Position, t.Step, ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("record turn: %w", err)
		}
		if t.Status == TurnSkipped {
			if err := dropDraft(t.Position, t.Step); err != nil {
				return err
			}
		}
	}
	if t := ch.Grade; t != nil {
		res := tx.Model(&Turn{}).Where("round_id = ? AND position = ? AND step = ? AND status = ?", r.ID, t.Position, t.Step, TurnPending).
			Updates(t.Scores.withColumns(map[string]any{
				"status": t.Status, "evidence": t.Evidence, "grader": t.Grader,
				"adjusted_evidence": t.AdjustedEvidence, "follow_up": t.FollowUp, "updated_at": ch.Now,
			}))
		if res.Error != nil {
			return fmt.Errorf("save grade: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return fmt.Errorf("grade round %d slot %d.%d: not pending: %w", r.ID, t.Position, t.Step, ErrConflict)
		}
		if err := dropDraft(t.Position, t.Step); err != nil {
			return err
		}
	}
	if d := ch.Draft; d != nil {
		d.UserID, d.RoundID, d.UpdatedAt = r.UserID, r.ID, ch.Now
		err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "round_id"}, {Name: "position"}, {Name: "step"}},
			DoUpdates: clause.AssignmentColumns([]string{"text", "updated_at"}),
		}).Create(d).Error
		if err != nil {
			return fmt.Errorf("save draft: %w", err)
		}
	}
	if t := ch.Regrade; t != nil {
		if err := regradeTurn(tx, r, *t, ch.Now); err != nil {
			return err
		}
	}
	if t := ch.Adjust; t != nil {
		if err := adjustTurn(tx, r, *t, ch.Dispute, ch.Now); err != nil {
			return err
		}
	}
	if rr := ch.Rereview; rr != nil && r.Finished() {
		if err := redoReview(tx, r.UserID, r.ID, *rr); err != nil {
			return err
		}
	}
	if err := markFinal(tx, r.ID, ch.Final, ch.Now); err != nil {
		return err
	}
	updates := map[string]any{}
	if s := ch.Totals; s != nil && r.Finished() {
		s.putColumns(updates)
	}
	if ch.Position != r.Position {
		updates["position"] = ch.Position
	}
	if f := ch.Finish; f != nil && !r.Finished() {
		updates["status"] = RoundFinished
		updates["finished_at"] = ch.Now
		f.Scores.putColumns(updates)
		updates["answered"] = f.Answered
		updates["skipped"] = f.Skipped
		updates["complete"] = f.Complete
		if ch.Reviews != nil {
			if err := recordReviews(tx, r.UserID, r.ID, *ch.Reviews, ch.Now); err != nil {
				return err
			}
		}
	}
	// Every change counts in the version, a draft too; only a change of
	// what the round records moves its updated_at (the dashboard reads it).
	// UpdateColumns, because Updates would set updated_at to the clock on
	// every change, a draft's included.
	if len(updates) > 0 || ch.Insert != nil || ch.Grade != nil || ch.Regrade != nil || ch.Adjust != nil {
		updates["updated_at"] = ch.Now
	}
	updates["version"] = gorm.Expr("version + 1")
	if err := tx.Model(&Round{}).Where("id = ?", r.ID).UpdateColumns(updates).Error; err != nil {
		return fmt.Errorf("move round %d: %w", r.ID, err)
	}
	return nil
}

// markFinal marks turns as carrying their questions' final scores and adds
// those scores to the user's skill stats; turns already marked are left
// alone, so a slot may be named again. The marking returns the turns it
// marked (UPDATE … RETURNING, on both databases): one statement where a
// read and then a write took two.
func markFinal(tx *gorm.DB, roundID uint, slots []Slot, now time.Time) error {
	if len(slots) == 0 {
		return nil
	}
	cond := make([]string, len(slots))
	args := []any{true, now, roundID, false, []string{TurnGraded, TurnInsufficient, TurnSkipped}}
	for i, s := range slots {
		cond[i] = "(position = ? AND step = ?)"
		args = append(args, s.Position, s.Step)
	}
	rows, err := tx.Raw(`UPDATE turns SET final = ?, updated_at = ? WHERE round_id = ? AND final = ? AND status IN ? AND (`+
		strings.Join(cond, " OR ")+`) RETURNING id, user_id, skill, area, level, overall, position, step`, args...).Rows()
	if err != nil {
		return fmt.Errorf("mark final turns: %w", err)
	}
	var turns []Turn
	for rows.Next() {
		var t Turn
		if err := rows.Scan(&t.ID, &t.UserID, &t.Skill, &t.Area, &t.Level, &t.Overall, &t.Position, &t.Step); err != nil {
			rows.Close()
			return fmt.Errorf("mark final turns: %w", err)
		}
		turns = append(turns, t)
	}
	if err := closeRows(rows); err != nil {
		return fmt.Errorf("mark final turns: %w", err)
	}
	// In the round's order, so the skill stats are always updated (and
	// locked) in one order.
	slices.SortFunc(turns, func(a, b Turn) int {
		return cmp.Or(cmp.Compare(a.Position, b.Position), cmp.Compare(a.Step, b.Step))
	})
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

// UnsettledRounds lists the rounds, of every user, with an answer waiting
// to be graded: the start-up sweep grades them.
func (s *Store) UnsettledRounds(ctx context.Context) ([]Round, error) {
	var rs []Round
	err := s.db.WithContext(ctx).Select("id", "user_id").
		Where("id IN (?)", s.db.Model(&Turn{}).Select("round_id").Where("status = ?", TurnPending)).
		Order("id").Find(&rs).Error
	if err != nil {
		return nil, fmt.Errorf("unsettled rounds: %w", err)
	}
	return rs, nil
}

// jsonLength is the SQL length of the rounds' question list.
func jsonLength(db *gorm.DB) string {
	if db.Dialector.Name() == "postgres" {
		return "json_array_length(question_ids::json)"
	}
	return "json_array_length(question_ids)"
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

// StrongestStack is the stack of the user's best-scoring finished rounds
// (reviews left out: theirs may be mixed), or "" with no history.
func (s *Store) StrongestStack(ctx context.Context, userID uint) (string, error) {
	var row struct {
		Stack string
	}
	err := s.db.WithContext(ctx).Model(&Round{}).Select("stack").
		Where("user_id = ? AND status = ? AND type <> ?", userID, RoundFinished, "review").
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
		Select(averageColumns+", COUNT(*) AS n").
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
		if err := lockUser(tx, r.UserID); err != nil {
			return err
		}
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

// regradeTurn stores a graded turn's new grade inside ChangeRound.
func regradeTurn(tx *gorm.DB, r Round, t Turn, now time.Time) error {
	var old Turn
	err := tx.Select("id", "overall", "final", "skill", "level").
		Where("round_id = ? AND position = ? AND step = ? AND status = ?", r.ID, t.Position, t.Step, TurnGraded).First(&old).Error
	if err != nil {
		return notFound(err, "graded turn %d.%d of round %d", t.Position, t.Step, r.ID)
	}
	err = tx.Model(&Turn{}).Where("id = ?", old.ID).Updates(t.Scores.withColumns(map[string]any{
		"evidence": t.Evidence, "grader": t.Grader, "updated_at": now,
	})).Error
	if err != nil {
		return fmt.Errorf("regrade turn %d: %w", old.ID, err)
	}
	if old.Final {
		err := tx.Model(&SkillStat{}).Where("user_id = ? AND skill = ? AND level = ?", r.UserID, old.Skill, old.Level).
			Update("sum", gorm.Expr("sum + ?", t.Overall-old.Overall)).Error
		if err != nil {
			return fmt.Errorf("regrade skill stats: %w", err)
		}
	}
	return nil
}
