package grader

import (
	"strings"
	"testing"
)

// answer300 is a 300-word answer built from a model answer.
func answer300(q *Question) string {
	words := strings.Fields(q.ModelAnswer)
	var b strings.Builder
	for i := 0; i < 300; i++ {
		b.WriteString(words[i%len(words)])
		b.WriteByte(' ')
	}
	return b.String()
}

// BenchmarkGrade300Words grades a 300-word answer.
func BenchmarkGrade300Words(b *testing.B) {
	g := NewGrader(loadReal(b))
	q := mustQ(b, "cache-read-volume-tripled")
	answer := answer300(q)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := g.Grade(q, answer); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGradeBankModelAnswers grades every model answer of the bank.
func BenchmarkGradeBankModelAnswers(b *testing.B) {
	bank := loadReal(b)
	g := NewGrader(bank)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, q := range bank.Questions() {
			if _, err := g.Grade(q, q.ModelAnswer); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkSentences splits a question's answers into the sentences a
// dispute may point at: every round page with feedback does.
func BenchmarkSentences(b *testing.B) {
	q := mustQ(b, "cache-read-volume-tripled")
	answer := answer300(q)
	b.ReportAllocs()
	for b.Loop() {
		if len(Sentences(q.ModelAnswer, answer)) == 0 {
			b.Fatal("no sentences")
		}
	}
}
