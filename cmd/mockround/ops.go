package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/mockround/mockround/models"
)

// version is set at build time (make build: -ldflags "-X main.version=...");
// without it the version comes from the build's VCS stamp.
var version = ""

// buildVersion is what mockround version prints, /healthz reports and the
// page footer shows: the release, or the commit it was built from.
func buildVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "-dirty"
			}
		}
	}
	if rev == "" {
		return "devel"
	}
	return "devel-" + rev[:min(12, len(rev))] + dirty
}

func versionCmd(e env, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Sprintf("version takes no arguments, got %q", args)}
	}
	info, _ := debug.ReadBuildInfo()
	goVersion := "unknown"
	if info != nil {
		goVersion = info.GoVersion
	}
	fmt.Fprintf(e.stdout, "mockround %s (%s)\n", buildVersion(), goVersion)
	return nil
}

// migrateCmd brings the database's schema up to date without serving.
func migrateCmd(ctx context.Context, e env, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Sprintf("migrate takes no arguments, got %q", args)}
	}
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		return err
	}
	if err := cfg.secureDataFiles(); err != nil {
		return err
	}
	db, err := models.Open(cfg.DatabaseURL, cfg.logger(e.stderr))
	if err != nil {
		return err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	defer sqlDB.Close()
	applied, total, err := models.MigrateReport(ctx, db)
	for _, id := range applied {
		fmt.Fprintf(e.stdout, "applied %s\n", id)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "migrate: %d applied now, %d in all: the %s schema is up to date\n", len(applied), total, dbKind(cfg.DatabaseURL))
	return nil
}

// backupCmd writes a consistent copy of the SQLite database to PATH while
// the app may be running; for PostgreSQL it prints the pg_dump command.
func backupCmd(ctx context.Context, e env, args []string) error {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		return usageError{"usage: mockround backup PATH (a new file)"}
	}
	path := args[0]
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		return err
	}
	if models.IsPostgres(cfg.DatabaseURL) {
		fmt.Fprintf(e.stdout, "The database is PostgreSQL: back it up with pg_dump, which takes a consistent snapshot while the app runs:\n\n"+
			"  pg_dump --format=custom --file=%s \"$DATABASE_URL\"\n\nand restore it with pg_restore --clean --dbname=\"$DATABASE_URL\" %s\n",
			shellQuote(path), shellQuote(path))
		return nil
	}
	if _, err := os.Stat(strings.TrimPrefix(cfg.DatabaseURL, "sqlite:")); err != nil {
		return fmt.Errorf("backup: no database at %s: %w", cfg.DatabaseURL, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("backup folder: %w", err)
	}
	db, err := models.Open(cfg.DatabaseURL, cfg.logger(e.stderr))
	if err != nil {
		return err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	defer sqlDB.Close()
	if err := models.BackupSQLite(ctx, db, path); err != nil {
		return err
	}
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backup: %s written (%d KB) and checked (integrity ok). Restore: stop mockround, copy it to %s, start again.\n",
		path, st.Size()/1024, cfg.DatabaseURL)
	return nil
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
