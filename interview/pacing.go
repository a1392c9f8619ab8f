package interview

import "strings"

// SpeakingBudget is how long an interviewer expects a spoken answer to
// run: the range they are comfortable with, in seconds. The round page
// counts down from Max while the candidate dictates.
type SpeakingBudget struct {
	Min int
	Max int
}

// Speaking budgets by kind of question. A screening answer is a minute or
// two; a system design answer walks through a whole design; a behavioral
// answer tells one story (situation, action, result). A follow-up is a
// short answer to a narrow question.
var (
	screeningBudget    = SpeakingBudget{Min: 60, Max: 120}
	systemDesignBudget = SpeakingBudget{Min: 180, Max: 300}
	behavioralBudget   = SpeakingBudget{Min: 120, Max: 180}
	followUpBudget     = SpeakingBudget{Min: 30, Max: 90}
	designFollowUp     = SpeakingBudget{Min: 60, Max: 120}
)

// SpeakingBudgetFor is the budget of a question of the kind (screening,
// system-design, behavioral), or of a follow-up to it. An unknown kind
// gets the screening budget.
func SpeakingBudgetFor(kind string, followUp bool) SpeakingBudget {
	switch {
	case followUp && kind == "system-design":
		return designFollowUp
	case followUp:
		return followUpBudget
	case kind == "system-design":
		return systemDesignBudget
	case kind == "behavioral":
		return behavioralBudget
	default:
		return screeningBudget
	}
}

// Pace is how a spoken answer's length compares with its budget.
type Pace string

const (
	// PaceUnmeasured: the answer was typed, or its time is unknown.
	PaceUnmeasured Pace = ""
	PaceOK         Pace = "ok"
	// PaceShort and PaceLong: far under or over the range (see Far).
	PaceShort Pace = "short"
	PaceLong  Pace = "long"
)

// Far is where an answer becomes far under or far over the budget: under
// three quarters of its shortest time, over half as much again as its
// longest (in whole seconds).
func (b SpeakingBudget) Far() (under, over int) {
	return (3*b.Min + 3) / 4, 3 * b.Max / 2
}

// Judge says whether an answer spoken for seconds ran far over or under
// the budget. Only far misses are flagged: a little over or under is how
// people talk.
func (b SpeakingBudget) Judge(seconds int) Pace {
	under, over := b.Far()
	switch {
	case seconds <= 0:
		return PaceUnmeasured
	case seconds < under:
		return PaceShort
	case seconds > over:
		return PaceLong
	default:
		return PaceOK
	}
}

// MaxSpeakingSeconds bounds the speaking time an answer can claim: half an
// hour, longer than any budget and than any answer a round leaves time for.
const MaxSpeakingSeconds = 30 * 60

// Speech is how an answer was given: dictated or typed and, when
// dictated, for how long the microphone listened.
type Speech struct {
	Dictated bool
	Seconds  int
}

// CleanSpeech bounds what the browser says about an answer: the time is
// only kept for a dictated answer, and clamped to [0, MaxSpeakingSeconds].
// It is shown to the candidate and never changes a grade.
func CleanSpeech(dictated bool, seconds int) Speech {
	if !dictated {
		return Speech{}
	}
	return Speech{Dictated: true, Seconds: min(max(seconds, 0), MaxSpeakingSeconds)}
}

// MaxSpokenWordsPerMinute is faster than anyone speaks (conversation runs
// at 120–160): an answer above it was mostly typed after a short
// dictation, and its rate says nothing about speaking.
const MaxSpokenWordsPerMinute = 300

// WordsPerMinute is the speaking rate of an answer spoken for seconds, 0
// when the time is unknown or the rate is not one of speech.
func WordsPerMinute(answer string, seconds int) int {
	if seconds <= 0 {
		return 0
	}
	words := len(strings.Fields(answer))
	wpm := (words*60 + seconds/2) / seconds
	if wpm > MaxSpokenWordsPerMinute {
		return 0
	}
	return wpm
}
