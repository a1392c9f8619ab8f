package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// DefaultRetention is the desired retention of a new user's reviews.
const DefaultRetention = 0.90

// User is a learner. In local mode there is exactly one, IsLocal.
type User struct {
	ID               uint `gorm:"primaryKey"`
	Name             string
	Email            string
	IsLocal          bool
	DesiredRetention float64 `gorm:"type:double precision"`
	// ClaimState is set on the local user once its history was offered to
	// the first account: claimed or declined.
	ClaimState string
	// ClaimOfferedTo is the one account the local history is offered to:
	// the first to log in while it was unclaimed.
	ClaimOfferedTo *uint
	// SessionsValidAfter revokes the user's sessions: a login issued at or
	// before it no longer counts (set at logout).
	SessionsValidAfter *time.Time
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// LocalUser returns the single local user, creating it on first use.
func (s *Store) LocalUser(ctx context.Context) (User, error) {
	var u User
	err := s.db.WithContext(ctx).
		Where(User{IsLocal: true}).
		Attrs(User{Name: "You", DesiredRetention: DefaultRetention}).
		FirstOrCreate(&u).Error
	if err != nil {
		return User{}, fmt.Errorf("local user: %w", err)
	}
	return u, nil
}

// UserByID returns a user.
func (s *Store) UserByID(ctx context.Context, id uint) (User, error) {
	var u User
	err := s.db.WithContext(ctx).First(&u, id).Error
	return u, notFound(err, "user %d", id)
}

// RevokeSessions ends every session of the user issued up to at.
func (s *Store) RevokeSessions(ctx context.Context, userID uint, at time.Time) error {
	err := s.db.WithContext(ctx).Model(&User{}).Where("id = ?", userID).Update("sessions_valid_after", at.UTC()).Error
	if err != nil {
		return fmt.Errorf("revoke sessions of user %d: %w", userID, err)
	}
	return nil
}

// Claim states of the local user's history.
const (
	ClaimClaimed  = "claimed"
	ClaimDeclined = "declined"
)

// Identity links a login at a provider to a user.
type Identity struct {
	ID        uint `gorm:"primaryKey"`
	UserID    uint
	Provider  string
	Subject   string
	Email     string
	CreatedAt time.Time
}

// Login is who a provider says logged in.
type Login struct {
	Provider string
	Subject  string
	Name     string
	Email    string
}

// UserForLogin returns the user of a provider identity, creating the user
// on first login. created reports a new user.
func (s *Store) UserForLogin(ctx context.Context, l Login) (u User, created bool, err error) {
	if l.Provider == "" || l.Subject == "" {
		return User{}, false, fmt.Errorf("login without provider or subject: %w", ErrInvalid)
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var id Identity
		err := tx.Where("provider = ? AND subject = ?", l.Provider, l.Subject).Limit(1).Find(&id).Error
		if err != nil {
			return err
		}
		if id.ID != 0 {
			return tx.First(&u, id.UserID).Error
		}
		name := l.Name
		if name == "" {
			name = l.Email
		}
		if name == "" {
			name = "New learner"
		}
		u = User{Name: name, Email: l.Email, DesiredRetention: DefaultRetention}
		if err := tx.Create(&u).Error; err != nil {
			return err
		}
		created = true
		return tx.Create(&Identity{UserID: u.ID, Provider: l.Provider, Subject: l.Subject, Email: l.Email}).Error
	})
	if err != nil {
		return User{}, false, fmt.Errorf("user for %s login: %w", l.Provider, err)
	}
	return u, created, nil
}

// localClaim is the local user's rounds and the state of its claim offer.
type localClaim struct {
	N              int
	ClaimState     string
	ClaimOfferedTo *uint
}

// readLocalClaim reads the local user's claim state in one query.
func (s *Store) readLocalClaim(ctx context.Context) (localClaim, error) {
	var row localClaim
	err := s.db.WithContext(ctx).Raw(`SELECT u.claim_state, u.claim_offered_to, (SELECT COUNT(*) FROM rounds r WHERE r.user_id = u.id) AS n
		FROM users u WHERE u.is_local = ? LIMIT 1`, true).Scan(&row).Error
	if err != nil {
		return localClaim{}, fmt.Errorf("local history: %w", err)
	}
	return row, nil
}

// LocalHistory reports how many rounds the local user holds, and whether
// its history is still unclaimed (offered to nobody yet).
func (s *Store) LocalHistory(ctx context.Context) (rounds int, open bool, err error) {
	row, err := s.readLocalClaim(ctx)
	if err != nil {
		return 0, false, err
	}
	return row.N, row.ClaimState == "" && row.ClaimOfferedTo == nil && row.N > 0, nil
}

// OfferLocalHistory offers the unclaimed local history to the user if it
// was offered to nobody yet, atomically: of many accounts logging in at
// once, one gets it. It reports the local rounds and whether the offer,
// new or earlier, is this user's and still open.
func (s *Store) OfferLocalHistory(ctx context.Context, userID uint) (rounds int, offered bool, err error) {
	db := s.db.WithContext(ctx)
	err = db.Exec(`UPDATE users SET claim_offered_to = ?
		WHERE is_local = ? AND claim_state = '' AND claim_offered_to IS NULL
		AND EXISTS (SELECT 1 FROM rounds r WHERE r.user_id = users.id)`, userID, true).Error
	if err != nil {
		return 0, false, fmt.Errorf("offer local history: %w", err)
	}
	return s.LocalHistoryFor(ctx, userID)
}

// LocalHistoryFor reports the local rounds and whether the local history
// is offered to this user and not yet claimed or declined.
func (s *Store) LocalHistoryFor(ctx context.Context, userID uint) (rounds int, offered bool, err error) {
	row, err := s.readLocalClaim(ctx)
	if err != nil {
		return 0, false, err
	}
	mine := row.ClaimOfferedTo != nil && *row.ClaimOfferedTo == userID
	return row.N, mine && row.ClaimState == "" && row.N > 0, nil
}

// ownedTables are every table with a user_id, for claiming history.
var ownedTables = []string{"rounds", "turns", "drafts", "skill_cards", "review_logs", "drill_plans", "skill_stats"}

// ClaimLocalHistory moves the local user's history to the user, who must
// hold the offer (OfferLocalHistory) and have no rounds yet, and marks it
// claimed. With claim false it only records
// that the offer was declined. Only the first offer counts: a second call
// is ErrConflict.
func (s *Store) ClaimLocalHistory(ctx context.Context, userID uint, claim bool) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var local User
		if err := tx.Where("is_local = ?", true).First(&local).Error; err != nil {
			return notFound(err, "local user")
		}
		if local.ClaimState != "" {
			return fmt.Errorf("local history already %s: %w", local.ClaimState, ErrConflict)
		}
		if local.ClaimOfferedTo == nil || *local.ClaimOfferedTo != userID {
			return fmt.Errorf("local history not offered to user %d: %w", userID, ErrConflict)
		}
		state := ClaimDeclined
		if claim {
			var n int64
			if err := tx.Model(&Round{}).Where("user_id = ?", userID).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return fmt.Errorf("the account already has rounds: %w", ErrConflict)
			}
			for _, t := range ownedTables {
				if err := tx.Table(t).Where("user_id = ?", local.ID).Update("user_id", userID).Error; err != nil {
					return fmt.Errorf("claim %s: %w", t, err)
				}
			}
			if err := tx.Model(&User{}).Where("id = ?", userID).Update("desired_retention", local.DesiredRetention).Error; err != nil {
				return err
			}
			state = ClaimClaimed
		}
		return tx.Model(&User{}).Where("id = ?", local.ID).Update("claim_state", state).Error
	})
}
