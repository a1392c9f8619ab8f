package models

import (
	"time"

	"gorm.io/gorm"
)

// migrations is the schema's history, oldest first. Never edit a migration
// that has shipped: add a new one.
var migrations = []Migration{
	{ID: "0001_users_rounds", Migrate: func(tx *gorm.DB) error {
		type user struct {
			ID               uint `gorm:"primaryKey"`
			Name             string
			Email            string
			IsLocal          bool    `gorm:"not null;default:false;index"`
			DesiredRetention float64 `gorm:"type:double precision;not null;default:0.9"`
			CreatedAt        time.Time
			UpdatedAt        time.Time
		}
		type round struct {
			ID             uint      `gorm:"primaryKey"`
			UserID         uint      `gorm:"not null;index:idx_rounds_user_started,priority:1"`
			User           user      `gorm:"constraint:OnDelete:CASCADE"`
			Type           string    `gorm:"size:20;not null"`
			Stack          string    `gorm:"size:20;not null"`
			Level          string    `gorm:"size:20;not null"`
			Area           string    `gorm:"size:40;not null;default:''"`
			Feedback       string    `gorm:"size:20;not null"`
			QuestionIDs    string    `gorm:"type:text;not null"`
			Technologies   string    `gorm:"type:text;not null;default:''"`
			JobDescription string    `gorm:"type:text;not null;default:''"`
			Seed           int64     `gorm:"not null"`
			Position       int       `gorm:"not null;default:0"`
			Status         string    `gorm:"size:20;not null;index"`
			Overall        float64   `gorm:"type:double precision;not null;default:0"`
			Accuracy       float64   `gorm:"type:double precision;not null;default:0"`
			Depth          float64   `gorm:"type:double precision;not null;default:0"`
			Tradeoffs      float64   `gorm:"type:double precision;not null;default:0"`
			Structure      float64   `gorm:"type:double precision;not null;default:0"`
			Specificity    float64   `gorm:"type:double precision;not null;default:0"`
			Communication  float64   `gorm:"type:double precision;not null;default:0"`
			StartedAt      time.Time `gorm:"not null;index:idx_rounds_user_started,priority:2"`
			FinishedAt     *time.Time
			CreatedAt      time.Time
			UpdatedAt      time.Time
		}
		return tx.Migrator().CreateTable(&user{}, &round{})
	}},
}
