// Package models holds mockround's gorm models and the Store: every query
// the app runs lives here, one method per use case, each scoped by user.
package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"gorm.io/gorm"

	"github.com/mockround/mockround/internal/lru"
)

// Domain errors. Handlers map them to status codes; their text is never
// shown to users.
var (
	// ErrNotFound: the row does not exist or belongs to someone else.
	ErrNotFound = errors.New("not found")
	// ErrInvalid: the input breaks a rule of the domain.
	ErrInvalid = errors.New("invalid")
	// ErrForbidden: the user may not do this.
	ErrForbidden = errors.New("forbidden")
	// ErrConflict: the change was already made (a double submit).
	ErrConflict = errors.New("conflict")
)

// UserError is a domain error whose message is fit for users: it names
// their own data, nothing internal. errors.Is matches its Kind.
type UserError struct {
	Kind error
	Msg  string
}

func (e *UserError) Error() string { return e.Msg + ": " + e.Kind.Error() }

// Is makes a UserError match its kind (ErrInvalid, ErrConflict...).
func (e *UserError) Is(target error) bool { return target == e.Kind }

// invalidf is an ErrInvalid with a message for users.
func invalidf(format string, args ...any) error {
	return &UserError{Kind: ErrInvalid, Msg: fmt.Sprintf(format, args...)}
}

// UserMessage is the message for users that err carries, if any.
func UserMessage(err error) (string, bool) {
	var ue *UserError
	if errors.As(err, &ue) {
		return ue.Msg, true
	}
	return "", false
}

// Store runs mockround's queries.
type Store struct {
	db *gorm.DB
	// pages keeps the round pages loaded last (RoundPage).
	pages *lru.Cache[roundKey, RoundPage]
	// version is roundVersion's prepared statement, once prepared.
	versionMu sync.Mutex
	version   *sql.Stmt
	// direct, when set, is told of each statement run outside gorm.
	direct atomic.Pointer[func()]
}

// OnDirectStatement has fn called for each statement the store runs on
// database/sql directly, outside gorm (whose callbacks see the rest): for
// tests that count statements.
func (s *Store) OnDirectStatement(fn func()) { s.direct.Store(&fn) }

// directStatement notes a statement run outside gorm.
func (s *Store) directStatement() {
	if fn := s.direct.Load(); fn != nil {
		(*fn)()
	}
}

// NewStore wraps an open database.
func NewStore(db *gorm.DB) *Store {
	return &Store{db: db, pages: lru.New[roundKey, RoundPage](roundPageCacheBytes)}
}

// DB returns the underlying connection, for tests and tooling.
func (s *Store) DB() *gorm.DB { return s.db }

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error { return Ping(ctx, s.db) }

// IsPostgres reports whether the store runs on PostgreSQL.
func (s *Store) IsPostgres() bool { return s.db.Dialector.Name() == "postgres" }

// notFound turns gorm's not-found into ErrNotFound, with context.
func notFound(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	msg := fmt.Sprintf(format, args...)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("%s: %w", msg, ErrNotFound)
	}
	return fmt.Errorf("%s: %w", msg, err)
}
