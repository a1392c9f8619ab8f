package models

import (
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm/schema"
)

// TestScannedColumns: the round page's hand-written scans read every
// column of their tables, in the order gorm maps the fields.
func TestScannedColumns(t *testing.T) {
	var round roundScan
	var turn turnScan
	for _, c := range []struct {
		model   any
		columns string
		dest    []any
	}{{&Round{}, roundColumns, round.dest()}, {&Turn{}, turnColumns, turn.dest()}} {
		s, err := schema.Parse(c.model, &sync.Map{}, schema.NamingStrategy{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := strings.Split(c.columns, ", "), s.DBNames; strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: scanned %v,\n table has %v", s.Table, got, want)
		}
		if n := len(strings.Split(c.columns, ", ")); len(c.dest) != n {
			t.Errorf("%s: %d destinations for %d columns", s.Table, len(c.dest), n)
		}
	}
}

func TestNumberedParams(t *testing.T) {
	for in, want := range map[string]string{
		"SELECT 1":                          "SELECT 1",
		"a = ? AND b = ?":                   "a = $1 AND b = $2",
		"(x <= ?) FROM t WHERE id = ? OR ?": "(x <= $1) FROM t WHERE id = $2 OR $3",
	} {
		if got := numberedParams(in); got != want {
			t.Errorf("numberedParams(%q) = %q, want %q", in, got, want)
		}
	}
}
