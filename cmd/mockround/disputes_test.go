package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/models/modelstest"
)

// TestDisputesJSON lists disputes per question from a real database,
// SQLite and PostgreSQL.
func TestDisputesJSON(t *testing.T) {
	dbs := map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return models.SQLiteDSN(filepath.Join(t.TempDir(), "m.db")) },
		"postgres": func(t *testing.T) string { return modelstest.PostgresURL(t) },
	}
	for name, dsn := range dbs {
		t.Run(name, func(t *testing.T) {
			env := map[string]string{"DATABASE_URL": dsn(t), "DATA_DIR": t.TempDir()}
			out, _, err := runCmd(t, env, "", "disputes", "--json")
			if err != nil {
				t.Fatal(err)
			}
			var empty struct{ Questions []any }
			if err := json.Unmarshal([]byte(out), &empty); err != nil || empty.Questions == nil || len(empty.Questions) != 0 {
				t.Fatalf("no disputes: %v %s", err, out)
			}

			db, err := models.Open(env["DATABASE_URL"], nil)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			u, err := models.NewStore(db).LocalUser(ctx)
			if err != nil {
				t.Fatal(err)
			}
			at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
			r := models.Round{UserID: u.ID, Type: "drill", Stack: "go", Level: "middle", Feedback: "study", QuestionIDs: models.StringList{"cache-when-slower", "api-pagination"}, Status: models.RoundActive, StartedAt: at}
			db.Create(&r)
			for i, qid := range []string{"cache-when-slower", "api-pagination"} {
				turn := models.Turn{RoundID: r.ID, UserID: u.ID, Position: i, QuestionID: qid, Status: models.TurnGraded, AnsweredAt: at}
				db.Create(&turn)
				db.Create(&models.Dispute{UserID: u.ID, RoundID: r.ID, TurnID: turn.ID, QuestionID: qid, Kind: "missed", Target: "kp-" + qid, TargetText: "A point", Sentence: "My sentence about " + qid + ".", CreatedAt: at})
				if i == 0 {
					db.Create(&models.Dispute{UserID: u.ID, RoundID: r.ID, TurnID: turn.ID, QuestionID: qid, Kind: "red_flag", Target: "Claims a cache always reduces latency", Sentence: "A cache helps.", CreatedAt: at})
				}
			}
			if sqlDB, err := db.DB(); err == nil {
				sqlDB.Close()
			}

			out, _, err = runCmd(t, env, "", "disputes", "--json")
			if err != nil {
				t.Fatal(err)
			}
			var got struct {
				Questions []questionDisputes `json:"questions"`
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if len(got.Questions) != 2 || got.Questions[0].QuestionID != "api-pagination" || got.Questions[1].QuestionID != "cache-when-slower" {
				t.Fatalf("questions %+v", got.Questions)
			}
			c := got.Questions[1]
			if c.Count != 2 || len(c.Disputes) != 2 {
				t.Fatalf("cache-when-slower: %+v", c)
			}
			d := c.Disputes[0]
			if d.Kind != "missed" || d.KeyPoint != "kp-cache-when-slower" || d.KeyPointText != "A point" || d.Sentence != "My sentence about cache-when-slower." || !d.At.Equal(at) {
				t.Errorf("dispute %+v", d)
			}
			if f := c.Disputes[1]; f.Kind != "red_flag" || f.KeyPoint != "Claims a cache always reduces latency" || f.Sentence != "A cache helps." {
				t.Errorf("red flag dispute %+v", f)
			}
		})
	}
}
