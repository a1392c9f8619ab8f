package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/oauth2-proxy/mockoidc"

	"github.com/mockround/mockround/models"
)

// server is a mockround started for the load test, on a fresh database.
type server struct {
	cmd      *exec.Cmd
	provider *mockoidc.MockOIDC
	base     string
	dataDir  string
	cleanup  func()
}

// raisedLimits take the rate limits out of the way: the learners share
// one address and, in local mode, one user.
var raisedLimits = []string{"ANSWER_RATE_LIMIT=1000000", "LOGIN_RATE_LIMIT=1000000", "DRAFT_RATE_LIMIT=1000000", "ROUND_RATE_LIMIT=1000000"}

// startServer starts bin on a fresh database with login through an
// OpenID Connect provider run here (mockoidc), with one account queued per
// learner: each learner logs in as a person of their own, as on a team's
// server.
func startServer(ctx context.Context, bin, database string, learners int, getenv func(string) string, stderr io.Writer) (*server, error) {
	dir, err := os.MkdirTemp("", "mockload-")
	if err != nil {
		return nil, err
	}
	s := &server{dataDir: dir, cleanup: func() {}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	provider, err := mockoidc.NewServer(nil)
	if err != nil {
		return nil, err
	}
	// mockoidc's session store is a plain map: serve its requests one at a
	// time, or 50 learners logging in together write it concurrently.
	var one sync.Mutex
	if err := provider.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			one.Lock()
			defer one.Unlock()
			next.ServeHTTP(w, r)
		})
	}); err != nil {
		return nil, err
	}
	oln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	if err := provider.Start(oln, nil); err != nil {
		return nil, fmt.Errorf("start the OpenID Connect provider: %w", err)
	}
	for i := range learners {
		provider.QueueUser(&mockoidc.MockUser{Subject: fmt.Sprintf("learner-%d", i), Email: fmt.Sprintf("learner-%d@example.com", i),
			EmailVerified: true, PreferredUsername: fmt.Sprintf("Learner %d", i)})
	}
	s.provider = provider
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	cfg := provider.Config()
	env := append(os.Environ(), "ADDR="+addr, "DATA_DIR="+dir, "LOG_LEVEL=error", "BASE_URL=http://"+addr,
		"SESSION_SECRET="+hex.EncodeToString(secret), "OIDC_ISSUER="+cfg.Issuer, "OIDC_CLIENT_ID="+cfg.ClientID, "OIDC_CLIENT_SECRET="+cfg.ClientSecret)
	env = append(env, raisedLimits...)
	switch database {
	case "sqlite":
		env = append(env, "DATABASE_URL="+dir+"/mockround.db")
	case "postgres":
		dsn, drop, err := freshSchema(getenv("TEST_DATABASE_URL"))
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		s.cleanup = drop
		env = append(env, "DATABASE_URL="+dsn)
	default:
		return nil, fmt.Errorf("-database %q: use sqlite or postgres", database)
	}
	s.cmd = exec.CommandContext(ctx, bin)
	s.cmd.Env = env
	s.cmd.Stdout, s.cmd.Stderr = stderr, stderr
	if err := s.cmd.Start(); err != nil {
		s.cleanup()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	s.base = "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get(s.base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, errors.New("the server did not become healthy in 60 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop ends the server as SIGTERM would and removes its data.
func (s *server) stop() {
	if s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = s.cmd.Process.Kill()
		}
	}
	if s.provider != nil {
		_ = s.provider.Shutdown()
	}
	s.cleanup()
	os.RemoveAll(s.dataDir)
}

// cpu is the CPU time the server's threads have used so far (0 when it
// cannot be read): utime and stime of /proc/PID/stat, in the kernel's
// USER_HZ ticks, which are 100 a second on Linux.
func (s *server) cpu() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// The fields after the command name, which is in parentheses and may
	// hold spaces: state is field 3, utime 14 and stime 15.
	_, rest, ok := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if !ok || len(f) < 13 {
		return 0
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	const userHZ = 100
	return time.Duration(utime+stime) * time.Second / userHZ
}

// rss is the server's resident memory now and at its peak.
func (s *server) rss() string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	var now, peak string
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			now = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			peak = strings.TrimSpace(v)
		}
	}
	return fmt.Sprintf("RSS %s (peak %s)", now, peak)
}

// freshSchema creates an empty schema in the PostgreSQL database of base
// and returns a URL that uses it, and how to drop it.
func freshSchema(base string) (dsn string, drop func(), err error) {
	if base == "" {
		return "", nil, errors.New("-database postgres needs TEST_DATABASE_URL")
	}
	raw := make([]byte, 6)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, err
	}
	schema := "load_" + hex.EncodeToString(raw)
	admin, err := models.Open(base, nil)
	if err != nil {
		return "", nil, fmt.Errorf("TEST_DATABASE_URL: %w", err)
	}
	sqlDB, err := admin.DB()
	if err != nil {
		return "", nil, err
	}
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		sqlDB.Close()
		return "", nil, fmt.Errorf("create schema: %w", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		sqlDB.Close()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		sqlDB.Close()
	}, nil
}
