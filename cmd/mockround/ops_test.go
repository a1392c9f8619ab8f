package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/models/modelstest"
)

// TestVersionEverywhere: mockround version, /healthz and the page footer
// give the same version.
func TestVersionEverywhere(t *testing.T) {
	want := buildVersion()
	if want == "" {
		t.Fatal("empty version")
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, envOf(nil), nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "mockround "+want+" (go") {
		t.Errorf("version printed %q, want mockround %s (go…)", out.String(), want)
	}

	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	var logs syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, nil, envOf(map[string]string{"ADDR": addr, "DATA_DIR": t.TempDir()}), nil, &logs, &logs)
	}()
	defer func() { cancel(); <-done }()
	base := "http://" + addr
	waitHealthy(t, base, done, &logs)
	var health map[string]string
	getJSON(t, base+"/healthz", &health)
	if health["status"] != "ok" || health["version"] != want {
		t.Errorf("/healthz = %v, want status ok and version %s", health, want)
	}
	res, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), `data-testid="version">Version `+want+`<`) {
		t.Errorf("the footer does not show version %s", want)
	}
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
}

// TestMigrateCommand: migrate applies every migration once, on SQLite and
// PostgreSQL, and a second run has nothing to do.
func TestMigrateCommand(t *testing.T) {
	for _, d := range []modelstest.Dialect{modelstest.SQLite, modelstest.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			dir := t.TempDir()
			env := map[string]string{"DATA_DIR": dir}
			if d == modelstest.Postgres {
				env["DATABASE_URL"] = modelstest.PostgresURL(t)
			}
			var out, errs bytes.Buffer
			if err := run(context.Background(), []string{"migrate"}, envOf(env), nil, &out, &errs); err != nil {
				t.Fatalf("migrate: %v\n%s", err, errs.String())
			}
			_, total, _ := models.MigrateReport(context.Background(), modelstest.Open(t, d))
			if !strings.Contains(out.String(), "applied 0001_users_rounds\n") ||
				!strings.Contains(out.String(), fmt.Sprintf("migrate: %d applied now, %d in all", total, total)) {
				t.Errorf("first run printed:\n%s", out.String())
			}
			out.Reset()
			if err := run(context.Background(), []string{"migrate"}, envOf(env), nil, &out, &errs); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), fmt.Sprintf("migrate: 0 applied now, %d in all", total)) || strings.Contains(out.String(), "applied 0") {
				t.Errorf("second run printed:\n%s", out.String())
			}
		})
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"migrate", "now"}, envOf(nil), nil, &out, &out); exitCode(err) != 2 {
		t.Errorf("migrate with an argument: %v", err)
	}
}

// TestBackupDuringWrites: a backup taken while rounds are being written
// opens on its own and passes PRAGMA integrity_check, with the rows
// written before it; backing up over an existing file is refused.
func TestBackupDuringWrites(t *testing.T) {
	dir := t.TempDir()
	env := envOf(map[string]string{"DATA_DIR": dir})
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"migrate"}, env, nil, &out, &errs); err != nil {
		t.Fatal(err)
	}
	db, err := models.Open(filepath.Join(dir, "mockround.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := db.DB()
	defer sqlDB.Close()
	store := models.NewStore(db)
	ctx := context.Background()
	u, err := store.LocalUser(ctx)
	if err != nil {
		t.Fatal(err)
	}
	newRound := func() error {
		r := models.Round{UserID: u.ID, Type: "drill", Stack: "go", Level: "middle", Area: "caching", Feedback: "study",
			QuestionIDs: models.StringList{"cache-read-volume-tripled"}, Status: models.RoundActive, StartedAt: time.Now().UTC(),
			JobDescription: strings.Repeat("a job description to make the rows bigger ", 50)}
		return store.CreateRound(ctx, &r)
	}
	for range 50 {
		if err := newRound(); err != nil {
			t.Fatal(err)
		}
	}
	var stop atomic.Bool
	var written atomic.Int64
	var wg sync.WaitGroup
	wg.Go(func() {
		for !stop.Load() {
			if err := newRound(); err != nil {
				t.Errorf("write during the backup: %v", err)
				return
			}
			written.Add(1)
		}
	})
	for written.Load() < 20 {
		time.Sleep(5 * time.Millisecond)
	}
	path := filepath.Join(dir, "backups", "mockround-backup.db")
	out.Reset()
	before := written.Load()
	err = run(ctx, []string{"backup", path}, env, nil, &out, &errs)
	after := written.Load()
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, errs.String())
	}
	if !strings.Contains(out.String(), "integrity ok") {
		t.Errorf("backup printed %q", out.String())
	}
	t.Logf("rounds written by the writer: %d before the backup, %d when it ended", before, after)
	if err := models.CheckSQLite(ctx, path); err != nil {
		t.Fatal(err)
	}
	copyDB, err := models.OpenSQLiteReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	copySQL, _ := copyDB.DB()
	defer copySQL.Close()
	var check string
	if err := copyDB.Raw("PRAGMA integrity_check").Scan(&check).Error; err != nil || check != "ok" {
		t.Errorf("integrity_check of the copy: %q, %v", check, err)
	}
	var n int64
	if err := copyDB.Model(&models.Round{}).Count(&n).Error; err != nil || n < 70 {
		t.Errorf("the copy holds %d rounds (%v), want at least the 70 written before it", n, err)
	}
	if err := run(ctx, []string{"backup", path}, env, nil, &out, &errs); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("backup over an existing file: %v", err)
	}
}

// TestBackupPostgresPrintsPgDump: on PostgreSQL, backup says how to use
// pg_dump, without printing the database URL (it may hold a password).
func TestBackupPostgresPrintsPgDump(t *testing.T) {
	var out bytes.Buffer
	url := "postgres://app:secret@db.example/mockround"
	if err := run(context.Background(), []string{"backup", "/var/backups/mr.dump"}, envOf(map[string]string{"DATABASE_URL": url}), nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `pg_dump --format=custom --file=/var/backups/mr.dump "$DATABASE_URL"`) || strings.Contains(out.String(), "secret") {
		t.Errorf("printed:\n%s", out.String())
	}
}

// TestServeWithRedis: with REDIS_URL the server counts its limits in
// Redis; a Redis it cannot reach stops start-up with the variable named.
func TestServeWithRedis(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), nil, envOf(map[string]string{"ADDR": freeAddr(t), "DATA_DIR": t.TempDir(), "REDIS_URL": "redis://127.0.0.1:1/0"}), nil, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "REDIS_URL: cannot reach Redis at 127.0.0.1:1") {
		t.Errorf("unreachable Redis: %v", err)
	}
	redisURL := os.Getenv("TEST_REDIS_URL")
	if redisURL == "" {
		modelstest.SkipOrFail(t, "TEST_REDIS_URL is not set, so the Redis tests do not run (see README, Tests)")
	}
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	var logs syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, nil, envOf(map[string]string{"ADDR": addr, "DATA_DIR": t.TempDir(), "REDIS_URL": redisURL}), nil, &logs, &logs)
	}()
	waitHealthy(t, "http://"+addr, done, &logs)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "rate limits shared through Redis") {
		t.Errorf("the server should say its limits are in Redis:\n%s", logs.String())
	}
}
