package models_test

import (
	"context"
	"testing"

	"gorm.io/gorm"

	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/models/modelstest"
)

func TestMigrateIsIdempotent(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		var before int64
		if err := db.Table("schema_migrations").Count(&before).Error; err != nil {
			t.Fatal(err)
		}
		if before == 0 {
			t.Fatal("no migrations recorded")
		}
		if err := models.Migrate(context.Background(), db); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		var after int64
		db.Table("schema_migrations").Count(&after)
		if after != before {
			t.Errorf("migrations recorded: %d, then %d", before, after)
		}
		for _, table := range []string{"users", "rounds"} {
			if !db.Migrator().HasTable(table) {
				t.Errorf("table %s missing", table)
			}
		}
	})
}

func TestForeignKeysEnforced(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		err := db.Exec(`INSERT INTO rounds (user_id, type, stack, level, feedback, question_ids, seed, status, started_at)
			VALUES (999, 'screening', 'go', 'middle', 'study', '[]', 1, 'active', CURRENT_TIMESTAMP)`).Error
		if err == nil {
			t.Error("a round of a user that does not exist was stored")
		}
	})
}

func TestSQLiteUsesWAL(t *testing.T) {
	db := modelstest.Open(t, modelstest.SQLite)
	var mode string
	if err := db.Raw("PRAGMA journal_mode").Scan(&mode).Error; err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
}

func TestLocalUserCreatedOnce(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := models.NewStore(db)
		a := localUser(t, s)
		b := localUser(t, s)
		if a.ID == 0 || a.ID != b.ID || !a.IsLocal {
			t.Errorf("local users %+v and %+v", a, b)
		}
		if a.DesiredRetention != models.DefaultRetention {
			t.Errorf("retention = %v", a.DesiredRetention)
		}
	})
}

func TestLaterMigrationsAddTheirTables(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		for _, table := range []string{"turns", "drafts", "skill_cards", "review_logs", "drill_plans"} {
			if !db.Migrator().HasTable(table) {
				t.Errorf("table %s missing", table)
			}
		}
		if !db.Migrator().HasColumn("rounds", "drill_plan_id") {
			t.Error("rounds.drill_plan_id missing")
		}
		if db.Migrator().HasTable("round_v3") || db.Migrator().HasTable("round_v3s") {
			t.Error("a migration's struct copy created a table of its own")
		}
	})
}
