package models

import (
	"time"

	"gorm.io/gorm"
)

// migrations is the schema's history, oldest first. Never edit a migration
// that has shipped: add a new one.
var migrations = []Migration{
	{ID: "0001_users_rounds", Migrate: func(tx *gorm.DB) error {
		type user struct {
			ID               uint `gorm:"primaryKey"`
			Name             string
			Email            string
			IsLocal          bool    `gorm:"not null;default:false;index"`
			DesiredRetention float64 `gorm:"type:double precision;not null;default:0.9"`
			CreatedAt        time.Time
			UpdatedAt        time.Time
		}
		type round struct {
			ID             uint      `gorm:"primaryKey"`
			UserID         uint      `gorm:"not null;index:idx_rounds_user_started,priority:1"`
			User           user      `gorm:"constraint:OnDelete:CASCADE"`
			Type           string    `gorm:"size:20;not null"`
			Stack          string    `gorm:"size:20;not null"`
			Level          string    `gorm:"size:20;not null"`
			Area           string    `gorm:"size:40;not null;default:''"`
			Feedback       string    `gorm:"size:20;not null"`
			QuestionIDs    string    `gorm:"type:text;not null"`
			Technologies   string    `gorm:"type:text;not null;default:''"`
			JobDescription string    `gorm:"type:text;not null;default:''"`
			Seed           int64     `gorm:"not null"`
			Position       int       `gorm:"not null;default:0"`
			Status         string    `gorm:"size:20;not null;index"`
			Overall        float64   `gorm:"type:double precision;not null;default:0"`
			Accuracy       float64   `gorm:"type:double precision;not null;default:0"`
			Depth          float64   `gorm:"type:double precision;not null;default:0"`
			Tradeoffs      float64   `gorm:"type:double precision;not null;default:0"`
			Structure      float64   `gorm:"type:double precision;not null;default:0"`
			Specificity    float64   `gorm:"type:double precision;not null;default:0"`
			Communication  float64   `gorm:"type:double precision;not null;default:0"`
			StartedAt      time.Time `gorm:"not null;index:idx_rounds_user_started,priority:2"`
			FinishedAt     *time.Time
			CreatedAt      time.Time
			UpdatedAt      time.Time
		}
		return tx.Migrator().CreateTable(&user{}, &round{})
	}},
	{ID: "0002_turns_drafts", Migrate: func(tx *gorm.DB) error {
		// Minimal copies of the referenced tables, for the foreign keys.
		type user struct{ ID uint }
		type round struct{ ID uint }
		type turn struct {
			ID            uint      `gorm:"primaryKey"`
			RoundID       uint      `gorm:"not null;uniqueIndex:idx_turns_slot,priority:1"`
			Round         round     `gorm:"constraint:OnDelete:CASCADE"`
			UserID        uint      `gorm:"not null;index"`
			User          user      `gorm:"constraint:OnDelete:CASCADE"`
			Position      int       `gorm:"not null;uniqueIndex:idx_turns_slot,priority:2"`
			Step          int       `gorm:"not null;uniqueIndex:idx_turns_slot,priority:3"`
			QuestionID    string    `gorm:"size:100;not null;index"`
			Area          string    `gorm:"size:40;not null"`
			Skill         string    `gorm:"size:100;not null"`
			Level         string    `gorm:"size:20;not null"`
			Prompt        string    `gorm:"type:text;not null"`
			Answer        string    `gorm:"type:text;not null"`
			Status        string    `gorm:"size:20;not null"`
			Overall       float64   `gorm:"type:double precision;not null;default:0"`
			Accuracy      float64   `gorm:"type:double precision;not null;default:0"`
			Depth         float64   `gorm:"type:double precision;not null;default:0"`
			Tradeoffs     float64   `gorm:"type:double precision;not null;default:0"`
			Structure     float64   `gorm:"type:double precision;not null;default:0"`
			Specificity   float64   `gorm:"type:double precision;not null;default:0"`
			Communication float64   `gorm:"type:double precision;not null;default:0"`
			Evidence      string    `gorm:"type:text;not null;default:''"`
			Grader        string    `gorm:"size:40;not null;default:''"`
			FollowUp      string    `gorm:"type:text;not null;default:''"`
			AnsweredAt    time.Time `gorm:"not null"`
			CreatedAt     time.Time
			UpdatedAt     time.Time
		}
		type draft struct {
			ID        uint   `gorm:"primaryKey"`
			UserID    uint   `gorm:"not null;index"`
			User      user   `gorm:"constraint:OnDelete:CASCADE"`
			RoundID   uint   `gorm:"not null;uniqueIndex:idx_drafts_slot,priority:1"`
			Round     round  `gorm:"constraint:OnDelete:CASCADE"`
			Position  int    `gorm:"not null;uniqueIndex:idx_drafts_slot,priority:2"`
			Step      int    `gorm:"not null;uniqueIndex:idx_drafts_slot,priority:3"`
			Text      string `gorm:"type:text;not null"`
			UpdatedAt time.Time
		}
		return tx.Migrator().CreateTable(&turn{}, &draft{})
	}},
	{ID: "0003_skill_cards_reviews_drill_plans", Migrate: func(tx *gorm.DB) error {
		type user struct{ ID uint }
		type round struct{ ID uint }
		type skillCard struct {
			ID            uint      `gorm:"primaryKey"`
			UserID        uint      `gorm:"not null;uniqueIndex:idx_cards_user_skill,priority:1;index:idx_cards_user_due,priority:1"`
			User          user      `gorm:"constraint:OnDelete:CASCADE"`
			Skill         string    `gorm:"size:100;not null;uniqueIndex:idx_cards_user_skill,priority:2"`
			Due           time.Time `gorm:"not null;index:idx_cards_user_due,priority:2"`
			Stability     float64   `gorm:"type:double precision;not null;default:0"`
			Difficulty    float64   `gorm:"type:double precision;not null;default:0"`
			ElapsedDays   int64     `gorm:"not null;default:0"`
			ScheduledDays int64     `gorm:"not null;default:0"`
			Reps          int64     `gorm:"not null;default:0"`
			Lapses        int64     `gorm:"not null;default:0"`
			State         int       `gorm:"not null;default:0"`
			LastReview    *time.Time
			// LearnedLapses is the lapse count at the last learn step: a
			// leech gets a learn step when Lapses has grown past it.
			LearnedLapses int64 `gorm:"not null;default:0"`
			CreatedAt     time.Time
			UpdatedAt     time.Time
		}
		type reviewLog struct {
			ID            uint      `gorm:"primaryKey"`
			UserID        uint      `gorm:"not null;index:idx_reviews_user_at,priority:1"`
			User          user      `gorm:"constraint:OnDelete:CASCADE"`
			SkillCardID   uint      `gorm:"not null;index"`
			SkillCard     skillCard `gorm:"constraint:OnDelete:CASCADE"`
			RoundID       *uint     `gorm:"uniqueIndex:idx_reviews_round_skill,priority:1"`
			Round         *round    `gorm:"constraint:OnDelete:SET NULL"`
			Skill         string    `gorm:"size:100;not null;uniqueIndex:idx_reviews_round_skill,priority:2"`
			Score         float64   `gorm:"type:double precision;not null"`
			Rating        int       `gorm:"not null"`
			State         int       `gorm:"not null"`
			Due           time.Time `gorm:"not null"`
			Stability     float64   `gorm:"type:double precision;not null"`
			Difficulty    float64   `gorm:"type:double precision;not null"`
			ElapsedDays   int64     `gorm:"not null"`
			ScheduledDays int64     `gorm:"not null"`
			ReviewedAt    time.Time `gorm:"not null;index:idx_reviews_user_at,priority:2"`
		}
		type drillPlan struct {
			ID          uint      `gorm:"primaryKey"`
			UserID      uint      `gorm:"not null;index"`
			User        user      `gorm:"constraint:OnDelete:CASCADE"`
			Area        string    `gorm:"size:40;not null"`
			Stack       string    `gorm:"size:20;not null"`
			Level       string    `gorm:"size:20;not null"`
			Days        int       `gorm:"not null"`
			PerDay      int       `gorm:"not null"`
			StartDay    time.Time `gorm:"not null"`
			Status      string    `gorm:"size:20;not null;index"`
			Baseline    float64   `gorm:"type:double precision;not null;default:0"`
			HasBaseline bool      `gorm:"not null;default:false"`
			EndedAt     *time.Time
			CreatedAt   time.Time
			UpdatedAt   time.Time
		}
		if err := tx.Migrator().CreateTable(&skillCard{}, &reviewLog{}, &drillPlan{}); err != nil {
			return err
		}
		type roundV3 struct {
			DrillPlanID *uint `gorm:"index"`
		}
		return tx.Table("rounds").Migrator().AddColumn(&roundV3{}, "DrillPlanID")
	}},
	{ID: "0004_final_turns", Migrate: func(tx *gorm.DB) error {
		// Final marks the turn that carries a question's final score (the
		// last graded turn of its conversation), so the dashboard reads
		// averages from a covering index instead of scanning answers and
		// their evidence.
		type turnV4 struct {
			Final bool `gorm:"not null;default:false"`
		}
		if err := tx.Table("turns").Migrator().AddColumn(&turnV4{}, "Final"); err != nil {
			return err
		}
		// Earlier rows: a graded turn with no follow-up after it.
		if err := tx.Exec("UPDATE turns SET final = ? WHERE status = ? AND follow_up = ?", true, "graded", "").Error; err != nil {
			return err
		}
		if err := tx.Exec("CREATE INDEX idx_rounds_user_finished ON rounds (user_id, status, finished_at)").Error; err != nil {
			return err
		}
		// skill_stats keeps each skill's running sum and count of final
		// scores per level, updated with the turns, so the dashboard reads
		// a row per skill and level instead of every answer ever given.
		type user struct{ ID uint }
		type skillStat struct {
			UserID uint    `gorm:"primaryKey;autoIncrement:false"`
			User   user    `gorm:"constraint:OnDelete:CASCADE"`
			Skill  string  `gorm:"primaryKey;size:100"`
			Level  string  `gorm:"primaryKey;size:20"`
			Area   string  `gorm:"size:40;not null"`
			Sum    float64 `gorm:"type:double precision;not null;default:0"`
			N      int     `gorm:"not null;default:0"`
		}
		if err := tx.Migrator().CreateTable(&skillStat{}); err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO skill_stats (user_id, skill, level, area, sum, n)
			SELECT user_id, skill, level, MIN(area), SUM(overall), COUNT(*) FROM turns WHERE final = ?
			GROUP BY user_id, skill, level`, true).Error
	}},
	{ID: "0005_identities_claims", Migrate: func(tx *gorm.DB) error {
		type user struct{ ID uint }
		type identity struct {
			ID        uint   `gorm:"primaryKey"`
			UserID    uint   `gorm:"not null;index"`
			User      user   `gorm:"constraint:OnDelete:CASCADE"`
			Provider  string `gorm:"size:60;not null;uniqueIndex:idx_identities_provider_subject,priority:1"`
			Subject   string `gorm:"size:255;not null;uniqueIndex:idx_identities_provider_subject,priority:2"`
			Email     string
			CreatedAt time.Time
		}
		if err := tx.Migrator().CreateTable(&identity{}); err != nil {
			return err
		}
		// ClaimState records whether the local user's history was offered to
		// the first account that logged in: "" (not yet), claimed, declined.
		type userV5 struct {
			ClaimState string `gorm:"size:20;not null;default:''"`
		}
		return tx.Table("users").Migrator().AddColumn(&userV5{}, "ClaimState")
	}},
	{ID: "0006_round_counts", Migrate: func(tx *gorm.DB) error {
		// Answered and Skipped count a round's questions by outcome;
		// Complete marks a round whose every planned question was answered
		// or skipped: only those count toward readiness.
		type roundV6 struct {
			Answered int  `gorm:"not null;default:0"`
			Skipped  int  `gorm:"not null;default:0"`
			Complete bool `gorm:"not null;default:false"`
		}
		m := tx.Table("rounds").Migrator()
		for _, f := range []string{"Answered", "Skipped", "Complete"} {
			if err := m.AddColumn(&roundV6{}, f); err != nil {
				return err
			}
		}
		return backfillRoundCounts(tx, "status = 'finished'")
	}},
	{ID: "0007_sessions_valid_after", Migrate: func(tx *gorm.DB) error {
		// SessionsValidAfter revokes the sessions issued before it (logout).
		type userV7 struct {
			SessionsValidAfter *time.Time
		}
		return tx.Table("users").Migrator().AddColumn(&userV7{}, "SessionsValidAfter")
	}},
	{ID: "0008_claim_offered_to", Migrate: func(tx *gorm.DB) error {
		// ClaimOfferedTo is the one account offered the local history.
		type userV8 struct {
			ClaimOfferedTo *uint
		}
		return tx.Table("users").Migrator().AddColumn(&userV8{}, "ClaimOfferedTo")
	}},
	{ID: "0009_disputes", Migrate: func(tx *gorm.DB) error {
		// AdjustedEvidence is a turn's grade re-scored with the learner's
		// disputes (its scores are then the adjusted ones); Evidence keeps
		// the grader's own grade.
		type turnV9 struct {
			AdjustedEvidence string `gorm:"type:text;not null;default:''"`
		}
		if err := tx.Table("turns").Migrator().AddColumn(&turnV9{}, "AdjustedEvidence"); err != nil {
			return err
		}
		// The dashboard counts a user's adjusted answers per round: a
		// partial index holds only those, so the count does not read
		// every answer of the history.
		if err := tx.Exec("CREATE INDEX idx_turns_adjusted ON turns (user_id, final, round_id) WHERE adjusted_evidence <> ''").Error; err != nil {
			return err
		}
		type user struct{ ID uint }
		type round struct{ ID uint }
		type turn struct{ ID uint }
		type dispute struct {
			ID         uint   `gorm:"primaryKey"`
			UserID     uint   `gorm:"not null;index"`
			User       user   `gorm:"constraint:OnDelete:CASCADE"`
			RoundID    uint   `gorm:"not null;index"`
			Round      round  `gorm:"constraint:OnDelete:CASCADE"`
			TurnID     uint   `gorm:"not null;uniqueIndex:idx_disputes_turn_item,priority:1"`
			Turn       turn   `gorm:"constraint:OnDelete:CASCADE"`
			QuestionID string `gorm:"size:100;not null;index"`
			Position   int    `gorm:"not null;default:0"`
			Kind       string `gorm:"size:20;not null;uniqueIndex:idx_disputes_turn_item,priority:2"`
			Target     string `gorm:"size:500;not null;uniqueIndex:idx_disputes_turn_item,priority:3"`
			TargetText string `gorm:"type:text;not null;default:''"`
			Sentence   string `gorm:"type:text;not null;default:''"`
			CreatedAt  time.Time
		}
		return tx.Migrator().CreateTable(&dispute{})
	}},
	{ID: "0010_turn_speech", Migrate: func(tx *gorm.DB) error {
		// Dictated marks an answer given by voice; SpeakingSeconds is how
		// long the microphone listened, for the pacing shown with it.
		type turnV10 struct {
			Dictated        bool `gorm:"not null;default:false"`
			SpeakingSeconds int  `gorm:"not null;default:0"`
		}
		m := tx.Table("turns").Migrator()
		for _, f := range []string{"Dictated", "SpeakingSeconds"} {
			if err := m.AddColumn(&turnV10{}, f); err != nil {
				return err
			}
		}
		return nil
	}},
	{ID: "0011_rounds_changed", Migrate: func(tx *gorm.DB) error {
		// The dashboard's fingerprint (DashboardVersion) reads a user's
		// latest round write and score total on every view: an index
		// that holds them answers without reading the rounds.
		return tx.Exec("CREATE INDEX idx_rounds_user_changed ON rounds (user_id, updated_at, status, overall)").Error
	}},
	{ID: "0012_round_version", Migrate: func(tx *gorm.DB) error {
		// Version counts the writes to a round (ChangeRound), so a round
		// page loaded once can be kept while the version holds.
		type roundV12 struct {
			Version int64 `gorm:"not null;default:0"`
		}
		return tx.Table("rounds").Migrator().AddColumn(&roundV12{}, "Version")
	}},
}

// backfillRoundCounts sets the answered and skipped counts and the
// complete flag of the rounds matching where, from their turns.
func backfillRoundCounts(tx *gorm.DB, where string, args ...any) error {
	length := jsonLength(tx)
	err := tx.Exec(`UPDATE rounds SET
		answered = (SELECT COUNT(DISTINCT t.position) FROM turns t WHERE t.round_id = rounds.id AND t.status IN ('graded', 'insufficient')),
		skipped = (SELECT COUNT(*) FROM turns t WHERE t.round_id = rounds.id AND t.step = 0 AND t.status = 'skipped')
		WHERE `+where, args...).Error
	if err != nil {
		return err
	}
	return tx.Exec(`UPDATE rounds SET complete = (answered + skipped >= `+length+`) WHERE `+where, args...).Error
}
