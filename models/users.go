package models

import (
	"context"
	"fmt"
	"time"
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
	CreatedAt        time.Time
	UpdatedAt        time.Time
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
