package interview

import (
	"strings"
	"testing"
)

func TestSpeakingBudgetFor(t *testing.T) {
	tests := []struct {
		name     string
		kind     string
		followUp bool
		min, max int
	}{
		{"OK screening: 1 to 2 minutes", "screening", false, 60, 120},
		{"OK system design: 3 to 5 minutes", "system-design", false, 180, 300},
		{"OK behavioral: 2 to 3 minutes", "behavioral", false, 120, 180},
		{"OK screening follow-up: 30 s to 1.5 minutes", "screening", true, 30, 90},
		{"OK behavioral follow-up: 30 s to 1.5 minutes", "behavioral", true, 30, 90},
		{"OK system design follow-up: 1 to 2 minutes", "system-design", true, 60, 120},
		{"OK unknown kind: screening", "", false, 60, 120},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := SpeakingBudgetFor(tt.kind, tt.followUp)
			if b.Min != tt.min || b.Max != tt.max {
				t.Errorf("SpeakingBudgetFor(%q, %v) = %+v, want %d–%d s", tt.kind, tt.followUp, b, tt.min, tt.max)
			}
		})
	}
}

func TestSpeakingBudgetFar(t *testing.T) {
	tests := []struct {
		name        string
		budget      SpeakingBudget
		under, over int
	}{
		{"OK screening", SpeakingBudget{Min: 60, Max: 120}, 45, 180},
		{"OK system design", SpeakingBudget{Min: 180, Max: 300}, 135, 450},
		{"OK follow-up", SpeakingBudget{Min: 30, Max: 90}, 23, 135}, // 22.5 rounds up: 22 s is under
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			under, over := tt.budget.Far()
			if under != tt.under || over != tt.over {
				t.Errorf("%+v.Far() = %d, %d; want %d, %d", tt.budget, under, over, tt.under, tt.over)
			}
		})
	}
}

func TestSpeakingBudgetJudge(t *testing.T) {
	screening := SpeakingBudgetFor("screening", false)  // 60–120 s
	design := SpeakingBudgetFor("system-design", false) // 180–300 s
	tests := []struct {
		name    string
		budget  SpeakingBudget
		seconds int
		want    Pace
	}{
		{"Unmeasured: no time", screening, 0, PaceUnmeasured},
		{"Unmeasured: negative time", screening, -5, PaceUnmeasured},
		{"Short: 40 s for a screening question", screening, 40, PaceShort},
		{"Short: 44 s, just under three quarters of a minute", screening, 44, PaceShort},
		{"OK: 45 s is a little short, not far", screening, 45, PaceOK},
		{"OK: inside the range", screening, 90, PaceOK},
		{"OK: 3 minutes is a little long, not far", screening, 180, PaceOK},
		{"Long: 181 s for a screening question", screening, 181, PaceLong},
		{"Short: 2 minutes for a system design", design, 120, PaceShort},
		{"OK: 2 minutes 15 s for a system design", design, 135, PaceOK},
		{"OK: 7 minutes 30 s for a system design", design, 450, PaceOK},
		{"Long: 8 minutes for a system design", design, 480, PaceLong},
		{"Short: 22 s for a follow-up", SpeakingBudgetFor("screening", true), 22, PaceShort},
		{"OK: 23 s for a follow-up", SpeakingBudgetFor("screening", true), 23, PaceOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.budget.Judge(tt.seconds); got != tt.want {
				t.Errorf("%+v.Judge(%d) = %q, want %q", tt.budget, tt.seconds, got, tt.want)
			}
		})
	}
}

func TestCleanSpeech(t *testing.T) {
	tests := []struct {
		name     string
		dictated bool
		seconds  int
		want     Speech
	}{
		{"OK dictated", true, 75, Speech{Dictated: true, Seconds: 75}},
		{"OK typed: the time is dropped", false, 75, Speech{}},
		{"Clamped: negative time", true, -10, Speech{Dictated: true, Seconds: 0}},
		{"Clamped: over half an hour", true, 99_999, Speech{Dictated: true, Seconds: MaxSpeakingSeconds}},
		{"OK dictated with no time", true, 0, Speech{Dictated: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CleanSpeech(tt.dictated, tt.seconds); got != tt.want {
				t.Errorf("CleanSpeech(%v, %d) = %+v, want %+v", tt.dictated, tt.seconds, got, tt.want)
			}
		})
	}
}

func TestWordsPerMinute(t *testing.T) {
	tests := []struct {
		name    string
		answer  string
		seconds int
		want    int
	}{
		{"OK 10 words in 4 s", "one two three four five six seven eight nine ten", 4, 150},
		{"OK rounds to the nearest word", "a b c", 7, 26}, // 25.7
		{"OK whitespace is not a word", "  a \n b\t", 60, 2},
		{"Unmeasured: no time", "a b c", 0, 0},
		{"OK empty answer", "", 30, 0},
		{"OK 300 words a minute: fast speech", strings.Repeat("word ", 10), 2, 300},
		{"Unmeasured: 330 words a minute was typed", strings.Repeat("word ", 11), 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := WordsPerMinute(tt.answer, tt.seconds); got != tt.want {
				t.Errorf("WordsPerMinute(%q, %d) = %d, want %d", tt.answer, tt.seconds, got, tt.want)
			}
		})
	}
}
