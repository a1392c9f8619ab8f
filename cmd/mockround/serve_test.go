package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mockround/mockround/models/modelstest"
)

// syncBuffer is a bytes.Buffer safe for the server's log goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// healthyWithin is how long a test waits for the server to report healthy.
const healthyWithin = 2 * time.Minute

// waitHealthy polls /healthz until the server answers 200. A server that
// stops first (run returned on done) fails the test at once with its
// error and its logs; the error is put back on done for the test's own
// wait.
func waitHealthy(t *testing.T, base string, done chan error, logs *syncBuffer) {
	t.Helper()
	// A readiness wait, not a speed claim: under the race detector the
	// bank alone takes about 13 s to load on a quiet machine, and more on
	// a busy one.
	deadline := time.Now().Add(healthyWithin)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			done <- err
			t.Fatalf("the server stopped before it was healthy: %v\n%s", err, logs.String())
		default:
		}
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the server did not become healthy in %v:\n%s", healthyWithin, logs.String())
}

// TestServeFreshAndGracefulShutdown starts the real server on a fresh data
// folder (no configuration), serves the home page, and stops cleanly when
// the context ends, as on SIGTERM.
func TestServeFreshAndGracefulShutdown(t *testing.T) {
	addr := freeAddr(t)
	env := envOf(map[string]string{"ADDR": addr, "DATA_DIR": t.TempDir()})
	ctx, cancel := context.WithCancel(context.Background())
	var logs syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, env, nil, &logs, &logs) }()
	base := "http://" + addr
	waitHealthy(t, base, done, &logs)

	res, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("home: %d", res.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run returned %v\nlogs:\n%s", err, logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("server did not stop")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("server still answers after shutdown")
	}
}

// TestServePostgres serves the home page from PostgreSQL, as
// DATABASE_URL=postgres://… does for a team.
func TestServePostgres(t *testing.T) {
	dsn := modelstest.PostgresURL(t)
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, nil, envOf(map[string]string{"ADDR": addr, "DATA_DIR": t.TempDir(), "DATABASE_URL": dsn}), nil, &logs, &logs)
	}()
	waitHealthy(t, "http://"+addr, done, &logs)
	res, err := http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("home: %d", res.StatusCode)
	}
	if !strings.Contains(logs.String(), "database=postgresql") {
		t.Errorf("the server should say it runs on PostgreSQL:\n%s", logs.String())
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestServeRefusesBadConfig(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), nil, envOf(map[string]string{"LOG_LEVEL": "loud"}), nil, &out, &out)
	if err == nil || exitCode(err) != 1 {
		t.Fatalf("err = %v", err)
	}
}

// TestServeGCPercent: the server collects garbage at serveGCPercent
// unless GOGC is set, which wins.
func TestServeGCPercent(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	debug.SetGCPercent(100)
	setGCPercent(func(string) string { return "" })
	if got := debug.SetGCPercent(100); got != serveGCPercent {
		t.Errorf("GOGC unset: the server collects at %d, want %d", got, serveGCPercent)
	}
	setGCPercent(func(k string) string { return map[string]string{"GOGC": "200"}[k] })
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC=200 in the environment: the server changed the setting to %d", got)
	}
}
