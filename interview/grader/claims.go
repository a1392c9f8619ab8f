package grader

import "strings"

// Claims: what a clause of the answer says about a phrase it contains.
// A phrase the rubric looks for can be asserted ("a plain CREATE INDEX
// blocks writes"), denied ("it never blocks writes"), reported without
// being claimed ("some people think it blocks writes"), or merely named in
// a list ("hash slots, replicas and local caching"). Only an assertion
// earns a key point; a denial of a key point is a contradiction.
//
// Negation is scoped the NegEx way: a trigger word before the phrase, in
// the same clause, within negationWindow words, with no terminator
// (but, however, so, because, which…) in between.

// claimPolarity is what a clause does with a phrase.
type claimPolarity uint8

const (
	asserted claimPolarity = iota
	denied                 // a negation trigger scopes over the phrase
	reported               // someone else's belief, a myth, a hypothetical
)

// negationWindow is how many content words (not counting stop words) may
// stand between a negation trigger and the phrase it scopes over: NegEx
// uses five or six words, and "no need to track event ids or worry about
// processing" needs them counted without the little words.
const negationWindow = 6

// polarityAt says what the clause around token i does with the phrase
// starting there. refute widens the triggers to words that reject a
// misconception.
func (d *doc) polarityAt(i int, refute bool) claimPolarity {
	s, c := d.tokens[i].sentence, d.tokens[i].clause
	words := 0 // content words between the trigger and the phrase
	for k := i - 1; k >= 0 && words < negationWindow; k-- {
		t := d.tokens[k]
		if t.sentence != s {
			break
		}
		if !t.is(classStop) {
			words++
		}
		if t.clause != c && !refute {
			break
		}
		if t.clause != c && refute && k < i-3 {
			break
		}
		if t.clause != c && refutationTriggers[t.raw] && d.tokens[k+1].clause == t.clause {
			// "to avoid it, I wrap the list": the verb of a purpose takes
			// its own object; only a label ends its clause ("myth: …").
			continue
		}
		if refute && hypotheticals[t.raw] && t.clause == c {
			// "if a receiver closed it, a sender could panic": a
			// misconception supposed, to show where it leads.
			return reported
		}
		if d.negationAdverb(k) {
			continue // "memory can't actually be corrupted": the adverb stays in the scope
		}
		if t.is(classTerminator) {
			// "rather than" and "instead of" deny what follows them.
			if k+1 < len(d.tokens) && (t.raw == "rather" && d.tokens[k+1].raw == "than" || t.raw == "instead" && d.tokens[k+1].raw == "of") {
				return denied
			}
			break
		}
		if t.negation() || refute && refutationTriggers[t.raw] {
			if k+1 < i && pseudoNegations[[2]string{t.raw, d.tokens[k+1].raw}] {
				continue
			}
			if !refute && (d.directive(k) || d.prevention(k)) {
				continue // "tell the browser not to attach the cookie" prevents, it does not deny
			}
			if d.unlessAfter(i) {
				// "the cache doesn't refetch it unless a read-through layer
				// does": a condition, neither said nor denied outright.
				return reported
			}
			return denied
		}
	}
	if d.reportedBefore(i) {
		return reported
	}
	return asserted
}

// unlessAfter reports an "unless" after token i in its sentence: the
// negation before i holds only on a condition.
func (d *doc) unlessAfter(i int) bool {
	s := d.tokens[i].sentence
	for k := i + 1; k < len(d.tokens) && d.tokens[k].sentence == s; k++ {
		if raw := d.tokens[k].raw; raw == "unless" || raw == "until" && k <= i+untilReach && d.tokens[k].clause == d.tokens[i].clause {
			return true // "buffered channels don't block until they're full"
		}
	}
	return false
}

// untilReach is how near after a denied phrase "until" must stand to
// make the denial a condition: "don't block until they're full", not
// "…; rerunning the build until it's green".
const untilReach = 3

// directiveReach is how many words may stand between a directive verb and
// the "not to" it governs: "tell the browser not to".
const directiveReach = 3

// directive reports that the negation at token k is "not to" governed by
// a verb that directs someone or something ("tell the browser not to
// attach the cookie", "configure it not to retry"): it states a
// prevention, not the denial of what follows.
func (d *doc) directive(k int) bool {
	t := d.tokens[k]
	if t.raw != "not" || k+1 >= len(d.tokens) || d.tokens[k+1].raw != "to" {
		return false
	}
	for j := k - 1; j >= 0 && j >= k-directiveReach-1; j-- {
		if d.tokens[j].sentence != t.sentence {
			return false
		}
		if directiveVerbs[d.tokens[j].raw] {
			return true
		}
	}
	return false
}

// preventionReach is how many words may stand between "so" and the
// negation of a purpose clause: "so that it's never".
const preventionReach = 4

// prevention reports that the negation at token k opens the purpose of an
// action the answer proposes: "write it to an outbox in the same
// transaction, so it's never lost", "run one contract suite against both,
// so they can't drift". What follows is what the action prevents, not a
// denial. A claim of fact followed by "so" ("the scheduler runs one
// goroutine at a time, so memory can't be corrupted") stays a denial.
func (d *doc) prevention(k int) bool {
	s := d.tokens[k].sentence
	j := k - 1
	for ; j >= 0 && j >= k-preventionReach-1 && d.tokens[j].sentence == s; j-- {
		if d.tokens[j].raw == "so" {
			break
		}
	}
	if j < 0 || d.tokens[j].sentence != s || d.tokens[j].raw != "so" {
		return false
	}
	first := d.sentences[s].first
	opener := first
	for i := first; i < j; i++ {
		t := d.tokens[i]
		if firstPersonActors[t.raw] {
			return true
		}
		if i > first && t.clause != d.tokens[i-1].clause && opener == first {
			opener = i // "For in-house ports, write…": the verb after the frame
		}
	}
	return actionVerbs[d.tokens[first].raw] || actionVerbs[d.tokens[opener].raw]
}

// postWindow is how many words after a misconception's phrasing a
// refutation may stand.
const postWindow = 4

// refutedAfter reports a refutation in the words after the phrase that
// ends before token end, in its clause: "is meaningless", "doesn't work".
func (d *doc) refutedAfter(i, end int) bool {
	s, c := d.tokens[i].sentence, d.tokens[i].clause
	for k := end; k < len(d.tokens) && k < end+postWindow; k++ {
		t := d.tokens[k]
		if t.sentence != s {
			return false
		}
		if t.clause != c || t.is(classTerminator) {
			return d.rejectingRelative(k)
		}
		if postRefutation[t.raw] {
			return true
		}
		if t.raw == "nothing" && k > end && doesNothing[d.tokens[k-1].raw] {
			return true // "a try/catch around pipe does nothing"
		}
		if t.negation() && k+1 < len(d.tokens) {
			switch d.tokens[k+1].raw {
			case "work", "works", "help", "helps", "hold", "holds", "scale", "scales", "true", "valid", "correct":
				return true
			}
			if d.leadsNowhere(k) {
				return true // "complaining that the code was ugly wasn't going to get us anywhere"
			}
		}
	}
	return false
}

// rejectingRelative reports a relative clause opening at token k that
// sets aside what comes just before it: "a full rewrite, which I didn't
// recommend", "…, which we ruled out".
func (d *doc) rejectingRelative(k int) bool {
	if d.tokens[k].raw != "which" {
		return false
	}
	s := d.tokens[k].sentence
	for j := k + 1; j < len(d.tokens) && j <= k+relativeReach && d.tokens[j].sentence == s; j++ {
		t := d.tokens[j]
		if setAside[t.raw] {
			return true
		}
		if t.negation() && j+1 < len(d.tokens) && endorsements[d.tokens[j+1].raw] {
			return true
		}
	}
	return false
}

// relativeReach is how many words of a relative clause may come before
// the verb that sets its antecedent aside: "which in the end we ruled
// out".
const relativeReach = 5

// leadsNowhere reports "… not going to get us anywhere" from the
// negation at token k: a course of action dismissed.
func (d *doc) leadsNowhere(k int) bool {
	s := d.tokens[k].sentence
	for j := k + 1; j < len(d.tokens) && j <= k+relativeReach && d.tokens[j].sentence == s; j++ {
		if d.tokens[j].raw == "anywhere" {
			return true
		}
	}
	return false
}

// counterfactual reports that token i is in a sentence that opens with
// what happens without the thing just described ("Without it, you're
// left matching timestamps across four log streams"): the misconception
// there is the cost of not doing it, not the candidate's advice.
func (d *doc) counterfactual(i int) bool {
	s := d.sentences[d.tokens[i].sentence]
	if s.first+2 > i || d.tokens[s.first].raw != "without" && d.tokens[s.first].raw != "otherwise" {
		return false
	}
	if d.tokens[s.first].raw == "otherwise" {
		return d.tokens[s.first+1].clause != d.tokens[s.first].clause
	}
	// "Without it," "Without them," "Without that header,": the opener
	// is its own clause, before the misconception's.
	return anaphoricOpeners[d.tokens[s.first+1].raw] && d.tokens[i].clause != d.tokens[s.first].clause
}

// postDenialWindow is how many words after a key point's phrasing a
// denial may stand: "worker services just add latency and never help",
// "read-only roles and replicas for reporting are unnecessary".
const postDenialWindow = 8

// deniedAfter reports a denial in the words just after a phrase, in its
// clause: "retries aren't needed", "WebSockets are overkill", "the order
// doesn't matter".
func (d *doc) deniedAfter(i, end int) bool {
	s, c := d.tokens[i].sentence, d.tokens[i].clause
	if d.setting(i, end) {
		return false // "In Kubernetes you probably don't need it" denies "it", not Kubernetes
	}
	for k := end; k < len(d.tokens) && k < end+postDenialWindow; k++ {
		t := d.tokens[k]
		if t.sentence != s || t.clause != c || t.is(classTerminator) && !d.negationAdverb(k) {
			return false
		}
		if postDenials[t.raw] && !d.attributive(k) {
			return true
		}
		if t.raw == "anti" && k+1 < len(d.tokens) && d.tokens[k+1].stem == "pattern" {
			return true // "bulk endpoints are an anti-pattern"
		}
		if t.raw == "bad" && k+1 < len(d.tokens) && badThings[d.tokens[k+1].raw] && k > 0 && articles[d.tokens[k-1].raw] {
			return true // "sampling is a bad idea", "this workload is a bad fit for caching"
		}
		if d.dismissal(k) || d.worsens(k) {
			return true
		}
		if t.raw == "wrong" && k > 0 && d.tokens[k-1].raw == "the" && k+1 < len(d.tokens) && badThings[d.tokens[k+1].raw] {
			return true // "Redis sorted sets are the wrong tool"
		}
		if t.negation() {
			n := k + 1
			if n < len(d.tokens) && d.negationAdverb(n) {
				n++ // "retries aren't really needed"
			}
			if n < len(d.tokens) && d.tokens[n].sentence == s && postDeniedAfterNot[d.tokens[n].raw] {
				return true
			}
			if n+1 < len(d.tokens) && d.tokens[n+1].sentence == s && articles[d.tokens[n].raw] && deniedConcerns[d.tokens[n+1].raw] {
				return true
			}
		}
	}
	return false
}

// dismissal reports a dismissal that opens at token k: "separate users
// only add complexity", "schema libraries just slow you down". Without
// "only" or "just" it is a cost ("sharding adds complexity"), and with a
// number it belittles a cost ("only adds 2 ms").
func (d *doc) dismissal(k int) bool {
	if dismissiveAdds[d.tokens[k].raw] && d.forNothing(k) {
		return true // "background jobs and polling add complexity for nothing"
	}
	if !dismissers[d.tokens[k].raw] || k+2 >= len(d.tokens) {
		return false
	}
	ends := func(t token) bool { return dismissedBurdens[t.raw] } // "only adds complexity"
	switch verb := d.tokens[k+1]; {
	case verb.stem == "slow":
		ends = func(t token) bool { return t.raw == "down" } // "just slows you down"
	case !dismissiveAdds[verb.raw]:
		return false
	}
	s := d.tokens[k].sentence
	for j := k + 2; j <= k+3 && j < len(d.tokens) && d.tokens[j].sentence == s; j++ {
		if ends(d.tokens[j]) {
			return true
		}
	}
	return false
}

// worsens reports "makes it worse", "makes things worse" from the verb at
// token k: what the clause's subject does to the problem.
func (d *doc) worsens(k int) bool {
	if k+2 >= len(d.tokens) || d.tokens[k].stem != "make" || d.tokens[k+2].raw != "worse" {
		return false
	}
	o := d.tokens[k+1].raw
	return o == "it" || o == "things" || o == "everything" || o == "matters"
}

// forNothing reports a cost said to buy nothing, after the verb at token
// k: "adds complexity for nothing", "adds overhead for no benefit".
func (d *doc) forNothing(k int) bool {
	s := d.tokens[k].sentence
	at := func(j int) string {
		if j < len(d.tokens) && d.tokens[j].sentence == s {
			return d.tokens[j].raw
		}
		return ""
	}
	for j := k + 1; j <= k+3; j++ {
		if !dismissedBurdens[at(j)] || at(j+1) != "for" {
			continue
		}
		return at(j+2) == "nothing" || at(j+2) == "no" && forNoWhat[at(j+3)]
	}
	return false
}

// negationAdverb reports an intensifier right after a negation ("can't
// actually", "aren't really"): it belongs to the negation, and neither
// ends its scope nor stands between it and what it denies.
func (d *doc) negationAdverb(k int) bool {
	return k > 0 && intensifiers[d.tokens[k].raw] && d.tokens[k-1].negation()
}

// attributive reports that the adjective at token k qualifies the noun
// after it ("the legacy MD5 hashes") rather than the claim before it
// ("bcrypt is legacy").
func (d *doc) attributive(k int) bool {
	if k+1 >= len(d.tokens) {
		return false
	}
	t, next := d.tokens[k], d.tokens[k+1]
	return next.sentence == t.sentence && next.clause == t.clause && !next.is(classStop)
}

// reportedBefore reports a reported-speech phrase earlier in token i's
// sentence, not cut off by a contrast ("…, but actually…").
func (d *doc) reportedBefore(i int) bool {
	s := d.tokens[i].sentence
	first := d.sentences[s].first
	cut := first
	for k := i - 1; k >= first; k-- {
		if raw := d.tokens[k].raw; raw == "but" || raw == "actually" || raw == "however" || raw == "instead" || raw == "reality" {
			cut = k + 1
			break
		}
	}
	if !d.reportedFound {
		d.reportedAt = d.reportedAt[:0]
		for _, p := range reportedPhrases {
			d.findAll(p, func(j int) { d.reportedAt = append(d.reportedAt, int32(j)) })
		}
		d.reportedFound = true
	}
	for _, j := range d.reportedAt {
		if int(j) >= cut && int(j) < i && d.tokens[j].sentence == s {
			return true
		}
	}
	return d.thirdPartyBelief(cut, i)
}

// beliefReach is how many words may stand between a third party and the
// verb of their belief: "many developers still think".
const beliefReach = 3

// thirdPartyBelief reports a belief put on someone else between tokens
// from and i: "many teams still assume…", "developers often think…".
func (d *doc) thirdPartyBelief(from, i int) bool {
	for k := from; k < i; k++ {
		if !d.tokens[k].is(classBelief) {
			continue
		}
		for j := k - 1; j >= from && j >= k-beliefReach; j-- {
			if d.tokens[j].is(classThirdParty) {
				return true
			}
		}
	}
	return false
}

// nominal reports that the phrase at token i opens with a participle
// after a preposition, so it names a thing rather than claims an act:
// "lint for ignored errors", "alerts on dropped messages".
func (d *doc) nominal(i int) bool {
	if i == 0 || !strings.HasSuffix(d.tokens[i].raw, "ed") {
		return false
	}
	prev := d.tokens[i-1]
	return prev.sentence == d.tokens[i].sentence && prepositions[prev.raw]
}

// consequenceSentences lists the sentences where "so" opens a clause
// ("a concurrent write is a fatal error, so use a mutex"): the clause
// after it follows from the one before, which explains it.
func (d *doc) consequenceSentences() []int {
	var out []int
	for k := 1; k < len(d.tokens); k++ {
		t, prev := d.tokens[k], d.tokens[k-1]
		if t.raw != "so" || prev.sentence != t.sentence || prev.clause == t.clause {
			continue
		}
		if k+1 < len(d.tokens) && soNotConsequence[d.tokens[k+1].raw] {
			continue // "so far", "so much"
		}
		if len(out) == 0 || out[len(out)-1] != t.sentence {
			out = append(out, t.sentence)
		}
	}
	return out
}

// mergeSorted merges two sorted lists of sentence indexes without repeats.
func mergeSorted(a, b []int) []int {
	out := make([]int, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		var v int
		switch {
		case j >= len(b) || i < len(a) && a[i] < b[j]:
			v, i = a[i], i+1
		case i >= len(a) || b[j] < a[i]:
			v, j = b[j], j+1
		default:
			v, i, j = a[i], i+1, j+1
		}
		if len(out) == 0 || out[len(out)-1] != v {
			out = append(out, v)
		}
	}
	return out
}

// purposeOfDirective reports that token i stands in the purpose clause of
// an instruction: "use lazy parameters so disabled debug logs cost
// nothing to format" says what the instruction achieves, not that the
// thing holds by itself. The sentence opens with an action verb (after a
// frame such as "Finally,"), and a "so" stands before i in its sentence.
func (d *doc) purposeOfDirective(i int) bool {
	s := d.tokens[i].sentence
	j := i - 1
	for ; j >= 0 && d.tokens[j].sentence == s; j-- {
		if d.tokens[j].raw == "so" {
			break
		}
		if d.tokens[j].is(classTerminator) {
			return false
		}
	}
	if j < 0 || d.tokens[j].sentence != s || d.tokens[j].raw != "so" || j+1 < len(d.tokens) && soNotConsequence[d.tokens[j+1].raw] {
		return false
	}
	first := d.sentences[s].first
	opener := first
	for k := first + 1; k < j; k++ {
		if d.tokens[k].clause != d.tokens[k-1].clause {
			opener = k
			break
		}
	}
	return actionVerbs[d.tokens[first].raw] || opener < j && actionVerbs[d.tokens[opener].raw] && frames[d.tokens[first].raw]
}

// setting reports a phrase from token i to end that opens its clause
// after a preposition and is followed by the clause's own subject ("In
// Kubernetes you…", "With a CDN we…"): where the claim holds, not what
// it is about.
func (d *doc) setting(i, end int) bool {
	if i == 0 || end >= len(d.tokens) || !settingPrepositions[d.tokens[i-1].raw] {
		return false
	}
	open := i-1 == d.sentences[d.tokens[i].sentence].first || d.tokens[i-2].clause != d.tokens[i-1].clause
	return open && d.tokens[end].clause == d.tokens[i].clause && clauseSubjects[d.tokens[end].raw]
}
