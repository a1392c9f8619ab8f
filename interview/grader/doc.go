// Package grader is mockround's built-in interviewer's judgement: the
// question bank compiled into rubrics, and the grader that scores an answer
// and a whole conversation against one. It is pure: text in, a Result out,
// no I/O and no clock.
//
// A newcomer reads it in this order:
//
//   - grade.go: Grade, the signals it measures, the dimensions and the one
//     formula (overall) that turns them into a score with its caps;
//   - calibration.go: every constant of that formula, named and explained;
//   - lexicon.go: every word list (reasoning, tradeoffs, negations,
//     sweeping claims, injection) in one place;
//   - claims.go and match.go: claims with polarity — a key point counts
//     where a clause asserts it, denied it is a contradiction, named in a
//     list it earns a quarter;
//   - clean.go: text addressed to the grader and repeated sentences, set
//     aside before anything is measured;
//   - conversation.go and probe.go: follow-ups, the redirect and the
//     plain-words probe, and what each answer may add;
//   - text.go, scan.go, vocab.go and synonyms*.go: the text engine
//     (sentences, clauses, stems, phrase matching, WordNet synonyms);
//   - anchor.go and dispute.go: a language model's grade anchored on the
//     rubric, and the learner's disputes applied to a grade.
package grader
