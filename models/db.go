package models

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/libtnb/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Pool sizes for PostgreSQL. Every connection open may stay idle: a pool
// that keeps fewer closes connections under load only to open them again,
// and a new PostgreSQL connection is a new server process that prepares
// its statements afresh. Idle ones close after pgMaxIdleTime. SQLite
// takes one writer at a time, so it gets a small pool and a busy timeout
// instead.
const (
	pgMaxOpen     = 20
	pgMaxIdleTime = 5 * time.Minute
	pgMaxLifetime = 30 * time.Minute
	sqliteMaxOpen = 4
	// prepareStmtMaxSize bounds the prepared statements kept: the app runs
	// a few hundred distinct ones (IN lists of many lengths included).
	prepareStmtMaxSize = 1000
)

// IsPostgres reports whether a database URL names PostgreSQL.
func IsPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// SQLiteDSN turns a file path into a DSN with the pragmas mockround needs:
// foreign keys on, WAL for concurrent readers, and a busy timeout so a
// second writer waits instead of failing.
func SQLiteDSN(path string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate"
}

// Open connects to the database named by url: a postgres:// URL, or a path
// to a SQLite file (its folder is created), optionally prefixed "sqlite:".
func Open(url string, log *slog.Logger) (*gorm.DB, error) {
	cfg := &gorm.Config{
		Logger:         newLogger(log),
		TranslateError: true,
		NowFunc:        func() time.Time { return time.Now().UTC() },
	}
	if IsPostgres(url) {
		db, err := gorm.Open(postgres.Open(url), cfg)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		sqlDB, err := db.DB()
		if err != nil {
			return nil, err
		}
		sqlDB.SetMaxOpenConns(pgMaxOpen)
		sqlDB.SetMaxIdleConns(pgMaxOpen)
		sqlDB.SetConnMaxIdleTime(pgMaxIdleTime)
		sqlDB.SetConnMaxLifetime(pgMaxLifetime)
		return db, nil
	}
	path := strings.TrimPrefix(url, "sqlite:")
	if !strings.HasPrefix(path, "file:") && !strings.Contains(path, ":memory:") {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("create data folder: %w", err)
		}
	}
	// Statements are prepared once per connection and reused: SQLite
	// otherwise parses and plans every query anew, a quarter of the
	// question page's time. The cache is bounded (least recently used).
	// PostgreSQL needs none of this: pgx already caches prepared
	// statements per connection, and gorm's would add a round trip for
	// each statement in a transaction.
	cfg.PrepareStmt, cfg.PrepareStmtMaxSize = true, prepareStmtMaxSize
	db, err := gorm.Open(sqlite.Open(SQLiteDSN(path)), cfg)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	// Every connection open stays idle too: database/sql keeps 2 by
	// default, and under load the others were closed only to be opened
	// again, their pragmas run and their statements prepared anew.
	sqlDB.SetMaxOpenConns(sqliteMaxOpen)
	sqlDB.SetMaxIdleConns(sqliteMaxOpen)
	if err := db.Use(&sqliteRecovery{}); err != nil {
		return nil, fmt.Errorf("sqlite recovery: %w", err)
	}
	return db, nil
}

// Ping checks that the database answers.
func Ping(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// newLogger sends gorm's slow-query and error logs to slog. Failed
// statements are logged once per burst (failureBurst): a database outage
// fails every query, and one line says so as well as thousands.
func newLogger(log *slog.Logger) logger.Interface {
	if log == nil {
		return logger.Discard
	}
	return &burstLogger{Interface: logger.NewSlogLogger(log, logger.Config{
		SlowThreshold:             slowStatement,
		LogLevel:                  logger.Warn,
		IgnoreRecordNotFoundError: true,
		ParameterizedQueries:      true,
	}), log: log, level: logger.Warn}
}

// slowStatement is how long a statement takes to be logged as slow.
const slowStatement = 500 * time.Millisecond

// failureBurst is how long a burst of failed statements lasts.
const failureBurst = 5 * time.Second

// burstLogger logs the first failed statement of a burst and counts the
// rest, reported with the next line.
type burstLogger struct {
	logger.Interface
	log        *slog.Logger
	level      logger.LogLevel
	mu         sync.Mutex
	last       time.Time
	suppressed int
}

// LogMode implements logger.Interface, keeping the rate limit.
func (l *burstLogger) LogMode(level logger.LogLevel) logger.Interface {
	return &burstLogger{Interface: l.Interface.LogMode(level), log: l.log, level: level}
}

// Trace implements logger.Interface.
func (l *burstLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if err == nil || errors.Is(err, gorm.ErrRecordNotFound) {
		// gorm's slog logger writes out the statement before it decides
		// not to log it: skip that on the hot path.
		if l.level < logger.Info && time.Since(begin) <= slowStatement {
			return
		}
		l.Interface.Trace(ctx, begin, fc, err)
		return
	}
	now := time.Now()
	l.mu.Lock()
	if !l.last.IsZero() && now.Sub(l.last) < failureBurst {
		l.suppressed++
		l.mu.Unlock()
		return
	}
	n := l.suppressed
	l.last, l.suppressed = now, 0
	l.mu.Unlock()
	if n > 0 {
		l.log.ErrorContext(ctx, "SQL failures not logged", slog.Int("count", n))
	}
	l.Interface.Trace(ctx, begin, fc, err)
}
