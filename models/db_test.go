package models

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
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
