package models

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
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

// Scores are the overall score and the six dimensions, as columns.
type Scores struct {
	Overall       float64 `gorm:"type:double precision"`
	Accuracy      float64 `gorm:"type:double precision"`
	Depth         float64 `gorm:"type:double precision"`
	Tradeoffs     float64 `gorm:"type:double precision"`
	Structure     float64 `gorm:"type:double precision"`
	Specificity   float64 `gorm:"type:double precision"`
	Communication float64 `gorm:"type:double precision"`
}
