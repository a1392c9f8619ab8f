package models

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/mockround/mockround/interview/grader"
)

// StringList is a list of strings stored as a JSON array in a text column.
type StringList []string

// Value implements driver.Valuer.
func (l StringList) Value() (driver.Value, error) {
	if l == nil {
		l = StringList{}
	}
	b, err := json.Marshal([]string(l))
	return string(b), err
}

// Scan implements sql.Scanner.
func (l *StringList) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		*l = nil
		return nil
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("StringList: cannot scan %T", src)
	}
	if len(b) == 0 {
		*l = nil
		return nil
	}
	return json.Unmarshal(b, (*[]string)(l))
}

// Scores are the overall score and the six dimensions, as columns: one
// column per entry of grader.DimensionList, named by it.
type Scores struct {
	Overall           float64 `gorm:"type:double precision"`
	grader.Dimensions `gorm:"embedded"`
}

// putColumns adds the scores to a map of column updates.
func (s Scores) putColumns(updates map[string]any) {
	updates["overall"] = s.Overall
	for _, d := range grader.DimensionList {
		updates[d.Name] = s.Get(d.Name)
	}
}

// withColumns adds the scores to updates and returns them.
func (s Scores) withColumns(updates map[string]any) map[string]any {
	s.putColumns(updates)
	return updates
}

// scoreColumns are the score columns, "overall" first, for a SELECT.
var scoreColumns = "overall, " + strings.Join(grader.DimensionNames, ", ")

// averageColumns average the score columns, each under its own name.
var averageColumns = func() string {
	cols := []string{"AVG(overall) AS overall"}
	for _, n := range grader.DimensionNames {
		cols = append(cols, "AVG("+n+") AS "+n)
	}
	return strings.Join(cols, ", ")
}()

// scoreFields are scan targets for scoreColumns.
func (s *Scores) scoreFields() []any {
	out := []any{&s.Overall}
	for _, f := range s.Fields() {
		out = append(out, f)
	}
	return out
}

// Timestamp scans a time that SQLite may return as text (from an
// aggregate such as MAX, which loses the column's type).
type Timestamp struct{ time.Time }

// Scan implements sql.Scanner.
func (t *Timestamp) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		t.Time = time.Time{}
		return nil
	case time.Time:
		t.Time = v
		return nil
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	}
	return fmt.Errorf("Timestamp: cannot scan %T", src)
}

var timestampLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04:05",
}

func (t *Timestamp) parse(s string) error {
	for _, layout := range timestampLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v
			return nil
		}
	}
	return fmt.Errorf("Timestamp: cannot parse %q", s)
}

// Value implements driver.Valuer.
func (t Timestamp) Value() (driver.Value, error) { return t.Time, nil }
