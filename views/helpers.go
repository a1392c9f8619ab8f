// Package views renders mockround's pages and the fragments htmx swaps.
// Views take plain view-model structs and only display them.
package views

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

func itoa(n int) string { return strconv.Itoa(n) }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// csrfHeader is the hx-headers value that sends the CSRF token with every
// htmx request.
func csrfHeader(token string) string {
	b, _ := json.Marshal(map[string]string{"X-CSRF-Token": token}) // a map of strings always marshals
	return string(b)
}

// shownOpenWords is how many words an answer may have to be shown open
// beside the reason it was not graded; a longer one is folded.
const shownOpenWords = 40

// showOpen reports whether an answer is short enough to show unfolded.
func showOpen(answer string) bool { return len(strings.Fields(answer)) <= shownOpenWords }

// score formats a 0–10 score with one decimal.
func score(v float64) string { return fmt.Sprintf("%.1f", v) }

// scoreClass colours a score: good from 7, ok from 5, bad below.
func scoreClass(v float64) string {
	switch {
	case v >= 7:
		return "score good"
	case v >= 5:
		return "score ok"
	default:
		return "score bad"
	}
}

// current is the aria-current value of a navigation link: "page" for the
// active section, "false" otherwise.
func current(active, name string) string {
	if active == name {
		return "page"
	}
	return "false"
}

func uitoa(n uint) string   { return strconv.FormatUint(uint64(n), 10) }
func i64toa(n int64) string { return strconv.FormatInt(n, 10) }

// orMissing shows a missing beat as such.
func orMissing(s string) string {
	if s == "" {
		return "(not found)"
	}
	return s
}

// streakText is a streak in words: "no streak yet", "a 1-day streak",
// "a 6-day streak".
func streakText(days int) string {
	if days <= 0 {
		return "no streak yet"
	}
	return "a " + itoa(days) + "-day streak"
}

// capitalFirst starts a text with a capital letter, for a label that
// opens a line: "no streak yet" alone reads "No streak yet".
func capitalFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
