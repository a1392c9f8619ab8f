package grader

import (
	"strings"
	"unicode"
)

// The plain-words probe. An interviewer who hears the right names and no
// explanation asks for one of them in plain words, as for a junior
// engineer who has never met it: whoever understands a term can say what
// it does without it. The answer earns the point when it says, in words of
// its own, what the question's explanation and the point say; repeating
// the jargon earns nothing.

// FollowUpKind tells what an interviewer's follow-up is for.
type FollowUpKind string

// The kinds of follow-up.
const (
	// FollowUpGap asks about a key point the answer did not make, or
	// probes scale and failure.
	FollowUpGap FollowUpKind = "gap"
	// FollowUpRedirect asks the question again after an answer about
	// something else.
	FollowUpRedirect FollowUpKind = "redirect"
	// FollowUpPlainWords asks for a named mechanism in plain words.
	FollowUpPlainWords FollowUpKind = "plain_words"
)

// plainWordsLead opens the plain-words probe; plainWordsAsk follows the
// term it asks about.
const (
	plainWordsLead = "Explain “"
	plainWordsAsk  = "” to a junior engineer who has never met the idea: in plain words, what happens, and why does it matter here?"
)

// KindOf tells what a follow-up prompt of the interviewer is for.
func KindOf(prompt string) FollowUpKind {
	switch {
	case strings.HasPrefix(prompt, plainWordsLead) && strings.HasSuffix(prompt, plainWordsAsk):
		return FollowUpPlainWords
	case strings.HasPrefix(prompt, redirectLead):
		return FollowUpRedirect
	default:
		return FollowUpGap
	}
}

// The plain-words judgement, in the words of the answer that are not the
// point's own jargon.
const (
	// probeMinNamed is the rubric weight an answer must name, unexplained,
	// before the interviewer asks for plain words.
	probeMinNamed = 3
	// probeMinPlain is how many distinct words of its own an explanation
	// needs: fewer is a name, not an explanation.
	probeMinPlain = 5
	// probeMinAgree is how many of them must agree with the question's
	// explanation or the point (or be their WordNet synonyms).
	probeMinAgree = 2
	// probeMaxJargon is the largest share of an explanation's content
	// words that may be the point's own terms.
	probeMaxJargon = 0.5
)

// analogyPhrases introduce a comparison: "it's like a library's card
// catalogue".
var analogyPhrases = compileAll(
	"like a", "like an", "like the", "like when", "think of", "imagine", "similar to", "as if", "the same way",
	"just as", "a bit like", "kind of like", "picture a", "it's as", "works like", "acts like", "in other words",
)

// probeTarget is the key point to ask about in plain words: the heaviest
// one the conversation only names, when names outweigh explanations. The term
// is the phrasing the candidate used.
func (g *Grader) probeTarget(q *Question, conv Result, texts []string) (kp *compiledKeyPoint, term string) {
	if conv.Status != StatusGraded || len(conv.RedFlags) > 0 || len(conv.Contradictions) > 0 {
		return nil, ""
	}
	var best *compiledKeyPoint
	named, explained := 0, 0
	for _, h := range conv.Hits {
		switch {
		case h.Partial:
			continue
		case !h.Named:
			explained += h.Weight
			continue
		}
		named += h.Weight
		for i := range q.keyPoints {
			if k := &q.keyPoints[i]; k.ID == h.ID && (best == nil || k.Weight > best.Weight) {
				best = k
			}
		}
	}
	// Names must outweigh explanations: one name beside an explained
	// answer is a slip, not a pattern.
	if best == nil || named < probeMinNamed || named <= explained {
		return nil, ""
	}
	text := strings.Join(texts, "\n\n")
	d := tokenize(text)
	d.resolve(g.bank.vocab)
	// The longest phrasing the candidate used, as they wrote it.
	from, to := -1, -1
	for _, p := range best.phrases {
		if i := d.find(p); i >= 0 && !q.fromPrompt(p) && (from < 0 || len(p.words) > to-from) {
			from, to = i, i+len(p.words)
		}
	}
	if from < 0 {
		return nil, ""
	}
	last := d.tokens[to-1]
	term = text[d.tokens[from].start : int(last.start)+len(last.raw)]
	if r := []rune(term); len(r) > 1 && unicode.IsUpper(r[0]) && unicode.IsLower(r[1]) {
		term = strings.ToLower(term[:1]) + term[1:] // "Index-only scans, …" asks about "index-only scans"
	}
	return best, term
}

// ProbeTerm is the term a plain-words probe asks about, as the candidate
// wrote it; ok is false for any other prompt.
func ProbeTerm(prompt string) (term string, ok bool) {
	if KindOf(prompt) != FollowUpPlainWords {
		return "", false
	}
	return strings.TrimSuffix(strings.TrimPrefix(prompt, plainWordsLead), plainWordsAsk), true
}

// plainWordsPrompt is the probe about term.
func plainWordsPrompt(term string) string { return plainWordsLead + term + plainWordsAsk }

// explainsPlainly judges an answer to the plain-words probe about kp: it
// says what the thing does (a reason or an analogy), mostly in words that
// are not the point's own terms, and enough of them agree with the
// question's explanation and the point.
func explainsPlainly(q *Question, kp *compiledKeyPoint, answer string) bool {
	d := parse(answer)
	if anyFound(d, dontKnowPhrases) && len(d.tokens) < probeMinPlain*4 {
		return false
	}
	jargon := map[string]bool{}
	for _, p := range kp.phrases {
		for _, w := range p.words {
			jargon[q.vocab.words[w.id]] = true
		}
	}
	reference := map[string]bool{}
	for _, text := range []string{q.Explanation, kp.Text} {
		for _, t := range tokenize(text).tokens {
			if !t.is(classStop) {
				reference[t.stem] = true
			}
		}
	}
	syn := synonymGroups()
	plain, agree := map[string]bool{}, map[string]bool{}
	content, jargonWords := 0, 0
	for _, t := range d.tokens {
		if t.is(classStop) || len(t.raw) < 3 {
			continue
		}
		content++
		if jargon[t.stem] {
			jargonWords++
			continue
		}
		plain[t.stem] = true
		if reference[t.stem] {
			agree[t.stem] = true
			continue
		}
		for _, s := range syn[t.raw] {
			if reference[stem(s)] {
				agree[t.stem] = true
				break
			}
		}
	}
	if content == 0 || float64(jargonWords)/float64(content) > probeMaxJargon {
		return false
	}
	explains := anyFound(d, analogyPhrases) || anyFound(d, reasoningPhrases)
	return explains && len(plain) >= probeMinPlain && len(agree) >= probeMinAgree
}
