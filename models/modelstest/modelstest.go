// Package modelstest opens real databases for tests: a fresh SQLite file
// always, and a fresh PostgreSQL schema when TEST_DATABASE_URL is set.
package modelstest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"github.com/mockround/mockround/models"
)

// Dialect names a database a test runs on.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// InCI reports whether the tests run in CI, where a missing PostgreSQL or
// Chromium fails the run instead of skipping.
func InCI() bool { return os.Getenv("CI") == "true" }

// SkipOrFail skips the test with the reason, or fails it under CI.
func SkipOrFail(t testing.TB, reason string) {
	t.Helper()
	if InCI() {
		t.Fatalf("CI=true but %s", reason)
	}
	t.Skip(reason)
}

// Each runs fn as a subtest on every available database, migrated and
// empty: SQLite always, PostgreSQL when TEST_DATABASE_URL is set.
func Each(t *testing.T, fn func(t *testing.T, db *gorm.DB)) {
	t.Helper()
	for _, d := range []Dialect{SQLite, Postgres} {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// Open returns a migrated, empty database of the dialect, removed when the
// test ends.
func Open(t testing.TB, d Dialect) *gorm.DB {
	t.Helper()
	var dsn string
	switch d {
	case SQLite:
		dsn = filepath.Join(t.TempDir(), "test.db")
	case Postgres:
		dsn = postgresSchema(t)
	}
	db, err := models.Open(dsn, nil)
	if err != nil {
		t.Fatalf("open %s: %v", d, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqlDB.Close() })
	if err := models.Migrate(context.Background(), db); err != nil {
		t.Fatalf("migrate %s: %v", d, err)
	}
	return db
}

// PostgresURL returns the URL of a fresh, empty PostgreSQL schema for the
// test (skipped, or failed under CI, without TEST_DATABASE_URL).
func PostgresURL(t testing.TB) string {
	t.Helper()
	return postgresSchema(t)
}

// postgresSchema creates a schema of its own for the test and returns a
// URL whose search_path points at it, so tests run in parallel without
// seeing each other's rows.
func postgresSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		SkipOrFail(t, "TEST_DATABASE_URL is not set, so the PostgreSQL tests do not run (see README, Tests)")
	}
	raw := make([]byte, 6)
	if _, err := rand.Read(raw); err != nil {
		t.Fatal(err)
	}
	schema := "t_" + hex.EncodeToString(raw)
	admin, err := models.Open(base, nil)
	if err != nil {
		t.Fatalf("open TEST_DATABASE_URL: %v", err)
	}
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		if sqlDB, err := admin.DB(); err == nil {
			sqlDB.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// CountStatements counts the statements the store runs from now on,
// reads and writes alike, those it runs through gorm and those it runs
// on database/sql directly.
func CountStatements(t testing.TB, s *models.Store) *atomic.Int64 {
	t.Helper()
	n := new(atomic.Int64)
	inc := func(*gorm.DB) { n.Add(1) }
	cb := s.DB().Callback()
	for name, err := range map[string]error{
		"query":  cb.Query().After("gorm:query").Register("test:count_query", inc),
		"row":    cb.Row().After("gorm:row").Register("test:count_row", inc),
		"raw":    cb.Raw().After("gorm:raw").Register("test:count_raw", inc),
		"create": cb.Create().After("gorm:create").Register("test:count_create", inc),
		"update": cb.Update().After("gorm:update").Register("test:count_update", inc),
		"delete": cb.Delete().After("gorm:delete").Register("test:count_delete", inc),
	} {
		if err != nil {
			t.Fatalf("count %s statements: %v", name, err)
		}
	}
	s.OnDirectStatement(func() { n.Add(1) })
	return n
}
