package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// sqliteRecovery reopens SQLite connections after the database was read
// only. SQLite opens a connection read-only when the file or its folder is
// not writable, and that connection stays read-only after the folder is
// writable again: without this, writes keep failing until a restart
// while reads (and a ping) succeed. On SQLITE_READONLY every connection is
// closed as it returns to the pool, so the next ones open afresh; the first
// write that succeeds ends that.
type sqliteRecovery struct {
	sqlDB   *sql.DB
	failing atomic.Bool
}

const sqliteRecoveryName = "mockround:sqlite-recovery"

// Name implements gorm.Plugin.
func (*sqliteRecovery) Name() string { return sqliteRecoveryName }

// Initialize implements gorm.Plugin: it watches the outcome of every write.
func (r *sqliteRecovery) Initialize(db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	r.sqlDB = sqlDB
	watch := func(tx *gorm.DB) { r.observe(tx.Error) }
	cb := db.Callback()
	if err := cb.Create().After("gorm:create").Register("mockround:watch_create", watch); err != nil {
		return err
	}
	if err := cb.Update().After("gorm:update").Register("mockround:watch_update", watch); err != nil {
		return err
	}
	if err := cb.Delete().After("gorm:delete").Register("mockround:watch_delete", watch); err != nil {
		return err
	}
	return cb.Raw().After("gorm:raw").Register("mockround:watch_raw", func(tx *gorm.DB) {
		if !strings.HasPrefix(strings.ToUpper(strings.TrimSpace(tx.Statement.SQL.String())), "SELECT") {
			r.observe(tx.Error)
		}
	})
}

// observe notes a write's outcome.
func (r *sqliteRecovery) observe(err error) {
	switch {
	case isReadOnly(err):
		if r.failing.CompareAndSwap(false, true) {
			// Every connection returned from now on is closed.
			r.sqlDB.SetConnMaxLifetime(time.Nanosecond)
		}
	case err == nil:
		if r.failing.CompareAndSwap(true, false) {
			r.sqlDB.SetConnMaxLifetime(0)
		}
	}
}

// isReadOnly reports SQLITE_READONLY (any extended code).
func isReadOnly(err error) bool {
	var coded interface{ Code() int }
	if err == nil || !errors.As(err, &coded) {
		return false
	}
	return coded.Code()&0xff == 8
}

// Health checks that the database answers and, when writes were failing,
// that it takes writes again: a write that changes nothing (the local
// user's row set to itself) needs the write lock and a writable file.
func (s *Store) Health(ctx context.Context) error {
	if err := s.Ping(ctx); err != nil {
		return err
	}
	r, ok := s.db.Config.Plugins[sqliteRecoveryName].(*sqliteRecovery)
	if !ok || !r.failing.Load() {
		return nil
	}
	err := s.db.WithContext(ctx).Exec("UPDATE users SET id = id WHERE id = (SELECT MIN(id) FROM users)").Error
	if err != nil {
		return fmt.Errorf("database is read-only: %w", err)
	}
	return nil
}
