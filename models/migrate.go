package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Migration is one versioned schema change. Migrate gets a transaction;
// it works on struct copies declared inside the migration, never on the
// live model types, so a later change to a model cannot rewrite history.
type Migration struct {
	ID      string
	Migrate func(tx *gorm.DB) error
}

// schemaMigration records an applied migration.
type schemaMigration struct {
	ID        string `gorm:"primaryKey;size:100"`
	AppliedAt time.Time
}

func (schemaMigration) TableName() string { return "schema_migrations" }

// pgMigrateLock is the advisory lock key that keeps two instances starting
// at once from running the same migration twice.
const pgMigrateLock = 727_001

// Migrate applies the pending migrations in order, each in its own
// transaction together with its record in schema_migrations. Running it
// again is a no-op.
func Migrate(ctx context.Context, db *gorm.DB) error {
	_, err := migrate(ctx, db, migrations)
	return err
}

// MigrateReport is Migrate that also says which migrations it applied
// and how many the schema has in all (mockround migrate).
func MigrateReport(ctx context.Context, db *gorm.DB) (applied []string, total int, err error) {
	applied, err = migrate(ctx, db, migrations)
	return applied, len(migrations), err
}

func migrate(ctx context.Context, db *gorm.DB, ms []Migration) (ran []string, err error) {
	db = db.WithContext(ctx)
	if db.Dialector.Name() == "postgres" {
		// A session-level advisory lock needs one connection for lock,
		// work and unlock.
		conn, err := db.DB()
		if err != nil {
			return nil, err
		}
		c, err := conn.Conn(ctx)
		if err != nil {
			return nil, err
		}
		defer c.Close()
		if _, err := c.ExecContext(ctx, "SELECT pg_advisory_lock($1)", pgMigrateLock); err != nil {
			return nil, fmt.Errorf("lock migrations: %w", err)
		}
		defer c.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", pgMigrateLock) //nolint:errcheck // the lock also ends with the session
	}
	if err := db.AutoMigrate(&schemaMigration{}); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	var applied []string
	if err := db.Model(&schemaMigration{}).Pluck("id", &applied).Error; err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	done := make(map[string]bool, len(applied))
	for _, id := range applied {
		done[id] = true
	}
	for _, m := range ms {
		if done[m.ID] {
			continue
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			if err := m.Migrate(tx); err != nil {
				return err
			}
			return tx.Create(&schemaMigration{ID: m.ID, AppliedAt: time.Now().UTC()}).Error
		})
		if err != nil {
			return ran, fmt.Errorf("migration %s: %w", m.ID, err)
		}
		ran = append(ran, m.ID)
	}
	return ran, nil
}
