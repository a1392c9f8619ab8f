package models

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm/logger"
)

// TestFailedStatementsLoggedOncePerBurst: an outage fails every query;
// the log gets one line for the burst, not one per query.
func TestFailedStatementsLoggedOncePerBurst(t *testing.T) {
	var buf bytes.Buffer
	l := newLogger(slog.New(slog.NewTextHandler(&buf, nil)))
	fc := func() (string, int64) { return "SELECT 1", 0 }
	for range 3000 {
		l.Trace(context.Background(), time.Now(), fc, errors.New("connection refused"))
	}
	if n := strings.Count(buf.String(), "connection refused"); n != 1 {
		t.Errorf("%d lines for a burst of 3000 failures, want 1", n)
	}
}

// TestQuickStatementsNotWrittenOut: a statement that succeeds in time is
// neither logged nor written out (gorm interpolates its values to do
// that); a slow one is logged, and at the Info level every one is.
func TestQuickStatementsNotWrittenOut(t *testing.T) {
	var buf bytes.Buffer
	l := newLogger(slog.New(slog.NewTextHandler(&buf, nil)))
	calls := 0
	fc := func() (string, int64) { calls++; return "SELECT 1", 1 }
	l.Trace(context.Background(), time.Now(), fc, nil)
	if calls != 0 || buf.Len() != 0 {
		t.Errorf("a quick statement was written out %d times, logged %q", calls, buf.String())
	}
	l.Trace(context.Background(), time.Now().Add(-2*slowStatement), fc, nil)
	if calls != 1 || !strings.Contains(buf.String(), "SELECT 1") {
		t.Errorf("a slow statement was not logged: %q", buf.String())
	}
	buf.Reset()
	l.LogMode(logger.Info).Trace(context.Background(), time.Now(), fc, nil)
	if !strings.Contains(buf.String(), "SELECT 1") {
		t.Errorf("at the Info level a quick statement was not logged: %q", buf.String())
	}
}
