package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mockround/mockround/handlers"
	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/interview/llm"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadConfig(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    Config
		wantErr string
	}{
		{
			name: "OK defaults",
			env:  map[string]string{},
			want: Config{Addr: ":8080", DataDir: "data", DatabaseURL: filepath.Join("data", "mockround.db"),
				BaseURL: "http://localhost:8080", LogLevel: slog.LevelInfo, LogFormat: "text", Limits: defaultLimits},
		},
		{
			name: "OK postgres and json logs",
			env: map[string]string{"ADDR": "127.0.0.1:9000", "DATABASE_URL": "postgres://u@h/db", "BASE_URL": "https://m.example/",
				"LOG_LEVEL": "debug", "LOG_FORMAT": "json", "SESSION_SECRET": strings.Repeat("x", 32)},
			want: Config{Addr: "127.0.0.1:9000", DataDir: "data", DatabaseURL: "postgres://u@h/db", BaseURL: "https://m.example",
				LogLevel: slog.LevelDebug, LogFormat: "json", SessionSecret: strings.Repeat("x", 32), Limits: defaultLimits},
		},
		{
			name: "OK rate limits",
			env:  map[string]string{"ANSWER_RATE_LIMIT": "90", "LOGIN_RATE_LIMIT": " 5 ", "DRAFT_RATE_LIMIT": "1000000", "ROUND_RATE_LIMIT": "1", "MODEL_RATE_LIMIT": "7"},
			want: Config{Addr: ":8080", DataDir: "data", DatabaseURL: filepath.Join("data", "mockround.db"),
				BaseURL: "http://localhost:8080", LogLevel: slog.LevelInfo, LogFormat: "text",
				Limits: handlers.Limits{AnswersPerMinute: 90, LoginPerMinute: 5, DraftsPerMinute: 1_000_000, RoundsPerMinute: 1, ModelCallsPerMinute: 7}},
		},
		{name: "ErrAnswerRateLimitZero", env: map[string]string{"ANSWER_RATE_LIMIT": "0"}, wantErr: `ANSWER_RATE_LIMIT "0" must be a whole number of requests per minute from 1 to 1000000 (default 30)`},
		{name: "ErrLoginRateLimitWord", env: map[string]string{"LOGIN_RATE_LIMIT": "lots"}, wantErr: `LOGIN_RATE_LIMIT "lots"`},
		{name: "ErrRedisURL", env: map[string]string{"REDIS_URL": "localhost:6379"}, wantErr: "REDIS_URL is not a Redis URL"},
		{name: "ErrDraftRateLimitHuge", env: map[string]string{"DRAFT_RATE_LIMIT": "1000001"}, wantErr: "DRAFT_RATE_LIMIT"},
		{name: "ErrAddr", env: map[string]string{"ADDR": "8080"}, wantErr: "ADDR"},
		{name: "ErrBaseURL", env: map[string]string{"BASE_URL": "mockround.example"}, wantErr: "BASE_URL"},
		{name: "ErrShortSecret", env: map[string]string{"SESSION_SECRET": "short"}, wantErr: "SESSION_SECRET must be at least 32"},
		{name: "ErrLogLevel", env: map[string]string{"LOG_LEVEL": "loud"}, wantErr: "LOG_LEVEL"},
		{name: "ErrLogFormat", env: map[string]string{"LOG_FORMAT": "xml"}, wantErr: "LOG_FORMAT"},
		{name: "ErrDatabaseURL", env: map[string]string{"DATABASE_URL": "mysql://x"}, wantErr: "DATABASE_URL"},
		{name: "ErrSeveralAtOnce", env: map[string]string{"LOG_LEVEL": "loud", "LOG_FORMAT": "xml"}, wantErr: "LOG_FORMAT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := loadConfig(envOf(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to mention %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

var defaultLimits = handlers.Limits{AnswersPerMinute: 30, LoginPerMinute: 20, DraftsPerMinute: 120, RoundsPerMinute: 20, ModelCallsPerMinute: 20}

func TestSessionSecretIsKept(t *testing.T) {
	dir := t.TempDir()
	c := Config{DataDir: dir}
	first, err := c.sessionSecret()
	if err != nil {
		t.Fatal(err)
	}
	if len(first) < minSecretLen {
		t.Fatalf("secret too short: %d", len(first))
	}
	second, err := c.sessionSecret()
	if err != nil {
		t.Fatal(err)
	}
	if string(first) != string(second) {
		t.Error("a restart generated a new secret")
	}
	st, err := os.Stat(filepath.Join(dir, "session.key"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("session.key mode = %v, want 0600", st.Mode().Perm())
	}
}

// TestInterviewerInstantWithoutModel: with no model configured, the
// interviewer serve runs grades in the process, so answers are stored
// already graded in one transaction (handlers.answerAtOnce); with a model
// they are stored first, then graded.
func TestInterviewerInstantWithoutModel(t *testing.T) {
	bank, err := grader.LoadBank()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		llm  llm.Config
		want bool
	}{
		{"OK/NoModel", llm.Config{}, true},
		{"OK/Model", llm.Config{BaseURL: "http://127.0.0.1:1/v1", Model: "m"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tg, _, err := Config{LLM: tc.llm}.interviewer(bank, nil)
			if err != nil {
				t.Fatal(err)
			}
			var g handlers.TurnGrader = tg
			ig, ok := g.(handlers.InstantGrader)
			if !ok || ig.Instant() != tc.want {
				t.Errorf("instant grader: %v, Instant() = %v; want %v", ok, ok && ig.Instant(), tc.want)
			}
		})
	}
}
