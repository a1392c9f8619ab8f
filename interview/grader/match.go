package grader

import (
	"slices"
	"strings"
)

// Matching the rubric against an answer's claims: a key point counts where
// a clause asserts it and says something about it; denied, it is a
// contradiction; named in a list, it earns a fraction.

// Contradiction is a claim in the answer that says the opposite of a key
// point, with the sentence that says it. Stated is true when it matched
// one of the bank's contradicted_by phrasings (a precise signal); false
// when the answer denied the key point's own phrasing.
type Contradiction struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	Weight   int    `json:"weight"`
	Sentence string `json:"sentence"`
	Stated   bool   `json:"stated"`
}

// matchKeyPoints finds each key point, contradiction and red flag.
func (g *Grader) matchKeyPoints(q *Question, d *doc, enum *enumerations, r *Result) {
	// Words of any key point's phrasing say nothing about another: a clause
	// of rubric terms strung together explains none of them.
	enum.rubric = make([]bool, len(d.tokens))
	for _, kp := range q.keyPoints {
		for _, p := range kp.phrases {
			d.findAll(p, func(i int) {
				for k := i; k < i+len(p.words) && k < len(d.tokens); k++ {
					enum.rubric[k] = true
				}
			})
		}
	}
	for _, kp := range q.keyPoints {
		hitAt, hitNamed := -1, true
		deniedAt := -1
		// Sentences that assert and that deny the point: when it is denied
		// more often than it is asserted, the answer does not make it.
		var assertedIn, deniedIn []int
		for pi, p := range kp.phrases {
			if q.fromPrompt(p) {
				continue // the question's own words earn nothing
			}
			d.findLoose(p, func(i, end int) {
				pol := d.polarityAt(i, false)
				if pol == asserted && d.comparedAgainst(i) {
					return // "less noisy than a p99" does not recommend p99s
				}
				if pol == asserted && d.deniedAfter(i, end) {
					pol = denied
				}
				if pol == asserted && d.swapped(q, &kp, p, i) {
					pol = denied // "authorization establishes who the caller is"
				}
				if pol == denied && (kp.negativePhrase(pi) || d.deniesWordOf(i, kp.deniedWords) || kp.restricted && d.notAlways(i)) {
					// "never call out while holding a lock" makes a point stated as
					// a negation; "doesn't always give memory back" one that says
					// when it holds ("only when fully empty").
					pol = asserted
				}
				si := d.tokens[i].sentence
				switch pol {
				case asserted:
					named := enum.named(i, len(p.words)) || d.framed(i)
					if hitAt < 0 || hitNamed && !named {
						hitAt, hitNamed = i, named
					}
					if !slices.Contains(assertedIn, si) {
						assertedIn = append(assertedIn, si)
					}
				case denied:
					if deniedAt < 0 {
						deniedAt = i
					}
					if !slices.Contains(deniedIn, si) {
						deniedIn = append(deniedIn, si)
					}
				}
			})
		}
		if hitAt >= 0 && len(deniedIn) > len(assertedIn) {
			hitAt = -1
		}
		stated := d.statedAt(kp.contradictions)
		partial, deniedSentence := -1, -1
		if hitAt < 0 && deniedAt < 0 && stated < 0 {
			partial, deniedSentence = partialSentence(d, kp)
		}
		if deniedAt >= 0 {
			deniedSentence = d.tokens[deniedAt].sentence
		}
		switch {
		case stated >= 0:
			r.Contradictions = append(r.Contradictions, Contradiction{ID: kp.ID, Text: kp.Text, Weight: kp.Weight, Sentence: d.sentenceOf(stated), Stated: true})
		case hitAt < 0 && partial < 0 && deniedSentence >= 0 && kp.Weight >= 2,
			hitAt >= 0 && deniedAt >= 0 && kp.Weight >= 2 && !kp.negativeSense && d.needDenied(deniedAt):
			// Denied; or made in one place and called unnecessary in
			// another ("you don't need workers at all").
			r.Contradictions = append(r.Contradictions, Contradiction{ID: kp.ID, Text: kp.Text, Weight: kp.Weight, Sentence: d.sentences[deniedSentence].text})
		}
		switch {
		case stated >= 0:
			r.Misses = append(r.Misses, Miss{ID: kp.ID, Text: kp.Text, Weight: kp.Weight})
		case hitAt >= 0:
			r.Hits = append(r.Hits, Hit{ID: kp.ID, Text: kp.Text, Weight: kp.Weight, Sentence: d.sentenceOf(hitAt), Named: hitNamed})
		case partial >= 0:
			r.Hits = append(r.Hits, Hit{ID: kp.ID, Text: kp.Text, Weight: kp.Weight, Sentence: d.sentences[partial].text, Partial: true})
		default:
			r.Misses = append(r.Misses, Miss{ID: kp.ID, Text: kp.Text, Weight: kp.Weight})
		}
	}
	for _, rf := range q.redFlags {
		found := d.statedAt(rf.phrases)
		if found < 0 {
			found = d.statedAnyOrder(q, rf)
		}
		if found < 0 {
			found = d.statedCopular(rf.phrases, rf.copular)
		}
		if found < 0 {
			found = d.statedRemedy(rf.remedy)
		}
		if found >= 0 {
			r.RedFlags = append(r.RedFlags, Flag{Text: rf.Text, Sentence: d.sentenceOf(found)})
		}
	}
	unsayWrongSentences(r)
}

// unsayWrongSentences takes back the key points credited only in a
// sentence that states a misconception or the opposite of a key point:
// "Redis writes every command to disk, so it is as durable as Postgres"
// names durability to get it wrong.
func unsayWrongSentences(r *Result) {
	wrong := map[string]bool{}
	for _, f := range r.RedFlags {
		wrong[f.Sentence] = true
	}
	for _, c := range r.Contradictions {
		if c.Stated {
			wrong[c.Sentence] = true
		}
	}
	if len(wrong) == 0 {
		return
	}
	kept := r.Hits[:0]
	for _, h := range r.Hits {
		if wrong[h.Sentence] {
			r.Misses = append(r.Misses, Miss{ID: h.ID, Text: h.Text, Weight: h.Weight})
			continue
		}
		kept = append(kept, h)
	}
	r.Hits = kept
}

// deniesWordOf reports a negation before token i, in its clause, that
// denies one of words: "maps aren't safe for concurrent writes" denies
// "safe".
func (d *doc) deniesWordOf(i int, words []int32) bool {
	if len(words) == 0 {
		return false
	}
	s, c := d.tokens[i].sentence, d.tokens[i].clause
	for k := i - 1; k >= 0 && k >= i-negationWindow; k-- {
		t := d.tokens[k]
		if t.sentence != s || t.clause != c {
			return false
		}
		if !t.negation() {
			continue
		}
		if k > 0 && d.tokens[k-1].negation() || d.tokens[k+1].negation() {
			return false // "not no eviction": two negations assert
		}
		for j := k + 1; j < len(d.tokens) && j <= k+headDenialWords+1 && d.tokens[j].clause == c; j++ {
			if slices.Contains(words, d.tokens[j].id) {
				return true
			}
		}
		return false
	}
	return false
}

// needDenied reports a denial of need just before token i: "no need
// to", "don't need", "never need".
func (d *doc) needDenied(i int) bool {
	s := d.tokens[i].sentence
	for k := i - 1; k >= 0 && k >= i-negationWindow && d.tokens[k].sentence == s; k-- {
		if d.tokens[k].raw == "need" || d.tokens[k].raw == "needed" {
			return k > 0 && d.tokens[k-1].negation() || k+1 < len(d.tokens) && d.tokens[k+1].raw == "no"
		}
	}
	return false
}

// fromPrompt reports whether every word of a phrasing is a word of the
// question: saying the question back shows no knowledge.
func (q *Question) fromPrompt(p phrase) bool {
	for _, w := range p.words {
		if w.prefix || !q.promptIDs.has(w.id) {
			return false
		}
	}
	return true
}

// enumerations knows which parts of an answer are lists of names and
// which words carry content.
type enumerations struct {
	d     *doc
	kinds []wordKind
	// run caches, per sentence, how many short items it has: -1 unknown.
	run []int
	// rubric marks the words that belong to a key point's phrasing.
	rubric []bool
	// breaks marks the tokens that separate list items.
	breaks []bool
}

func newEnumerations(d *doc, kinds []wordKind) *enumerations {
	r := make([]int, len(d.sentences))
	for i := range r {
		r[i] = -1
	}
	breaks := make([]bool, len(d.tokens))
	for i, t := range d.tokens {
		breaks[i] = listBreaks[t.raw]
	}
	return &enumerations{d: d, kinds: kinds, run: r, breaks: breaks}
}

// isBreak reports a token that separates list items.
func (e *enumerations) isBreak(i int) bool { return e.breaks[i] }

// content reports a word that says something: not a stop word, not a
// connective, not a bare number, not a word of the rubric's phrasings.
func (e *enumerations) content(i int) bool {
	t := e.d.tokens[i]
	return e.kinds[i]&(kindStop|kindConnective) == 0 && !startsWithDigit(t.raw) && (e.rubric == nil || !e.rubric[i])
}

// items splits sentence si into list items: runs of tokens in one clause
// between list breaks. It returns each item's token range.
func (e *enumerations) items(si int, fn func(lo, hi int)) {
	d := e.d
	st := d.sentences[si]
	for i := st.first; i < st.end; {
		for i < st.end && e.isBreak(i) {
			i++
		}
		if i >= st.end {
			return
		}
		lo, c := i, d.tokens[i].clause
		for i < st.end && d.tokens[i].clause == c && !e.isBreak(i) {
			i++
		}
		fn(lo, i-1)
	}
}

// runAround returns the number of short items in a row around token i
// (0 when i's own item is long), and the longest such run in sentence si.
func (e *enumerations) runAround(si, i int) (around, longest int) {
	cur, curHasI := 0, false
	flush := func() {
		longest = max(longest, cur)
		if curHasI {
			around = cur
		}
		cur, curHasI = 0, false
	}
	e.items(si, func(lo, hi int) {
		if hi-lo+1 > maxItemWords {
			// "A, B, C and D all play a role": the last item of a list
			// carries the sentence's verb, and is still an item.
			if cur >= 2 && i >= lo && i < lo+maxItemWords {
				cur++
				curHasI = true
			}
			flush()
			return
		}
		cur++
		if i >= lo && i <= hi {
			curHasI = true
		}
	})
	flush()
	return around, longest
}

// enumerates reports whether sentence si is a list of names: listItems
// or more short items.
func (e *enumerations) enumerates(si int) bool {
	if e.run[si] < 0 {
		short := 0
		e.items(si, func(lo, hi int) {
			if hi-lo+1 <= maxItemWords {
				short++
			}
		})
		e.run[si] = short
	}
	return e.run[si] >= listItems
}

// named reports whether the phrase at [i, i+n) is only named: one item of
// a list of names, or in a sentence with nothing said besides rubric
// terms and connectives.
func (e *enumerations) named(i, n int) bool {
	d := e.d
	si := d.tokens[i].sentence
	if around, _ := e.runAround(si, i); around >= namedRun {
		return true
	}
	predicate := false
	for k := d.sentences[si].first; k < d.sentences[si].end; k++ {
		if k >= i && k < i+n {
			continue
		}
		if e.content(k) {
			return false
		}
		predicate = predicate || predicateWords[d.tokens[k].raw]
	}
	// Nothing else said in the sentence: "because hot key, so stampede"
	// names them, while "we'd cache it", "use CONCURRENTLY" and "the
	// sender, or whoever owns it, closes it" make a claim.
	return !predicate
}

// A claim phrasing of three or more words is matched by what it says, not
// word for word: its function words ("a", "the", "is", "from", "will")
// may differ or be missing, and a few other words may stand inside it.
// "A receive on a closed channel blocks" states "receive from a closed
// channel blocks"; "Redis Cluster will spread the tagged key" states
// "redis spreads the key". Negations and quantifiers are never function
// words: "can't replicate a single key" needs its "can't".
//
// looseGap is how many other words may stand between two of its words,
// looseExtra how many in all, and looseFunction how many function words
// may stand between two of its words besides.
const (
	looseGap      = 1
	looseExtra    = 2
	looseFunction = 3
	// looseCore is how many content words a phrasing needs to be matched
	// loosely: with two, the words left out ("just a thread pool") are
	// the claim.
	looseCore = 3
	// looseWords is the most words a phrasing is expected to have: its
	// core is gathered on the stack up to that.
	looseWords = 16
)

// findLoose calls fn with every span [i, end) where a claim phrasing is
// stated: in a row for short phrasings, else by its content words in
// order, in one clause, with the gaps above.
func (d *doc) findLoose(p phrase, fn func(i, end int)) {
	var buf [looseWords]phraseWord
	words, maxExtra, free := p.core(buf[:0]), looseExtra, true
	claim := len(words) >= looseCore
	switch {
	case claim:
	case len(words) == 2 && len(p.words) > 2:
		// With two content words, the function words are the claim's
		// grammar ("locks the file" is not "lock file", "in the upload
		// request" not "from the upload request"): every word is needed,
		// and one other may stand inside ("average the pods' p99").
		words, maxExtra, free = p.words, 1, false
	default:
		d.findAll(p, func(i int) { fn(i, i+len(p.words)) })
		return
	}
	try := func(i int) {
		if end, ok := d.matchLoose(words, p.words, i, maxExtra, free); ok {
			fn(i, end)
		}
	}
	if words[0].scanned() {
		for i := range d.tokens {
			if d.matches(words[0], i) {
				try(i)
			}
		}
		return
	}
	d.positions(words[0].id, func(i int) bool {
		try(i)
		return true
	})
	if claim {
		// A claim of three content words or more may name its subject
		// with a pronoun.
		d.anaphors(words[0].id, func(i int) { try(i) })
	}
}

// claimAdverb reports an adverb at token k that makes a claim more or
// less sure without changing what it says: "flaky tests are almost
// always caused by slow machines" states "flaky tests are caused by slow
// machines".
//
// It stands after a copula or an auxiliary ("are usually", "will
// always"), or after another such adverb: "writes usually stay in their
// region" has a verb of its own, which the claim's words do not skip.
//
// An intensifier ("actually", "really", "truly") only insists: after a
// negation too it leaves the claim as it was ("EXPLAIN ANALYZE doesn't
// actually run the query" states "doesn't run the query").
func (d *doc) claimAdverb(k int) bool {
	t := d.tokens[k]
	if d.negationAdverb(k) {
		return true
	}
	adverb := t.is(classClaimAdverb) || intensifiers[t.raw]
	// "almost always", "nearly always": not the "almost" of "almost
	// never" or "nearly empty".
	if !adverb && !((t.raw == "almost" || t.raw == "nearly") && k+1 < len(d.tokens) && d.tokens[k+1].is(classClaimAdverb)) {
		return false
	}
	if k == 0 {
		return false
	}
	prev := d.tokens[k-1]
	return prev.is(classAuxiliary) || prev.is(classCopula) || prev.is(classClaimAdverb) || prev.raw == "almost" || prev.raw == "nearly"
}

// anaphors calls fn with each pronoun that stands for the word id when
// the word is the subject its sentence opens with: "it", "its", "they" or
// "their" later in that sentence, or opening the next. "Redis writes
// every command to disk, and its replication is synchronous" says "Redis
// replication is synchronous".
func (d *doc) anaphors(id int32, fn func(i int)) {
	if d.firstOf(id) < 0 {
		return
	}
	d.findAnaphors()
	for s, subj := range d.subjects {
		if subj < 0 || d.tokens[subj].id != id {
			continue
		}
		for _, k := range d.pronouns {
			t := d.tokens[k]
			if int(k) > int(subj) && (t.sentence == s || t.sentence == s+1 && int(k) == d.sentences[s+1].first) {
				fn(int(k))
			}
		}
	}
}

// findAnaphors finds, once per answer, each sentence's subject and the
// pronouns that open a claim.
func (d *doc) findAnaphors() {
	if d.anaphorsFound {
		return
	}
	d.subjects, d.pronouns = d.subjects[:0], d.pronouns[:0]
	for s := range d.sentences {
		d.subjects = append(d.subjects, int32(d.subjectOf(s)))
	}
	for k, t := range d.tokens {
		if anaphoric[t.raw] && d.opensClaim(k) {
			d.pronouns = append(d.pronouns, int32(k))
		}
	}
	d.anaphorsFound = true
}

// opensClaim reports that token k stands where a claim's subject does:
// first in its clause or after a small word ("and its replication", "so
// it"), not after a verb that makes it an object ("suppress it").
func (d *doc) opensClaim(k int) bool {
	if k == 0 {
		return true
	}
	prev := d.tokens[k-1]
	return prev.sentence != d.tokens[k].sentence || prev.clause != d.tokens[k].clause || prev.is(classStop)
}

// subjectOf returns the first content word of sentence s, which most
// often is its subject, or -1.
func (d *doc) subjectOf(s int) int {
	for k := d.sentences[s].first; k < len(d.tokens) && d.tokens[k].sentence == s; k++ {
		if !d.tokens[k].is(classStop) {
			return k
		}
	}
	return -1
}

// matchLoose matches words from token i in order, all in i's clause,
// with at most maxExtra other words inside (function words not counted
// when free; where the phrasing has "it", up to objectReach words that
// name the thing), and returns the token after the last one. A word that
// would break the claim (a negation, a terminator such as "then") does
// not when the phrasing itself says it: "read the stock then decrement".
func (d *doc) matchLoose(words, all []phraseWord, i, maxExtra int, free bool) (int, bool) {
	s, c := d.tokens[i].sentence, d.tokens[i].clause
	at, extra := i, 0
	ai := 0 // where the last word matched stands in all
	for _, w := range words[1:] {
		found, gap, fn := false, 0, 0
		reach := looseGap
		for ai++; ai < len(all) && all[ai] != w; ai++ {
			if o := all[ai]; o.function && int(o.id) < len(d.vocab.words) && d.vocab.words[o.id] == "it" {
				reach = objectReach // "drop it in the same deploy": "drops the old email column in the same deploy"
			}
		}
		for k := at + 1; k < len(d.tokens); k++ {
			t := d.tokens[k]
			if t.sentence != s || t.clause != c {
				break
			}
			if d.matches(w, k) {
				at, found = k, true
				break
			}
			if t.negation() {
				break // "is not idempotent": a phrasing's own negation is one of its words, matched in place
			}
			if j := d.coordinated(k, w); j > 0 {
				at, found = j, true
				break
			}
			if j := d.coordinatedBefore(k, w); j > 0 {
				at, found = j, true
				break
			}
			adverb := free && d.claimAdverb(k)
			if !adverb && (t.is(classGapBreaker) || t.is(classTerminator)) && !slices.ContainsFunc(all, func(w phraseWord) bool { return !w.scanned() && w.id == t.id }) {
				break // "one minus the SLO": the gap changes the claim
			}
			if free && t.is(classFunction) || adverb {
				if fn++; fn > looseFunction {
					break
				}
				continue
			}
			gap++
			extra++
			if gap > reach || extra > maxExtra+reach-looseGap || w.copula {
				// "the tradeoff is" is not "grpc is": an identity's subject
				// is the phrasing's own.
				break
			}
		}
		if !found {
			return 0, false
		}
	}
	return at + 1, true
}

// Confidence is how much of an answer the rubric could check.
type Confidence string

// The confidence levels.
const (
	ConfidenceHigh   Confidence = "high"
	ConfidenceMedium Confidence = "medium"
	ConfidenceLow    Confidence = "low"
)

// maxUnchecked is how many unchecked claims a result lists.
const maxUnchecked = 5

// checkClaims lists the sentences that assert something technical (a
// named technology, an exact API, a number, or the question's own terms)
// and that no key point, contradiction or red flag matched, rates how much
// of the answer the rubric could check, and counts the unchecked
// sentences that one of marked marks (a flag per sentence, or nil).
func checkClaims(q *Question, d *doc, kinds []wordKind, r *Result, marked ...[]bool) ([]string, Confidence, int) {
	checked := map[string]bool{}
	partial := 0
	for _, h := range r.Hits {
		if h.Partial {
			partial++
			continue
		}
		checked[h.Sentence] = true
	}
	for _, c := range r.Contradictions {
		checked[c.Sentence] = true
	}
	for _, f := range r.RedFlags {
		checked[f.Sentence] = true
	}
	out := []string{}
	unchecked, waivers := 0, 0
	for si, st := range d.sentences {
		if checked[st.text] || st.end-st.first < 6 || strings.HasSuffix(st.text, "?") {
			continue
		}
		technical := 0
		for k := st.first; k < st.end; k++ {
			t := d.tokens[k]
			if kinds[k]&kindTool != 0 || startsWithDigit(t.raw) || kinds[k]&kindStop == 0 && q.topicIDs.has(t.id) && !q.promptIDs.has(t.id) {
				technical++
			}
		}
		if technical < 2 {
			continue
		}
		unchecked++
		if slices.ContainsFunc(marked, func(m []bool) bool { return m != nil && m[si] }) {
			waivers++
		}
		if len(out) < maxUnchecked {
			out = append(out, st.text)
		}
	}
	switch {
	case r.Injection || unchecked > 2*len(checked) || partial > len(checked) && partial >= 2:
		return out, ConfidenceLow, waivers
	case unchecked > len(checked)/2:
		return out, ConfidenceMedium, waivers
	}
	return out, ConfidenceHigh, waivers
}

// statedAt returns the first token where one of a misconception's
// phrasings (a red flag's, or a key point's contradicted_by) is stated,
// asserted and not refuted, nor the purpose of an instruction, or -1.
func (d *doc) statedAt(ps []phrase) int {
	at := -1
	stated := func(i, end int) {
		if at < 0 && d.polarityAt(i, true) == asserted && !d.refutedAfter(i, end) && !d.nominal(i) && !d.purposeOfDirective(i) && !d.counterfactual(i) {
			at = i
		}
	}
	for _, p := range ps {
		if d.findLoose(p, stated); at >= 0 {
			return at
		}
	}
	return -1
}

// A misconception is said in many word orders: "the payload is encrypted
// with the signing key" states "JWTs are encrypted", "Queues deliver each
// message exactly once" states "delivered exactly once". So a red flag's
// phrasing of anyOrderCore content words or more is also stated by a
// clause that holds every one of them in any order, when at least one of
// them is off the question's topic (the words of a wrong claim, not of
// the question) and no negation, refutation or contrast stands in the
// clause. Phrasings whose claim is an order or a comparison (before,
// after, than, every…) are matched in order only: turned around, they say
// the right thing. So are key points' contradicted_by phrasings, which
// share most of their words with the point they deny.
const anyOrderCore = 3

// orderedClaims are the words that make a phrasing's word order its
// claim, as stems.
var orderedClaims = stemSet(
	"before", "after", "then", "than", "first", "last", "over", "instead", "rather", "vs", "versus",
	"from", "into", "to", "by", "for", "every", "each", "all", "both", "same",
	// which of two wins: "Expires overrides max-age" turned around is
	// right ("max-age overrides Expires")
	"overrides", "override", "precedence", "beats", "priority", "wins",
	// what "own" binds to: "lists are their own iterators" is not "a list
	// returns a list_iterator with its own index"
	"own",
)

// statedAnyOrder returns the first token of a clause that states one of a
// red flag's phrasings in any word order (see anyOrderCore), or -1.
func (d *doc) statedAnyOrder(q *Question, rf compiledRedFlag) int {
	var buf [looseWords]phraseWord
	for _, pi := range rf.anyOrder {
		words := rf.phrases[pi].claimWords(buf[:0])
		// Most phrasings have a word the answer never uses: one lookup
		// each rules them out.
		if slices.ContainsFunc(words, func(w phraseWord) bool { return !w.scanned() && d.firstOf(w.id) < 0 }) {
			continue
		}
		anchor := slices.IndexFunc(words, func(w phraseWord) bool { return !w.scanned() })
		if anchor < 0 {
			continue
		}
		found := -1
		d.positions(words[anchor].id, func(i int) bool {
			lo, hi := d.claimAround(i)
			if at := d.holdsAll(q, words, lo, hi); at >= 0 && d.polarityAt(at, true) == asserted && !d.counterfactual(at) {
				found = at
				return false
			}
			return true
		})
		if found >= 0 {
			return found
		}
	}
	return -1
}

// A misconception that says what something is ("int writes are atomic",
// "the payload is encrypted") is stated by a clause that puts the same
// subject words, in any order, before a copula and the same predicate
// right after it: "reading and writing a single int is atomic on amd64".
// The copula keeps the claim's structure, so "use atomic writes on the
// int" does not state it.
const (
	// copularSubjectReach is how many words before the copula the
	// subject's words may stand; copularPredicateReach how many after it
	// the predicate's.
	copularSubjectReach   = 8
	copularPredicateReach = 3
)

// copularSplit returns the index of a phrasing's one copula when words of
// substance stand on both sides of it, or -1.
func (p phrase) copularSplit() int {
	at := -1
	for i, w := range p.words {
		if w.copula {
			if at >= 0 {
				return -1
			}
			at = i
		}
	}
	if at <= 0 || at == len(p.words)-1 || p.words[at-1].function {
		return -1 // "decorators must be functions": a modal the answer's "is" does not say
	}
	content := func(ws []phraseWord) bool {
		return slices.ContainsFunc(ws, func(w phraseWord) bool { return !w.function && !w.copula })
	}
	if !content(p.words[:at]) || !content(p.words[at+1:]) {
		return -1
	}
	return at
}

// statedCopular returns the first token of a clause that states one of a
// red flag's copular phrasings (see copularSubjectReach), or -1.
func (d *doc) statedCopular(ps []phrase, which []int32) int {
	for _, pi := range which {
		p := ps[pi]
		split := p.copularSplit()
		var buf [looseWords]phraseWord
		subject := phrase{words: p.words[:split]}.claimWords(buf[:0])
		var pbuf [looseWords]phraseWord
		predicate := phrase{words: p.words[split+1:]}.claimWords(pbuf[:0])
		absent := func(w phraseWord) bool { return !w.scanned() && d.firstOf(w.id) < 0 }
		if slices.ContainsFunc(subject, absent) || slices.ContainsFunc(predicate, absent) {
			continue
		}
		for j, t := range d.tokens {
			switch {
			case t.is(classCopula):
				if at := d.holdsCopular(subject, predicate, j); at >= 0 && d.polarityAt(at, true) == asserted && !d.refutedAfter(at, j+1) {
					return at
				}
			case causatives[t.raw]:
				if end := d.holdsCaused(subject, predicate, j); end >= 0 && d.polarityAt(j, true) == asserted && !d.refutedAfter(j, end) {
					return j
				}
			}
		}
	}
	return -1
}

// causedSubjectReach is how many words after a causative verb the subject
// of the claim it makes may take: "makes the shared increment atomic".
const causedSubjectReach = 4

// holdsCaused reports a claim made by a causative verb at token j, its
// subject and predicate after it ("volatile makes the increment atomic"
// states "the increment is atomic"), and returns the token after the
// predicate, or -1. The subject's words come first, then the predicate's
// right after them, in j's clause, with nothing that sets them against
// each other.
func (d *doc) holdsCaused(subject, predicate []phraseWord, j int) int {
	s, c := d.tokens[j].sentence, d.tokens[j].clause
	k := j + 1
	next := func(w phraseWord, reach int) bool {
		for limit := k + reach; k < len(d.tokens) && k < limit; k++ {
			t := d.tokens[k]
			if t.sentence != s || t.clause != c || t.setsAgainst() {
				return false
			}
			if d.matches(w, k) {
				k++
				return true
			}
		}
		return false
	}
	for _, w := range subject {
		if !next(w, causedSubjectReach) {
			return -1
		}
	}
	for _, w := range predicate {
		if !next(w, copularPredicateReach) {
			return -1
		}
	}
	return k
}

// holdsCopular returns the first token of the subject when every subject
// word stands before the copula at token j and every predicate word just
// after it, in j's clause, with no negation, refutation or contrast among
// them; else -1.
func (d *doc) holdsCopular(subject, predicate []phraseWord, j int) int {
	s, c := d.tokens[j].sentence, d.tokens[j].clause
	in := func(k int) bool { return d.tokens[k].sentence == s && d.tokens[k].clause == c }
	lo := j
	for lo > 0 && lo > j-copularSubjectReach && in(lo-1) {
		lo--
	}
	hi := j + 1
	for hi < len(d.tokens) && hi <= j+copularPredicateReach && in(hi) {
		hi++
	}
	first := j
	find := func(w phraseWord, from, to int) bool {
		for k := from; k < to; k++ {
			if d.matches(w, k) {
				first = min(first, k)
				return true
			}
		}
		return false
	}
	for _, w := range subject {
		if !find(w, lo, j) {
			return -1
		}
	}
	for _, w := range predicate {
		if !find(w, j+1, hi) {
			return -1
		}
	}
	for k := first; k < hi; k++ {
		if d.tokens[k].setsAgainst() {
			return -1
		}
	}
	return first
}

// setsAgainst reports a word that denies, refutes or sets a claim against
// another when it stands inside it: "not", "myth", "instead".
func (t token) setsAgainst() bool {
	return t.negation() || refutationTriggers[t.raw] || postRefutation[t.raw] || t.raw == "instead" || t.raw == "rather" || differences[t.raw]
}

// claimWords appends to buf the phrasing's content words but its copulas
// ("is", "are"): what a claim in any word order must say.
func (p phrase) claimWords(buf []phraseWord) []phraseWord {
	for _, w := range p.words {
		if !w.function && !w.copula {
			buf = append(buf, w)
		}
	}
	return buf
}

// anyOrderPhrases returns the indexes of the phrasings that may be stated
// in any word order: anyOrderCore content words or more, none of which
// makes the order the claim.
func anyOrderPhrases(v *vocab, ps []phrase) []int32 {
	var out []int32
	for i, p := range ps {
		var buf [looseWords]phraseWord
		if len(p.claimWords(buf[:0])) < anyOrderCore {
			continue
		}
		if slices.ContainsFunc(p.words, func(w phraseWord) bool { return w.id >= 0 && orderedClaims[v.words[w.id]] }) {
			continue
		}
		out = append(out, int32(i))
	}
	return slices.Clip(out)
}

// claimAround returns the tokens [lo, hi) of the claim around token i:
// its clause, cut at an "and" or "or" that joins another claim to it
// ("escape output to stop XSS and use CSRF tokens to stop CSRF").
func (d *doc) claimAround(i int) (lo, hi int) {
	s, c := d.tokens[i].sentence, d.tokens[i].clause
	same := func(k int) bool {
		t := d.tokens[k]
		return t.sentence == s && t.clause == c && t.raw != "and" && t.raw != "or"
	}
	lo, hi = i, i+1
	for lo > 0 && same(lo-1) {
		lo--
	}
	for hi < len(d.tokens) && same(hi) {
		hi++
	}
	return lo, hi
}

// holdsAll returns the first of the tokens [lo, hi) that match words when
// every one of words matches one of them, one of them off q's topic, and
// none of the tokens denies, refutes or sets the claim against another
// ("instead", "rather"); else -1.
func (d *doc) holdsAll(q *Question, words []phraseWord, lo, hi int) int {
	for k := lo; k < hi; k++ {
		if d.tokens[k].setsAgainst() {
			return -1 // "send many records in one request instead of one each"
		}
	}
	first, offTopic := hi, false
	var at [looseWords]int
	for wi, w := range words {
		at[wi] = -1
		for k := lo; k < hi; k++ {
			if d.matches(w, k) && !d.partitiveOnly(k) {
				at[wi] = k
				break
			}
		}
		if at[wi] < 0 {
			return -1
		}
		// Two words apart in the claim, found inside one code identifier:
		// "list_iterator" names one thing, not a list and an iterator.
		for wj := range wi - 1 {
			if d.oneIdentifier(at[wj], at[wi]) {
				return -1
			}
		}
		first = min(first, at[wi])
		offTopic = offTopic || !w.pronoun && !w.prefix && !q.topicIDs.has(w.id)
	}
	if !offTopic {
		return -1
	}
	return first
}

// partitiveOnly reports an "only" at token k that measures a share ("only
// part of", "only one of") rather than claiming exclusivity.
func (d *doc) partitiveOnly(k int) bool {
	return d.tokens[k].raw == "only" && k+1 < len(d.tokens) && partitives[d.tokens[k+1].raw]
}

// oneIdentifier reports two tokens, next to each other, that are parts of
// one code identifier joined by an underscore ("list_iterator").
func (d *doc) oneIdentifier(a, b int) bool {
	if a > b {
		a, b = b, a
	}
	if b != a+1 {
		return false
	}
	end := d.tokens[a].start + len(d.tokens[a].raw)
	return end < len(d.text) && d.text[end] == '_' && end+1 == d.tokens[b].start
}

// comparedAgainst reports a phrase that is what something else is
// compared with ("far less noisy than a p99", "cheaper than a rebuild"):
// the sentence neither asserts nor denies it.
func (d *doc) comparedAgainst(i int) bool {
	for k := i - 1; k >= 0 && k >= i-2; k-- { // "than", "than a"
		t := d.tokens[k]
		if t.sentence != d.tokens[i].sentence {
			return false
		}
		if t.raw == "than" {
			return k == 0 || d.tokens[k-1].raw != "rather" // "rather than" denies
		}
		if !articles[t.raw] {
			return false
		}
	}
	return false
}

// A misconception of the form "X fixes Y" ("Thinks switching associations
// to EAGER fixes N+1", "Believes CORS prevents CSRF") is stated by any
// clause that recommends its X as the remedy, however the rest is worded:
// "the cleanest fix is to change the mapping to FetchType.EAGER", "the
// simplest defence is a strict CORS policy". Its X is the words before
// the red flag text's remedy verb that most of its phrasings use.

// remedyReach is how many words after "the fix is" the remedy may stand;
// remedyVerbReach how many words after the remedy its verb ("fixes"), or
// the copula of "X is the fix"; remedyLinkReach how many words a "for…"
// may put between the remedy noun and its copula ("the fix for the
// counter is…"), or between the copula and the noun ("is a permanent
// fix").
const (
	remedyReach     = 8
	remedyVerbReach = 3
	remedyLinkReach = 4
)

// remedyClaim is a misconception that a remedy works.
type remedyClaim struct {
	// remedies are the words of each remedy, each ended by remedyEnd.
	remedies []int32
	// object holds the content words of what the remedies are said to
	// fix, after the verb ("csrf" in "CORS prevents CSRF").
	object []int32
	// said holds every word of the red flag's text and phrasings: a
	// remedy of one word followed by a noun of none of them names
	// something else ("an async client" is not "an async endpoint").
	said []int32
}

// remedyOf returns the remedy claim of a red flag whose text says one
// works ("Thinks switching associations to EAGER fixes N+1"). Before its
// remedy verb, each alternative ("HTTPS or CORS prevents CSRF", "longer
// sleeps, blanket retries or deletion as the fix") is a remedy: the word
// of it, off the prompt, that most of the red flag's phrasings use (two
// at least), or the words tied for most ("SameSite=Lax": both). Each
// remedy is ended by remedyEnd.
func remedyOf(v *vocab, q *Question, rf compiledRedFlag, right **doc) remedyClaim {
	text := tokenize(rf.Text)
	verb := slices.IndexFunc(text.tokens, func(t token) bool { return remedyVerbs[t.raw] })
	if verb < 0 {
		return remedyClaim{}
	}
	var claim remedyClaim
	for _, t := range text.tokens {
		if id := v.id(t.stem); id >= 0 {
			claim.said = append(claim.said, id)
		}
	}
	for _, p := range rf.phrases {
		for _, w := range p.words {
			if !w.scanned() {
				claim.said = append(claim.said, w.id)
			}
		}
	}
	for _, t := range text.tokens[verb+1:] {
		if id := v.id(t.stem); id >= 0 && !t.is(classStop|classFunction) && !slices.Contains(claim.object, id) {
			claim.object = append(claim.object, id)
		}
	}
	if *right == nil {
		// The question's right answers, parsed once for all its red flags.
		texts := append([]string{q.ModelAnswer, q.Explanation}, keyPointTexts(q)...)
		*right = parsePooled(strings.Join(texts, "\n\n"), v)
	}
	(*right).resolve(v) // the red flags' phrasings have added words since
	var group []int32
	flush := func() {
		// A remedy the bank's own right answers recommend is no sign of
		// the misconception: "the fix is an ownership check" is right,
		// whatever "a role check fixes IDOR" says.
		if len(group) > 0 && (*right).statedRemedy(remedyClaim{remedies: group, object: claim.object}) < 0 && !keyPointNames(q, group) {
			claim.remedies = append(append(claim.remedies, group...), remedyEnd)
		}
		group = group[:0]
	}
	best := 0 // how many phrasings use the group's words
	for k, t := range text.tokens[:verb] {
		t.id = v.id(t.stem)
		if t.raw == "or" || k > 0 && t.clause != text.tokens[k-1].clause {
			flush() // "longer sleeps, blanket retries or deletion": three remedies
			best = 0
			if t.raw == "or" {
				continue
			}
		}
		if t.id < 0 || t.is(classStop|classFunction) || q.promptIDs.has(t.id) || slices.Contains(group, t.id) {
			continue
		}
		n := 0
		for _, p := range rf.phrases {
			if slices.ContainsFunc(p.words, func(w phraseWord) bool { return !w.scanned() && w.id == t.id }) {
				n++
			}
		}
		switch {
		case n < 2 || n < best:
		case n > best:
			group, best = append(group[:0], t.id), n
		default:
			group = append(group, t.id)
		}
	}
	flush()
	claim.remedies = slices.Clip(claim.remedies)
	return claim
}

// keyPointNames reports a remedy that is, by itself, a phrasing of a key
// point ("mfa" makes the point "MFA or passkeys make a stolen password
// insufficient"): naming it earns that point, so recommending it is no
// sign of the misconception that it works completely. A point that only
// warns about the remedy ("retries hide flakiness") is made by other
// words, and one that sets it aside ("making the mapping EAGER isn't the
// fix") is said as a negation or a contrast: both keep the red flag.
func keyPointNames(q *Question, remedy []int32) bool {
	for _, kp := range q.keyPoints {
		if kp.negativeSense || slices.Contains(kp.negated, true) || len(kp.deniedWords) > 0 {
			continue
		}
		for _, p := range kp.phrases {
			ids := make([]int32, 0, len(p.words))
			for _, w := range p.words {
				if !w.scanned() {
					ids = append(ids, w.id)
				}
			}
			if len(ids) == len(remedy) && !slices.ContainsFunc(remedy, func(id int32) bool { return !slices.Contains(ids, id) }) {
				return true
			}
		}
	}
	return false
}

// namesOther reports that the word at token i qualifies a noun right
// after it that the red flag never says: "an async client" names a
// client, where the misconception makes the endpoint async. A noun that
// only gives the remedy's form ("a strict CORS policy", "the EAGER
// setting") names the remedy itself.
func (d *doc) namesOther(i int, said []int32) bool {
	if i+1 >= len(d.tokens) {
		return false
	}
	t, next := d.tokens[i], d.tokens[i+1]
	if next.sentence != t.sentence || next.clause != t.clause || next.is(classStop|classFunction|classCopula|classAuxiliary) || remedyVerbs[next.raw] || remedyForms[next.stem] {
		return false
	}
	return next.id < 0 || !slices.Contains(said, next.id)
}

// keyPointTexts returns the text of each of the question's key points.
func keyPointTexts(q *Question) []string {
	out := make([]string, len(q.keyPoints))
	for i, kp := range q.keyPoints {
		out[i] = kp.Text
	}
	return out
}

// remedyEnd ends each remedy in a red flag's remedies.
const remedyEnd = -1

// statedRemedy returns the first token of a clause that recommends one
// of a red flag's remedies, or -1. The clause holds every word of the
// remedy, asserted, with nothing set against it, and says it fixes: the
// remedy then a remedy verb ("EAGER fixes it", "random UUIDs fix it", but
// not "buffers only absorb bursts"), a remedy noun and a copula before it
// ("the cleanest fix is FetchType.EAGER", "the fix for the counter is to
// declare it volatile"), or a copula and a remedy noun after it
// ("retries are a permanent fix").
func (d *doc) statedRemedy(claim remedyClaim) int {
	for remedies := claim.remedies; len(remedies) > 0; {
		end := slices.Index(remedies, remedyEnd)
		if end < 0 {
			end = len(remedies)
		}
		remedy := remedies[:end]
		remedies = remedies[min(end+1, len(remedies)):]
		if slices.ContainsFunc(remedy, func(id int32) bool { return d.firstOf(id) < 0 }) {
			continue
		}
		found := -1
		d.positions(remedy[0], func(i int) bool {
			if len(remedy) == 1 && d.namesOther(i, claim.said) {
				return true // "the fix is an async client": another thing made async
			}
			if d.recommends(i, remedy, claim.object) {
				found = i
				return false
			}
			return true
		})
		if found >= 0 {
			return found
		}
	}
	return -1
}

// recommends reports whether the claim around token i, the remedy's
// first word, recommends the remedy (statedRemedy). After the remedy,
// "fixes" or "solves" recommends it whatever it fixes; another remedy
// verb only with a word of what the misconception says it fixes:
// "orTimeout stops the underlying call", not "orTimeout stops the wait".
func (d *doc) recommends(i int, remedy, object []int32) bool {
	lo, hi := d.claimAround(i)
	// A negation or a refutation after it ("…is a myth") anywhere in the
	// claim sets the remedy against something; a word that refutes what
	// follows it ("avoid", "prevents", "instead", "rather") only before it:
	// "retries are the fix rather than a stopgap" recommends retries, and
	// "CORS prevents CSRF" recommends CORS.
	for k := lo; k < hi; k++ {
		if t := d.tokens[k]; t.negation() || postRefutation[t.raw] || k < i && t.setsAgainst() {
			return false
		}
	}
	// A remedy recommended with another measure ("a role check plus an
	// ownership check", "an async def handler through to_thread") is not
	// the belief that it fixes the problem by itself.
	s, c := d.tokens[i].sentence, d.tokens[i].clause
	for k := d.sentences[s].first; k < d.sentences[s].end; k++ {
		if d.tokens[k].clause == c && remedyCompanions[d.tokens[k].raw] {
			return false
		}
	}
	clause := d.tokens[lo:hi]
	for _, id := range remedy[1:] {
		if !slices.ContainsFunc(clause, func(t token) bool { return t.id == id }) {
			return false
		}
	}
	fixes := false
	for k := i + 1; k < hi && k <= i+remedyVerbReach && d.tokens[k].raw != "only"; k++ {
		t := d.tokens[k]
		fixes = fixes || remedyVerbs[t.raw] &&
			(t.stem == "fix" || t.stem == "solv" || slices.ContainsFunc(clause, func(t token) bool { return slices.Contains(object, t.id) }))
	}
	for k := lo; k+1 < i && !fixes; k++ {
		if !remedyNouns[d.tokens[k].raw] {
			continue
		}
		cop := k + 1
		if prepositions[d.tokens[cop].raw] {
			for cop < i && cop <= k+remedyLinkReach && !d.tokens[cop].is(classCopula) {
				cop++ // "the fix for the counter is…"
			}
		}
		fixes = d.tokens[cop].is(classCopula) && i-cop <= remedyReach
	}
	for k := i + 1; k < hi && k <= i+remedyVerbReach && !fixes; k++ {
		if d.tokens[k].is(classCopula) {
			for j := k + 1; j < hi && j <= k+remedyLinkReach && !fixes; j++ {
				fixes = remedyNouns[d.tokens[j].raw]
			}
		}
	}
	return fixes && d.polarityAt(i, true) == asserted && !d.refutedAfter(i, i+1)
}

// coordinationReach is how many words a coordinated item may have.
const coordinationReach = 2

// coordinated returns the token of w when it follows an item that "and"
// or "or" at token k joins to the words before it, or 0: "logging tokens or
// passwords is fine" says "logging tokens is fine", "retries and timeouts
// are unnecessary" says "retries are unnecessary", and "pass an npm token
// or SSH key as a build arg" says "pass the token as a build arg" (function
// words may stand between the item and w). The item is a word or two of
// substance: "read-through or cache-aside" does not say "read-through is
// cache-aside", as nothing of the phrasing follows it.
func (d *doc) coordinated(k int, w phraseWord) int {
	t := d.tokens[k]
	if !t.is(classJoin) || k == 0 {
		return 0
	}
	s, c := t.sentence, t.clause
	for j := k + 2; j <= k+1+coordinationReach && j < len(d.tokens); j++ {
		item := d.tokens[j-1]
		if item.sentence != s || item.clause != c || item.is(classFunction|classStop) || item.negation() || item.is(classGapBreaker) {
			return 0
		}
		if d.tokens[j].sentence == s && d.tokens[j].clause == c && d.matches(w, j) {
			return j
		}
		for f := j; f < j+looseFunction && f+1 < len(d.tokens) && d.tokens[f].is(classFunction) && !d.tokens[f].negation() && !d.tokens[f].is(classGapBreaker|classTerminator); f++ {
			if n := d.tokens[f+1]; n.sentence == s && n.clause == c && d.matches(w, f+1) {
				return f + 1
			}
		}
	}
	return 0
}

// coordinatedBefore returns the token of w when an item of a word or two
// starting at token k is joined to it by "and" or "or", or 0: "include
// the exception message and stack trace in the response" says "include
// the stack trace in the response". What follows "and" is not the subject
// of a clause of its own.
func (d *doc) coordinatedBefore(k int, w phraseWord) int {
	if !d.tokens[k].is(classJoin) && (k+1 >= len(d.tokens) || !d.tokens[k+1].is(classJoin)) && (k+2 >= len(d.tokens) || !d.tokens[k+2].is(classJoin)) {
		return 0 // no "and" or "or" near: the common case, decided without reading the item
	}
	s, c := d.tokens[k].sentence, d.tokens[k].clause
	for j := k; j < k+coordinationReach && j+2 < len(d.tokens); j++ {
		item := d.tokens[j]
		if item.sentence != s || item.clause != c || item.is(classFunction|classStop) || item.negation() || item.is(classGapBreaker) {
			return 0
		}
		and := d.tokens[j+1]
		if and.is(classJoin) && and.clause == c && d.tokens[j+2].clause == c && d.tokens[j+2].sentence == s && d.matches(w, j+2) {
			if n := j + 3; n < len(d.tokens) && d.tokens[n].clause == c && d.tokens[n].is(classCopula|classAuxiliary) {
				return 0 // "limit is the page size and offset is how many to skip": a clause of its own
			}
			return j + 2
		}
	}
	return 0
}

// objectReach is how many words of substance may name the thing a
// phrasing's "it" stands for: "drop it in the same deploy" is said by
// "drops the old email column in the same deploy".
const objectReach = 3

// notAlways reports that the negation before token i, in its clause, is
// "not always" or "not necessarily": the phrase holds only sometimes,
// which is not its denial.
func (d *doc) notAlways(i int) bool {
	s, c := d.tokens[i].sentence, d.tokens[i].clause
	for k := i - 1; k >= 0 && k >= i-negationWindow; k-- {
		t := d.tokens[k]
		if t.sentence != s || t.clause != c {
			return false
		}
		if t.negation() {
			return k+1 < i && (d.tokens[k+1].raw == "always" || d.tokens[k+1].raw == "necessarily")
		}
	}
	return false
}

// framedReach is how far back in its clause a framing may stand before
// the words it frames: "it comes down to recency versus frequency".
const framedReach = 6

// framed reports a phrase at token i that a framing puts forward instead
// of explaining: "cache sizing is really about the working set and the
// hit ratio", "it comes down to recency versus frequency", "you think in
// terms of partition keys". Named that way, a key point is named, not
// made.
func (d *doc) framed(i int) bool {
	s, c := d.tokens[i].sentence, d.tokens[i].clause
	for k := i - 1; k >= 1 && k >= i-framedReach; k-- { // a framing word has one before it
		t := d.tokens[k]
		if t.sentence != s || t.clause != c {
			return false
		}
		prev := d.tokens[k-1].raw
		switch {
		case t.raw == "about" && framers[prev]:
			return true
		case t.raw == "to" && prev == "down" && k >= 2 && (d.tokens[k-2].raw == "comes" || d.tokens[k-2].raw == "come"):
			return true
		case t.raw == "of" && prev == "terms" && k >= 2 && d.tokens[k-2].raw == "in":
			return true
		}
	}
	return false
}

// swapped reports a point's phrasing at token i said, in its clause, of
// another of the question's contrasts and not of the point's own:
// "authorization is the step that establishes who the caller is" swaps
// the roles the rubric gives authentication and authorization.
func (d *doc) swapped(q *Question, kp *compiledKeyPoint, p phrase, i int) bool {
	if kp.subject < 0 || slices.ContainsFunc(p.words, func(w phraseWord) bool { return w.id == kp.subject }) {
		return false
	}
	s, c := d.tokens[i].sentence, d.tokens[i].clause
	subject := -1 // the clause's first content word
	for k := d.sentences[s].first; k < d.sentences[s].end; k++ {
		t := d.tokens[k]
		if t.clause != c {
			continue
		}
		if t.id == kp.subject {
			return false
		}
		if subject < 0 && !t.is(classStop) {
			subject = k
		}
	}
	return subject >= 0 && subject < i && slices.Contains(q.contrasts, d.tokens[subject].id)
}
