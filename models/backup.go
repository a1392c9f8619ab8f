package models

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/libtnb/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// BackupSQLite writes a consistent copy of a SQLite database to path with
// VACUUM INTO, while the app keeps serving: the copy is one read
// transaction's snapshot, whatever is written meanwhile. path must not
// exist. The copy is then opened and checked (PRAGMA integrity_check).
func BackupSQLite(ctx context.Context, db *gorm.DB, path string) error {
	if db.Dialector.Name() == "postgres" {
		return errors.New("backup: the database is PostgreSQL: use pg_dump")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s already exists: give a new file name", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	if err := db.WithContext(ctx).Exec("VACUUM INTO ?", path).Error; err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("backup permissions: %w", err)
	}
	return CheckSQLite(ctx, path)
}

// OpenSQLiteReadOnly opens a SQLite file read-only, as it is: none of
// the pragmas Open sets (WAL would be a write).
func OpenSQLiteReadOnly(path string) (*gorm.DB, error) {
	db, err := gorm.Open(sqlite.Open("file:"+path+"?mode=ro"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

// CheckSQLite opens a SQLite file read-only and runs PRAGMA
// integrity_check on it.
func CheckSQLite(ctx context.Context, path string) error {
	copyDB, err := OpenSQLiteReadOnly(path)
	if err != nil {
		return err
	}
	sqlDB, err := copyDB.DB()
	if err != nil {
		return err
	}
	defer sqlDB.Close()
	var results []string
	if err := copyDB.WithContext(ctx).Raw("PRAGMA integrity_check").Scan(&results).Error; err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	if len(results) != 1 || results[0] != "ok" {
		return fmt.Errorf("check %s: integrity_check says %q", path, results)
	}
	return nil
}
