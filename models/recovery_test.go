package models_test

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/mockround/mockround/models"
)

// TestSQLiteRecoversFromReadOnly makes the database's folder read-only
// while the app runs, then writable again: writes fail meanwhile (and
// Health says so), then work again without a restart. File permissions do
// not bind root, so as root the test runs itself as nobody.
func TestSQLiteRecoversFromReadOnly(t *testing.T) {
	dir := os.Getenv("MOCKROUND_RO_DIR")
	if dir == "" && os.Geteuid() == 0 {
		runAsNobody(t)
		return
	}
	if dir == "" {
		dir = t.TempDir()
	}
	ctx := context.Background()
	db, err := models.Open(filepath.Join(dir, "ro.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	if err := models.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	s := models.NewStore(db)
	u := localUser(t, s)
	write := func() error { return db.Exec("UPDATE users SET name = name || '.' WHERE id = ?", u.ID).Error }
	if err := write(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "ro.db"), 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o755)
	// Connections opened from now on open read-only.
	sqlDB.SetMaxIdleConns(0)
	sqlDB.SetMaxIdleConns(2)
	failed := 0
	for range 3 {
		if write() != nil {
			failed++
		}
	}
	if failed == 0 {
		t.Fatal("writes to a read-only folder succeeded: the test does not test anything")
	}
	if err := s.Health(ctx); err == nil {
		t.Error("Health is fine while writes fail")
	}
	os.Chmod(dir, 0o755)
	os.Chmod(filepath.Join(dir, "ro.db"), 0o644)
	if err := s.Health(ctx); err != nil {
		t.Errorf("Health after the folder is writable again: %v", err)
	}
	for i := range 5 {
		if err := write(); err != nil {
			t.Errorf("write %d after the folder is writable again: %v", i, err)
		}
	}
}

// runAsNobody runs the test again as the nobody user, in a folder of its
// own, and reports its outcome.
func runAsNobody(t *testing.T) {
	if _, err := exec.LookPath("su"); err != nil {
		t.Skip("running as root without su: file permissions cannot make the database read-only")
	}
	tmp, err := os.MkdirTemp("", "mockround-ro-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "models.test")
	if err := copyFile(os.Args[0], bin); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(tmp, "data")
	for _, step := range [][]string{{"chmod", "755", tmp, bin}, {"mkdir", data}, {"chown", "nobody", data}} {
		if out, err := exec.Command(step[0], step[1:]...).CombinedOutput(); err != nil {
			t.Skipf("%v: %v %s", step, err, out)
		}
	}
	cmd := exec.Command("su", "-s", "/bin/sh", "nobody", "-c",
		"MOCKROUND_RO_DIR="+data+" "+bin+" -test.run '^TestSQLiteRecoversFromReadOnly$' -test.v")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("as nobody: %v\n%s", err, out)
	}
	t.Logf("as nobody:\n%s", out)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
