package grader

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mockround/mockround/seeds"
)

// MaxAnswerChars is the longest answer the grader reads (in characters).
const MaxAnswerChars = 20_000

// ErrAnswerTooLong is returned for answers over MaxAnswerChars.
var ErrAnswerTooLong = fmt.Errorf("the answer is over %d characters: shorten it", MaxAnswerChars)

// Status says whether an answer got a grade.
type Status string

const (
	// StatusGraded: the answer has scores.
	StatusGraded Status = "graded"
	// StatusInsufficient: there was nothing to grade (empty, "I don't
	// know", gibberish, far too short); Reason says which.
	StatusInsufficient Status = "insufficient"
)

// GraderRubric names the built-in rubric engine in results and reports.
const GraderRubric = "rubric"

// Dimensions are the six scores of an answer, 0–10 each.
type Dimensions struct {
	Accuracy      float64 `json:"accuracy"`
	Depth         float64 `json:"depth"`
	Tradeoffs     float64 `json:"tradeoffs"`
	Structure     float64 `json:"structure"`
	Specificity   float64 `json:"specificity"`
	Communication float64 `json:"communication"`
}

// Dimension is one of the six: its name (the JSON key, the storage column
// and the chart's title) and what it measures, in the words a model
// grader is given.
type Dimension struct {
	Name     string
	Measures string
	field    func(*Dimensions) *float64
}

// DimensionList is the one list of the dimensions, in the order the
// product shows them. JSON, storage columns, exports, charts, the model
// grader's prompt and schema, and every walk over the dimensions here
// (Get, the weighted sum, clamping, rounding) follow it.
var DimensionList = []Dimension{
	{"accuracy", "what it says is correct and answers this question", func(d *Dimensions) *float64 { return &d.Accuracy }},
	{"depth", "how many of the rubric's key points it makes, and how well it explains them", func(d *Dimensions) *float64 { return &d.Depth }},
	{"tradeoffs", "it names costs, limits and alternatives", func(d *Dimensions) *float64 { return &d.Tradeoffs }},
	{"structure", "a clear claim, the reasoning behind it and the tradeoff, easy to follow", func(d *Dimensions) *float64 { return &d.Structure }},
	{"specificity", "numbers, named tools and APIs, concrete examples", func(d *Dimensions) *float64 { return &d.Specificity }},
	{"communication", "concise, confident and readable", func(d *Dimensions) *float64 { return &d.Communication }},
}

// DimensionNames lists the dimensions' names, in DimensionList's order.
var DimensionNames = func() []string {
	out := make([]string, len(DimensionList))
	for i, f := range DimensionList {
		out[i] = f.Name
	}
	return out
}()

// Fields are pointers to the dimensions of d, in DimensionList's order:
// scan targets for a row of score columns.
func (d *Dimensions) Fields() []*float64 {
	out := make([]*float64, len(DimensionList))
	for i, f := range DimensionList {
		out[i] = f.field(d)
	}
	return out
}

// Get returns a dimension by name (0 for an unknown name).
func (d Dimensions) Get(name string) float64 {
	for _, f := range DimensionList {
		if f.Name == name {
			return *f.field(&d)
		}
	}
	return 0
}

// Set sets a dimension by name; an unknown name changes nothing.
func (d *Dimensions) Set(name string, v float64) {
	for _, f := range DimensionList {
		if f.Name == name {
			*f.field(d) = v
		}
	}
}

// zipDims combines two sets of dimensions, dimension by dimension.
func zipDims(a, b Dimensions, fn func(x, y float64) float64) Dimensions {
	for _, f := range DimensionList {
		p := f.field(&a)
		*p = fn(*p, *f.field(&b))
	}
	return a
}

// mapDims applies fn to every dimension.
func mapDims(d Dimensions, fn func(float64) float64) Dimensions {
	for _, f := range DimensionList {
		p := f.field(&d)
		*p = fn(*p)
	}
	return d
}

// Hit is a key point the answer made, with the sentence that made it.
// Partial hits said the idea in other words and count half.
type Hit struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	Weight   int    `json:"weight"`
	Sentence string `json:"sentence"`
	Partial  bool   `json:"partial,omitempty"`
	// Named is a key point only named (in a list, or with nothing said
	// about it): it earns a quarter of its weight.
	Named bool `json:"named,omitempty"`
	// Disputed is a key point the grader missed and the learner said they
	// made, in Sentence (see Adjust).
	Disputed bool `json:"disputed,omitempty"`
}

// Miss is a key point the answer did not make.
type Miss struct {
	ID     string `json:"id"`
	Text   string `json:"text"`
	Weight int    `json:"weight"`
}

// Flag is a misconception found in the answer.
type Flag struct {
	Text     string `json:"text"`
	Sentence string `json:"sentence"`
}

// Beats are the three beats of a strong answer as found in it: the claim,
// the reasoning behind it, and the tradeoff. Empty when missing.
type Beats struct {
	Claim     string `json:"claim"`
	Reasoning string `json:"reasoning"`
	Tradeoff  string `json:"tradeoff"`
}

// Result is a graded answer: a plain value that the report, the round page,
// the export and `mockround grade` all show as it is.
type Result struct {
	QuestionID string     `json:"question_id"`
	Status     Status     `json:"status"`
	Reason     string     `json:"reason,omitempty"`
	Overall    float64    `json:"overall"`
	Dimensions Dimensions `json:"dimensions"`
	Hits       []Hit      `json:"hits"`
	Misses     []Miss     `json:"misses"`
	RedFlags   []Flag     `json:"red_flags"`
	// Contradictions are claims that say the opposite of a key point.
	Contradictions []Contradiction `json:"contradictions"`
	// UncheckedClaims are sentences that assert something technical that
	// no key point, contradiction or red flag covers: the rubric could not
	// check them. Confidence (high, medium, low) says how much of the
	// answer the rubric could check.
	UncheckedClaims []string   `json:"unchecked_claims"`
	Confidence      Confidence `json:"confidence"`
	// Removed is text addressed to the grader, taken out before scoring.
	Removed []string `json:"removed,omitempty"`
	Beats   Beats    `json:"beats"`
	// Unsupported are claims with no number, named tool or example.
	Unsupported []string `json:"unsupported_claims"`
	Filler      int      `json:"filler"`
	Hedges      int      `json:"hedges"`
	Words       int      `json:"words"`
	// Caps explains each ceiling applied to the overall score.
	Caps []string `json:"caps,omitempty"`
	// FollowUp is what the interviewer asks next; empty when the answer is
	// complete. FollowUpTarget is the key point it targets, if any.
	FollowUp       string `json:"followup"`
	FollowUpTarget string `json:"followup_target,omitempty"`
	Grader         string `json:"grader"`
	// Injection is set when the answer tries to instruct the grader; a
	// model may then not raise any score.
	Injection bool `json:"injection,omitempty"`
	// LLM is the model's assessment when one graded too; LLMError says why
	// a model that was tried did not (the rubric's grade stands).
	LLM      *LLMAssessment `json:"llm,omitempty"`
	LLMError string         `json:"llm_error,omitempty"`

	// ceiling is the lowest cap applied, offTopic whether the answer missed
	// the question: Anchor keeps a model within them. short is an answer
	// too short to place: the interviewer asks for more.
	ceiling  float64
	offTopic bool
	short    bool
}

// Graded reports whether the result carries scores.
func (r Result) Graded() bool { return r.Status == StatusGraded }

// Grader grades answers against their question's rubric.
type Grader struct {
	bank *Bank
	// disputes, set only by Adjust, change what matching found before
	// scoring.
	disputes []Dispute
}

// NewGrader returns the rubric grader for a bank.
func NewGrader(b *Bank) *Grader { return &Grader{bank: b} }

// Bank returns the grader's bank.
func (g *Grader) Bank() *Bank { return g.bank }

// classify looks up what every word of an answer is.
func (g *Grader) classify(d *doc) []wordKind {
	out := make([]wordKind, len(d.tokens))
	for i, t := range d.tokens {
		out[i] = g.bank.vocab.kind(t.id)
	}
	return out
}

// signals are what the grader measures in an answer, before scoring.
type signals struct {
	words, sentences int
	coverage         float64
	fullHits         int     // key points asserted and explained
	named            int     // key points only named
	partials         int     // key points said in other words
	topicShare       float64 // share of the content (by specificity) on the question
	buried           bool    // key points inside a long detour
	diluted          bool    // the point inside a story with asides
	digressed        bool    // much of it about something else (capDigressed)
	partialWeight    int
	confirmed        float64 // coverage by key points the rubric matched, not inferred
	namedWeight      int
	explainedWeight  int
	stated           int  // contradictions the bank lists, asserted
	denied           int  // key points the answer denies
	missed           int  // key points it makes in no form (explained, named or in its own words)
	deniedCore       bool // one of them is a point of the highest weight
	tools, code      int  // named technologies and exact APIs
	lists            int  // sentences that are lists of names
	buzz             int  // praise that says nothing: scalable, best practice
	onTopic          bool
	reasoning        int // sentences that explain
	strongTradeoff   int // sentences that name a tradeoff
	weakTradeoff     int // sentences that contrast
	tradeoffPhrases  int // the question's own tradeoff phrases used
	specifics        int
	concrete         int // numbers and examples: what lifts a claim out of the abstract
	filler, hedges   int
	stories          int // story and example phrases ("at my last job", "for example")
	absolutes        int // sweeping claims: always, never, no need…
	negations        int // negation words outside quotations
	avgSentence      float64
	repetition       float64 // share of content words that repeat
	stopShare        float64
	ordered          bool
	waivers          int // sentences the rubric could not check that wave a risk away or sell a claim
	waivedBeside     int // sentences that wave a risk away beside a flagged misconception or contradiction
}

// onQuestion reports an answer that is one to its question by its words
// and key points: mostly the question's words; a fair share of them and
// of its key points; two key points explained, or three in the answer's
// own words (an expert in plain words uses few of the question's terms);
// or a short answer near a key point.
func onQuestion(s signals) bool {
	return s.topicShare >= topicAlone ||
		s.coverage >= topicCoverage && s.topicShare >= topicWithCoverage ||
		(s.fullHits >= 2 || s.partials >= paraphrasedPoints) && s.topicShare >= topicWithHits ||
		s.coverage > 0 && s.words < shortAnswerWords && s.topicShare >= topicWithHits
}

// waivedBeside counts the sentences that wave a risk away beside a
// misconception or a contradiction the rubric found in another sentence:
// a second wrong claim, not one slip.
func waivedBeside(d *doc, lex *lexScan, r *Result) int {
	if len(r.Contradictions) == 0 && len(r.RedFlags) == 0 {
		return 0
	}
	found := func(text string) bool {
		return slices.ContainsFunc(r.Contradictions, func(c Contradiction) bool { return c.Sentence == text }) ||
			slices.ContainsFunc(r.RedFlags, func(f Flag) bool { return f.Sentence == text })
	}
	n := 0
	for si, w := range lex.sentences[lexWaiver] {
		if w && !found(d.sentences[si].text) {
			n++
		}
	}
	return n
}

// per100 is how many of n there are in every 100 words of the answer.
func (s signals) per100(n int) float64 { return float64(n) * 100 / math.Max(float64(s.words), 1) }

// Grade scores an answer to q. It is deterministic and needs no I/O.
func (g *Grader) Grade(q *Question, answer string) (Result, error) {
	if utf8.RuneCountInString(answer) > MaxAnswerChars {
		return Result{}, ErrAnswerTooLong
	}
	if !utf8.ValidString(answer) {
		answer = strings.ToValidUTF8(answer, "\uFFFD")
	}
	r := Result{QuestionID: q.ID, Grader: GraderRubric, Hits: []Hit{}, Misses: []Miss{}, RedFlags: []Flag{}, Contradictions: []Contradiction{}, Unsupported: []string{}, UncheckedClaims: []string{}}
	// Text addressed to the grader is set aside, and a sentence said twice
	// counts once, before anything is measured.
	clean, removed := stripInjection(answer)
	r.Removed = removed
	clean = dedupeSentences(clean)
	d := parsePooled(clean, g.bank.vocab)
	defer d.release()
	r.Words = len(d.tokens)

	kinds := g.classify(d)
	enum := newEnumerations(d, kinds)
	g.matchKeyPoints(q, d, enum, &r)
	if len(g.disputes) > 0 {
		applyDisputes(q, &r, g.disputes, d.hasSentence)
	}
	lex := scanLexicon(d)
	r.Injection = len(removed) > 0 || anyFound(d, injectionPhrases)
	if reason := g.insufficient(q, d, kinds, lex, r); reason != "" {
		r.Status = StatusInsufficient
		r.Reason = reason
		r.Misses = allMisses(q)
		r.Hits = []Hit{}
		r.Contradictions = []Contradiction{}
		return r, nil
	}
	r.Status = StatusGraded
	s := g.measure(q, d, kinds, lex, &r)
	if !s.onTopic && s.coverage == 0 && len(r.RedFlags) == 0 && len(r.Contradictions) == 0 && lex.count[lexBuzz] < saladBuzz && !r.Injection {
		// Real words that say nothing on this question: nothing to grade.
		// Praise of a design around its names is graded, and capped, as
		// the keyword salad it is, and so is a weak answer beside text
		// for the grader: it tried for a score, and is held at
		// capInjection rather than left ungraded.
		r.Status = StatusInsufficient
		r.Misses = allMisses(q)
		r.Hits = []Hit{}
		if s.words < oneLinerWords {
			// A line too short to place ("We talked it through and found
			// a compromise"): the interviewer asks for more, and what
			// follows earns its own points. Only an answer long enough
			// to be about something else is called off the question,
			// and locks what follows.
			r.Reason = "Too short to tell whether this answers the question: answer it in a few sentences."
			r.short = true
		} else {
			r.Reason = "The answer does not address this question. Read it again and answer what it asks."
			r.offTopic = true
		}
		r.FollowUp = g.followUpFor(q, r, nil, nil)
		return r, nil
	}
	for si := range d.sentences {
		if enum.enumerates(si) {
			s.lists++
		}
	}
	s.buzz = lex.count[lexBuzz]
	s.waivedBeside = waivedBeside(d, lex, &r)
	r.UncheckedClaims, r.Confidence, s.waivers = checkClaims(q, d, kinds, &r, lex.sentences[lexWaiver], lex.sentences[lexPitch])
	r.Dimensions = score(s, len(r.RedFlags))
	r.Overall, r.Caps, r.ceiling = overall(r.Dimensions, s, len(r.RedFlags), r.Injection)
	r.offTopic = !s.onTopic
	r.Dimensions = roundDims(r.Dimensions)
	r.FollowUp, r.FollowUpTarget = nextFollowUp(q, r, nil)
	if f := g.followUpFor(q, r, []string{clean}, nil); f != r.FollowUp {
		r.FollowUp, r.FollowUpTarget = f, "" // a redirect or the plain-words probe
	}
	return r, nil
}

// partialMin is how many distinctive words of a key point one sentence must
// use to earn partial credit.
const partialMin = 2

// partialSentence returns the first sentence that asserts at least
// partialMin distinct words of the key point's signature (its own words
// and their synonyms), none of them under a negation, or -1; denied is the
// first sentence that uses them under a negation ("you don't really need
// to verify anything").
func partialSentence(d *doc, kp compiledKeyPoint) (si, denied int) {
	denied = -1
	if !kp.hasSig {
		return -1, -1
	}
	for si, s := range d.sentences {
		seen, at := 0, -1
		deniedWord, reportedWord := false, false // one of them in a negation's scope, or supposed or reported
		first := int32(-1)
		for k := s.first; k < s.end; k++ {
			t := d.tokens[k]
			if !kp.signature.has(t.id) || t.id == first {
				continue
			}
			if seen == 0 {
				first, at = t.id, k
			}
			seen++
			pol := d.polarityAt(k, false)
			deniedWord = deniedWord || pol != asserted && pol != reported
			reportedWord = reportedWord || pol == reported
			if seen >= partialMin {
				break
			}
		}
		if seen < partialMin {
			continue
		}
		if kp.negativeSense || !deniedWord && !reportedWord {
			return si, denied
		}
		if !deniedWord || d.polarityAt(at, false) == reported {
			continue // said on a condition or by someone else: neither made nor denied
		}
		// "Indexes are maintained in the background, so they don't slow
		// down inserts" names the point to deny it: no credit; a denial
		// only where the negation reaches its first word.
		if d.polarityAt(at, false) == asserted {
			continue
		}
		if denied < 0 {
			denied = si
		}
	}
	return -1, denied
}

func (d *doc) sentenceOf(tok int) string {
	return d.sentences[d.tokens[tok].sentence].text
}

// firstSentenceHas reports whether the lexicon category matched in the
// answer's first sentence.
func firstSentenceHas(lex *lexScan, c lexCategory) bool {
	return len(lex.sentences[c]) > 0 && lex.sentences[c][0]
}

// insufficient returns why an answer cannot be graded, or "".
func (g *Grader) insufficient(q *Question, d *doc, kinds []wordKind, lex *lexScan, r Result) string {
	n := len(d.tokens)
	// A point said in the sentence that admits not knowing ("I guess you'd
	// email them, but I don't know the process"), or asked back beside
	// it, is a guess, not knowledge.
	var admitted []string
	for _, si := range lex.sentenceIndexes(lexDontKnow) {
		admitted = append(admitted, d.sentences[si].text)
	}
	if len(admitted) > 0 {
		// Beside the admission, a point asked back ("I think CAS is
		// something databases use?") or said as a guess ("so I'd just
		// guess it's for flexible data") is a guess too.
		for _, st := range d.sentences {
			if strings.HasSuffix(st.text, "?") {
				admitted = append(admitted, st.text)
			}
		}
		for _, si := range lex.sentenceIndexes(lexGuess) {
			admitted = append(admitted, d.sentences[si].text)
		}
	}
	explained, explainedWeight, made := 0, 0, 0
	for _, h := range r.Hits {
		if !h.Named {
			made++ // explained, or said in other words
		}
		if !h.Partial && !h.Named {
			explained++
			if !slices.Contains(admitted, h.Sentence) {
				explainedWeight += h.Weight
			}
		}
	}
	// "I don't know" with a stray word of the rubric ("I'd have to read up
	// on it") has still asserted nothing: it takes a fair share of the
	// rubric to outweigh the admission.
	saysSomething := float64(explainedWeight) >= dontKnowOutweigh*float64(q.totalWeight)
	// An aside in a long story ("no idea how that went", "I don't remember
	// the details") after the answer has made a point of its own is not
	// declining the question: it opens with content, not with the
	// admission.
	if made > 0 && n >= dontKnowAsideWords && !firstSentenceHas(lex, lexDontKnow) {
		saysSomething = true
	}
	switch {
	case n == 0 && len(r.Removed) > 0:
		return "The answer only speaks to the grader. Answer the question as you would to an interviewer."
	case n == 0:
		return "The answer is empty."
	case !saysSomething && lex.count[lexDontKnow] > 0, explained == 0 && n <= 3 && lex.count[lexDontKnowAlone] > 0:
		return "You said you don't know. That is an honest answer in a real interview too; read the model answer and try this skill again."
	}
	known, content, fromPrompt, ownTopic := 0, 0, 0, 0
	for i, t := range d.tokens {
		if kinds[i]&kindKnown != 0 || hasDigit(t.raw) || len(t.raw) <= 2 {
			known++
		}
		if kinds[i]&kindStop == 0 {
			content++
			switch {
			case q.promptIDs.has(t.id):
				fromPrompt++
			case t.id >= 0 && q.topicIDs.has(t.id):
				ownTopic++
			}
		}
	}
	if n >= 3 && float64(known) < 0.5*float64(n) {
		return "The answer does not read as words we recognise. Write it as you would say it to an interviewer."
	}
	if n < 3 && explained == 0 {
		return "The answer is too short to grade. Say what you would do and why, in a sentence or two."
	}
	// A weak answer beside text for the grader ("I'd use a queue for it.")
	// is graded, and held at capInjection, even in the question's words;
	// so is a short answer that adds a word of the question's own rubric
	// or model answer to them ("read from the primary right after a user
	// writes", "set ReadHeaderTimeout"): the question pasted back adds
	// none.
	if content > 0 && float64(fromPrompt) >= promptEchoShare*float64(content) && !r.Injection && ownTopic == 0 {
		return "The answer repeats the question. Say what you would do and why."
	}
	return ""
}

// measure collects the signals the dimensions are computed from, and the
// evidence the result shows.
func (g *Grader) measure(q *Question, d *doc, kinds []wordKind, lex *lexScan, r *Result) signals {
	s := signals{words: len(d.tokens), sentences: len(d.sentences), missed: len(r.Misses)}
	got := 0.0
	for _, h := range r.Hits {
		got += h.credit()
		switch {
		case h.Partial:
			s.partials++
			s.partialWeight += h.Weight
		case h.Named:
			s.named++
			s.namedWeight += h.Weight
		default:
			s.fullHits++
			s.explainedWeight += h.Weight
		}
	}
	for _, c := range r.Contradictions {
		if c.Stated {
			s.stated++
		} else {
			s.denied++
			s.deniedCore = s.deniedCore || c.Weight >= seeds.MaxKeyPointWeight
		}
	}
	if q.totalWeight > 0 {
		s.coverage = got / float64(q.totalWeight)
		s.confirmed = (got - partialCredit*float64(s.partialWeight)) / float64(q.totalWeight)
	}

	// Topic: share of the answer's content words that belong to the question.
	// Each word counts by how specific it is to few questions: "database"
	// belongs to half the bank, "cache-aside" to a handful.
	content, stops, repeats := 0, 0, 0
	var mass, onTopic float64
	for i, t := range d.tokens {
		if kinds[i]&kindStop != 0 {
			stops++
			continue
		}
		content++
		if t.id >= 0 && d.firstOf(t.id) != int32(i) {
			repeats++ // an earlier token has this word
		}
		w := g.bank.specificity(t.id)
		mass += w
		if q.topicIDs.has(t.id) {
			onTopic += w
		}
	}
	topicShare := 0.0
	if content > 0 {
		topicShare = onTopic / mass
		s.topicShare = topicShare
		s.repetition = float64(repeats) / float64(content)
	}
	if s.words > 0 {
		s.stopShare = float64(stops) / float64(s.words)
	}
	// On the question: mostly its words, or a fair share of them and a fair
	// share of its key points. One key point in an answer about something
	// else ("cache" in an answer about caching, asked about rate limits)
	// does not make it an answer to this question, and an answer that
	// another question's words fit far better answers that question,
	// whatever it shares with this one.
	other, otherQ := 0.0, (*Question)(nil)
	if mass > 0 {
		other, otherQ = g.bestOtherFit(q, d, kinds)
		other /= mass
	}
	elsewhere := other >= otherQuestionFit*topicShare && other > 0
	if !elsewhere && other > 0 && other >= otherQuestionNear*topicShare {
		elsewhere = g.answersOther(otherQ, d, kinds, s.coverage)
	}
	s.onTopic = !elsewhere && onQuestion(s)
	// Key points made inside a long detour, or content talked around in
	// filler and stories: on the question, but buried. So is an answer off
	// the question's words that makes a key point at length or with a fair
	// share of the rubric: this question's content diluted by a story.
	// Never an answer to another question.
	filler, stories := lex.count[lexFiller], lex.count[lexExample]
	s.buried = !elsewhere && (s.coverage > 0 && topicShare < buriedShare && filler >= buriedFiller && (stories >= buriedStories || filler >= ramblingFiller) ||
		!s.onTopic && s.fullHits >= 1 && (s.coverage >= buriedCoverage && topicShare >= buriedFloor || s.words >= dilutedWords))
	s.onTopic = s.onTopic || s.buried
	// A story with asides around the point, the question's own words a
	// small share of it: the content is diluted. Behavioural answers are
	// stories by design; a long answer with few asides is an expert's in
	// plain words.
	s.digressed = q.Kind != seeds.KindBehavioral && s.words >= digressedWords && digressed(q, d, kinds)
	asides := filler + lex.count[lexHedge] + stories
	s.diluted = q.Kind != seeds.KindBehavioral && s.words >= dilutedWords && topicShare < dilutedShare &&
		stories >= 1 && filler+lex.count[lexHedge] >= 1 && (s.words < dilutedLongWords || s.per100(asides) >= dilutedAsidesPer100)

	// Per sentence: reasoning, tradeoffs, specifics.
	reasonSent := mergeSorted(lex.sentenceIndexes(lexReasoning), d.consequenceSentences())
	strongSent := lex.sentenceIndexes(lexStrongTradeoff)
	weakSent := lex.sentenceIndexes(lexWeakTradeoff)
	qTradeSent := d.sentencesWith(q.tradeoffs)
	s.reasoning = len(reasonSent)
	s.strongTradeoff = len(strongSent)
	s.weakTradeoff = len(weakSent)
	for _, p := range q.tradeoffs {
		if d.find(p) >= 0 {
			s.tradeoffPhrases++
		}
	}
	specific := g.specificSentences(q, d, kinds, lex, &s)
	s.filler = lex.count[lexFiller]
	s.hedges = lex.count[lexHedge]
	s.stories = lex.count[lexExample]
	s.absolutes = lex.count[lexAbsolute]
	for _, t := range d.tokens {
		if t.negation() {
			s.negations++
		}
	}
	if s.sentences > 0 {
		s.avgSentence = float64(s.words) / float64(s.sentences)
	}
	s.ordered = lex.count[lexOrder] >= 2

	// Evidence: the three beats and unsupported claims.
	for _, st := range d.sentences {
		if st.end-st.first >= 4 {
			r.Beats.Claim = st.text
			break
		}
	}
	if len(reasonSent) > 0 {
		r.Beats.Reasoning = d.sentences[reasonSent[0]].text
	}
	switch {
	case len(strongSent) > 0:
		r.Beats.Tradeoff = d.sentences[strongSent[0]].text
	case len(qTradeSent) > 0:
		r.Beats.Tradeoff = d.sentences[qTradeSent[0]].text
	}
	if r.Beats.Reasoning == r.Beats.Claim && len(reasonSent) > 1 {
		r.Beats.Reasoning = d.sentences[reasonSent[1]].text
	}
	for i, st := range d.sentences {
		if st.end-st.first >= 7 && !specific[i] && !strings.HasSuffix(st.text, "?") && len(r.Unsupported) < 3 {
			r.Unsupported = append(r.Unsupported, st.text)
		}
	}
	r.Filler, r.Hedges = s.filler, s.hedges
	return s
}

// bestOtherFit is the specificity-weighted mass of the answer's content
// words that belong to the bank question, other than q, they fit best,
// and that question.
// It sums every question's fit in one pass over the answer's words.
func (g *Grader) bestOtherFit(q *Question, d *doc, kinds []wordKind) (float64, *Question) {
	fit := d.scratchFloats(len(g.bank.questions))
	for i, t := range d.tokens {
		if kinds[i]&kindStop != 0 {
			continue
		}
		w := g.bank.specificity(t.id)
		for _, qi := range g.bank.questionsWith(t.id) {
			fit[qi] += w
		}
	}
	best, other := 0.0, (*Question)(nil)
	for qi, f := range fit {
		if g.bank.questions[qi] != q && f > best {
			best, other = f, g.bank.questions[qi]
		}
	}
	return best, other
}

// credit is what a hit earns of its weight: all of it explained, part of
// it said in other words, a quarter of it named.
func (h Hit) credit() float64 {
	switch {
	case h.Partial:
		return partialCredit * float64(h.Weight)
	case h.Named:
		return namedCredit * float64(h.Weight)
	}
	return float64(h.Weight)
}

// answersOther reports whether the answer makes the other question's key
// points far better than this one's: otherRubricCoverage of its rubric or
// more, and otherRubricTimes this one's coverage ("what isolation levels
// do" asked about optimistic locking).
func (g *Grader) answersOther(other *Question, d *doc, kinds []wordKind, coverage float64) bool {
	r := Result{}
	g.matchKeyPoints(other, d, newEnumerations(d, kinds), &r)
	got := 0.0
	for _, h := range r.Hits {
		got += h.credit()
	}
	otherCoverage := got / float64(max(other.totalWeight, 1))
	return otherCoverage >= otherRubricCoverage && otherCoverage >= otherRubricTimes*coverage
}

// specificSentences counts the answer's specifics (numbers, named tools,
// examples, code identifiers) into s and marks the sentences that have one.
func (g *Grader) specificSentences(q *Question, d *doc, kinds []wordKind, lex *lexScan, s *signals) []bool {
	marked := make([]bool, len(d.sentences))
	// digits are numbers written as numbers: "two goroutines" counts as
	// specific, but only "200 ms" or "10k rows" is a measurement.
	numbers, digits, tools, examples := 0, 0, 0, 0
	toolSeen := map[int32]bool{}
	for i, t := range d.tokens {
		switch {
		case startsWithDigit(t.raw) && !q.promptIDs.has(t.id):
			numbers++
			digits++
			marked[t.sentence] = true
		case kinds[i]&kindNumber != 0:
			numbers++
			if d.measured(i) {
				digits++ // "thirty seconds", "a couple of kilobytes": a measurement in words
			}
			marked[t.sentence] = true
		case kinds[i]&kindTool != 0 && !q.promptIDs.has(t.id):
			if !toolSeen[t.id] {
				toolSeen[t.id] = true
				tools++
			}
			marked[t.sentence] = true
		}
	}
	examples = lex.count[lexExample]
	for _, si := range lex.sentenceIndexes(lexExample) {
		marked[si] = true
	}
	code := countCodeIdentifiers(d.text)
	s.specifics = min(numbers, 4) + min(tools, 3) + min(examples, 2) + min(code, 2)
	s.tools, s.code = tools, code
	s.concrete = digits + examples
	return marked
}

// measured reports a number word at token i that gives a quantity of a
// unit, right after it or after "of": "thirty seconds", "millions of
// rows". "Two goroutines" counts things; it measures nothing.
func (d *doc) measured(i int) bool {
	for k := i + 1; k < len(d.tokens) && k <= i+2; k++ {
		t := d.tokens[k]
		if t.sentence != d.tokens[i].sentence {
			return false
		}
		if units[t.raw] {
			return true
		}
		if t.raw != "of" {
			return false
		}
	}
	return false
}

// countCodeIdentifiers counts the words of text that name an exact API,
// in one pass without allocating: only words holding '_' or '.' are looked
// at closely.
func countCodeIdentifiers(text string) int {
	n := 0
	start, candidate := 0, false
	for i := 0; i <= len(text); i++ {
		if i == len(text) || text[i] == ' ' || text[i] == '\t' || text[i] == '\n' {
			if candidate && isCodeIdentifier(text[start:i]) {
				n++
			}
			start, candidate = i+1, false
			continue
		}
		if text[i] == '_' || text[i] == '.' {
			candidate = true
		}
	}
	return n
}

// isCodeIdentifier spots words such as fmt.Errorf, run_in_executor or
// errors.Is(): naming the exact API is a specific.
func isCodeIdentifier(f string) bool {
	f = trimPunct(f)
	if len(f) < 4 {
		return false
	}
	letters := 0
	for _, r := range f {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if letters < 3 {
		return false
	}
	if strings.Contains(f, "_") {
		return true
	}
	if i := strings.IndexByte(f, '.'); i > 0 && i < len(f)-1 {
		a, b := rune(f[i-1]), rune(f[i+1])
		return unicode.IsLetter(a) && unicode.IsLetter(b) && !strings.EqualFold(f, "e.g") && !strings.EqualFold(f, "i.e")
	}
	return false
}

// trimPunct drops punctuation around a word.
func trimPunct(f string) string {
	isPunct := func(b byte) bool {
		switch b {
		case '.', ',', ';', ':', '!', '?', '"', '\'', '(', ')', '`':
			return true
		}
		return false
	}
	for len(f) > 0 && isPunct(f[0]) {
		f = f[1:]
	}
	for len(f) > 0 && isPunct(f[len(f)-1]) {
		f = f[:len(f)-1]
	}
	return f
}

// startsWithDigit is a number as people say one ("60", "10k", "1.5"),
// not a name with a digit in it ("G1", "V8", "http2").
func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

// sentencesWith returns the indexes of sentences containing any phrase.
func (d *doc) sentencesWith(ps []phrase) []int {
	var hit []bool
	for _, p := range ps {
		d.findAll(p, func(i int) {
			if hit == nil {
				hit = make([]bool, len(d.sentences))
			}
			hit[d.tokens[i].sentence] = true
		})
	}
	var out []int
	for i, h := range hit {
		if h {
			out = append(out, i)
		}
	}
	return out
}

// score turns signals into the six dimensions. Every number it uses is
// a named constant in calibration.go.
func score(s signals, redFlags int) Dimensions {
	var dm Dimensions
	fillerRate := s.per100(s.filler)

	// Accuracy: what was said is right and on the question. It rests on
	// what the rubric could confirm; points said in other words count for
	// depth, and half for accuracy.
	if s.onTopic {
		dm.Accuracy = accuracyBase + accuracyRange*math.Min(1, (s.confirmed+s.coverage)/2/accuracyFullAt)
	} else {
		dm.Accuracy = accuracyOffTopic
	}
	dm.Accuracy -= redFlagPenalty * float64(redFlags)
	dm.Accuracy -= deniedPenalty * float64(s.denied)
	if s.stated > 0 {
		dm.Accuracy = math.Min(dm.Accuracy, accuracyContradicted)
	}

	// Depth: how much of the rubric, and how much of it explained.
	dm.Depth = depthCoverage*math.Min(1, s.coverage/depthFullAt) +
		depthReasoning*math.Min(1, float64(s.reasoning)/depthReasons)

	// Tradeoffs: named costs, contrasts, and the question's own tensions.
	dm.Tradeoffs = tradeoffStrong*math.Min(tradeoffCount, float64(s.strongTradeoff)) +
		tradeoffWeak*math.Min(tradeoffCount, float64(s.weakTradeoff)) +
		tradeoffOwn*math.Min(tradeoffCount, float64(s.tradeoffPhrases))

	// Structure: claim, reasoning, tradeoff, in readable sentences.
	dm.Structure = structureBase
	if s.words >= structureMinWords {
		dm.Structure += structureSentence
	}
	if s.reasoning > 0 {
		dm.Structure += structureReasoning
	}
	if s.strongTradeoff > 0 || (s.weakTradeoff > 0 && s.tradeoffPhrases > 0) {
		dm.Structure += structureTradeoff
	}
	if s.sentences >= structureSentences {
		dm.Structure += structureBonus
	}
	if s.ordered {
		dm.Structure += structureBonus
	}
	if s.avgSentence > structureLongSentence {
		dm.Structure -= structureLongPenalty
	}
	dm.Structure -= math.Min(structureFillerMax, math.Max(0, fillerRate-structureFillerFree)*structureFillerRate)
	if s.sentences <= 1 && s.words < structureOneLineWords {
		dm.Structure = math.Min(dm.Structure, structureOneLine)
	}

	// Specificity: numbers, named tools, examples.
	dm.Specificity = specificityLadder[min(s.specifics, len(specificityLadder)-1)]

	// Communication: concise, confident, readable.
	dm.Communication = communicationBase
	if s.words < communicationMinWords {
		dm.Communication = communicationTerse
	}
	dm.Communication -= math.Min(communicationFillerMax, fillerRate*communicationFillerRate)
	dm.Communication -= math.Min(communicationHedgeMax, communicationHedgeRate*math.Max(0, float64(s.hedges-1)))
	switch {
	case s.avgSentence > communicationVeryLong:
		dm.Communication -= communicationVeryLongPenalty
	case s.avgSentence > communicationLong:
		dm.Communication -= communicationLongPenalty
	}
	if s.words > communicationRepeatWords && s.repetition > communicationRepeatShare {
		dm.Communication -= communicationRepeatPenalty
	}
	if s.words >= communicationConciseMin && s.words <= communicationConciseMax && fillerRate < 1 {
		dm.Communication += communicationConciseBonus
	}

	if isBuzzwordPile(s) {
		dm.Structure = math.Min(dm.Structure, pileStructure)
		dm.Communication = math.Min(dm.Communication, pileCommunication)
	}
	return clampDims(dm)
}

// thorough reports an answer that covers the rubric at length with
// reasons and specifics throughout: an expert who weighs choices without
// the word "tradeoff".
func thorough(s signals) bool {
	return s.coverage >= thoroughCoverage && s.words >= thoroughWords && s.reasoning >= thoroughReasons && s.specifics >= thoroughSpecifics
}

// detailed reports an expert answer at length: most of the rubric,
// explained, with many specifics and numbers, and nothing wrong
// (detailedFloor).
func detailed(s signals, redFlags int) bool {
	return s.words >= detailedWords && s.coverage >= detailedCoverage && s.fullHits >= detailedExplained &&
		s.specifics >= detailedSpecifics && s.concrete >= detailedConcrete &&
		redFlags == 0 && s.stated == 0 && s.denied == 0 && s.onTopic
}

// digressed reports an answer that spends digressedShare of its words or
// more, in digressionsMin sentences or more, on something other than the
// question: the nostalgia, the migration story, the coffee machine.
// Behavioural answers are stories by design and are not asked.
func digressed(q *Question, d *doc, kinds []wordKind) bool {
	n, words := 0, 0
	for _, st := range d.sentences {
		content, topic := 0, 0
		for k := st.first; k < st.end; k++ {
			if kinds[k]&kindStop != 0 || len(d.tokens[k].raw) <= 2 {
				continue
			}
			content++
			if q.topicIDs.has(d.tokens[k].id) {
				topic++
			}
		}
		if content >= digressionContent && float64(topic) < digressionTopic*float64(content) {
			n++
			words += st.end - st.first
		}
	}
	return n >= digressionsMin && float64(words) >= digressedShare*float64(len(d.tokens))
}

// points writes a score as the feedback states it: 1.5, 3.
func points(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// injectionWhy explains capInjection.
var injectionWhy = "Text addressed to the grader was removed; an answer that tries to instruct the grader scores at most " + points(capInjection) + "."

// dilutedWhy explains capDiluted.
const dilutedWhy = "Most of the answer is a story around the point: lead with what you would do and why."

// complete reports an answer that makes nearly every key point, most of
// them explained, or every one in some form with a few explained, and
// gets none wrong: however short, it is a good answer, whatever its
// tradeoffs and structure (completeFloor).
func complete(s signals, redFlags int) bool {
	covers := s.coverage >= completeCoverage && s.fullHits >= completeExplained && s.confirmed >= completeCoverage
	touchesAll := s.missed == 0 && s.fullHits >= touchedExplained
	return (covers || touchesAll) && redFlags == 0 && s.stated == 0 && s.denied == 0 && s.onTopic
}

// plainSpoken reports a long answer that says most of the rubric in its
// own words, none of it in the rubric's: not held as unconfirmed or as a
// confident answer that makes no key point.
func plainSpoken(s signals) bool {
	return s.words >= sweepingWords && s.partials >= paraphrasedPoints && (s.missed <= plainMisses || s.partials >= s.missed+plainLead)
}

// plainWords reports an expert in plain words: a long answer that says
// several key points in its own words, misses few, explains itself and
// gets nothing wrong (plainFloor).
func plainWords(s signals, redFlags int) bool {
	return s.words >= sweepingWords && s.partials >= paraphrasedPoints && s.missed <= plainFloorMisses &&
		s.reasoning >= plainReasons && redFlags == 0 && s.stated == 0 && s.denied == 0 && s.onTopic
}

// isSalad spots fluent sentences that name the right things and explain
// none of them: most key points only named, in an answer of lists or of
// praise; lists of names dressed in praise; or much praise and at most one
// explaining sentence. Two signals each, so one list in a good answer is
// no salad.
func isSalad(s signals) bool {
	listy := 2*s.lists >= s.sentences
	if s.named >= saladNames && s.namedWeight >= s.explainedWeight && (s.fullHits < saladExplained || s.reasoning == 0 && s.strongTradeoff == 0) && (listy || s.buzz > 0) {
		return true
	}
	if s.sentences >= saladSentences && listy && s.buzz > 0 && s.reasoning <= 1 && s.concrete == 0 {
		return true // lists in most sentences, praise, and not one number or example
	}
	return s.buzz >= saladBuzz && listy || s.buzz >= saladBuzzAlone && s.reasoning <= 1
}

// isBuzzwordPile spots a list of terms with no sentences around them.
func isBuzzwordPile(s signals) bool {
	return s.words >= structureMinWords && s.reasoning == 0 && s.stopShare < pileStopShare
}

// overall combines the dimensions and applies the calibration caps. It
// returns the score, why it was capped, and the lowest cap that applies.
func overall(dm Dimensions, s signals, redFlags int, injected bool) (float64, []string, float64) {
	// A relevant one-liner that is right lands at 4, a complete answer with
	// tradeoffs and specifics near 9: the scale interviewers use.
	o := overallFloor + overallScale*weighted(dm)
	if complete(s, redFlags) {
		floor := completeFloor
		if s.coverage >= wholeCoverage && s.fullHits >= wholeExplained {
			floor = wholeFloor
		}
		o = math.Max(o, floor)
	}
	if plainWords(s, redFlags) {
		o = math.Max(o, plainFloor)
	}
	if detailed(s, redFlags) {
		o = math.Max(o, detailedFloor)
	}
	var caps []string
	ceiling := 10.0
	limit := func(c float64, why string) {
		ceiling = math.Min(ceiling, c)
		if o > c {
			o = c
			caps = append(caps, why)
		}
	}
	hasTradeoff := s.strongTradeoff > 0 || s.tradeoffPhrases > 0
	// Naming a tool or an API is not yet an example: a number or a worked
	// example is what makes an answer concrete.
	hasSpecifics := s.concrete > 0 || s.tools >= 2 || s.code > 0
	if !s.onTopic {
		limit(capOffTopic, "The answer does not address this question.")
	}
	if injected {
		limit(capInjection, injectionWhy)
	}
	if redFlags > 0 {
		limit(capRedFlag, "The answer rests on a misconception (see red flags).")
		// Only a thorough answer with a single slip keeps the higher cap.
		if redFlags > 1 || s.coverage < redFlagThorough {
			limit(capSweeping, "The answer rests on misconceptions and makes few of the key points.")
		}
	}
	// Sweeping words with little of the rubric: a confident wrong answer.
	// An answer that makes several points in its own words needs more
	// than one sweeping word to be called that.
	// Nor is one that weighs costs and explains itself: confident wrong
	// answers name no tradeoff.
	weighs := s.strongTradeoff >= weighedTradeoffs && s.reasoning >= weighedReasons
	sweeping := s.absolutes >= sweepingAbsolutes && (s.partials < paraphrasedPoints || s.absolutes >= 2) && !weighs &&
		(s.words >= sweepingShortWords || s.absolutes >= 2)
	if redFlags == 0 && sweeping && s.fullHits <= 1 && s.coverage < sweepingCoverage && s.words >= oneLinerWords && s.words < sweepingWords {
		limit(capSweeping, "Sweeping claims (always, never, no need) with little of what the question needs.")
	}
	if s.stated > 0 {
		limit(capContradiction, "The answer says the opposite of a key point (see contradictions).")
		// As with a misconception, only a thorough answer with a single
		// slip keeps the higher cap.
		if s.coverage < redFlagThorough && s.words >= briefWords {
			limit(capSweeping, "The answer says the opposite of a key point and makes few of the others.")
		}
	}
	// An answer built on denials, one of them against a key point: the
	// model answer turned around, sentence by sentence.
	if sweep := s.negations + s.absolutes; sweep >= denialsMin && s.per100(sweep) >= denialsPer100 && s.denied+s.stated > 0 {
		limit(capDenials, "The answer is built on denials and contradicts a key point: compare each claim with the model answer.")
	}
	switch {
	case s.denied >= 2 && s.denied+s.stated >= s.fullHits:
		limit(capReversed, "The answer denies most of what the question needs.")
	case s.denied >= 2:
		limit(capDeniesSeveral, "The answer denies several key points (see contradictions).")
	case s.denied == 1 && (s.deniedCore || s.absolutes > 0 || redFlags > 0 || s.stated > 0):
		limit(capContradiction, "The answer denies a key point (see contradictions).")
	}
	plainExpert := plainSpoken(s)
	if s.confirmed == 0 && s.partials > 0 && !plainExpert {
		limit(capUnconfirmed, "The rubric could not confirm any key point, only ideas near them: compare your answer with the model answer.")
	}
	// A long, unhedged answer that confirms none of the key points, or one
	// of them beside a contradiction: a confident wrong answer.
	if s.words >= confidentWords && s.hedges <= confidentHedges {
		switch {
		case s.fullHits == 0 && !plainExpert:
			limit(capConfident, "A long, confident answer that makes none of the key points: compare each claim with the model answer.")
		case s.fullHits <= 1 && s.denied+s.stated > 0:
			limit(capConfident, "A long, confident answer that contradicts the key points and makes at most one: compare each claim with the model answer.")
		}
	}
	if s.waivedBeside > 0 && s.words < waiverWords {
		limit(capSweeping, "A misconception or contradiction, and a risk waved away elsewhere: compare each claim with the model answer.")
	}
	if s.waivers > 0 && s.words < waiverWords {
		limit(capWaiver, "A claim that waves a risk or a step away, or sells itself as what others miss, which the rubric could not check: compare it with the model answer.")
	}
	if isSalad(s) {
		limit(capSalad, "The answer names the right things but explains none of them: say what each does and why.")
	}
	if s.buzz > 0 && s.reasoning <= praisedReasons && s.concrete <= praisedConcrete {
		limit(capPraised, "Praise of the design with at most one reason and one example: say what each part does and why.")
	}
	if s.sentences <= 1 && s.words < oneSentenceWords {
		limit(capOneSentence, "A one-sentence answer: add why it works and what it costs.")
	}
	if s.words < briefWords {
		limit(capBrief, "A brief answer: a few sentences leave no room for why it works, what it costs and an example.")
	}
	if s.words < oneLinerWords {
		limit(capOneLiner, "A one-line answer: add why it works and what it costs.")
	}
	if s.fullHits == 0 && s.coverage < missesAllCoverage && s.words >= missesAllWords {
		c := capMissesAll
		if s.coverage < missesNearlyAll {
			c = capSweeping
		}
		limit(c, "The answer makes none of the key points of this question.")
	}
	if isBuzzwordPile(s) {
		limit(capBuzzwords, "Terms without reasoning: say why, not just what.")
	}
	if s.filler >= ramblingFiller && s.per100(s.filler) >= ramblingPer100 {
		limit(capRambling, "The content is buried in filler: answer in three beats.")
	}
	if s.filler >= talkyFiller && s.hedges >= talkyHedges && s.per100(s.filler+s.hedges) >= talkyPer100 {
		limit(capTalky, "The content is talked around, with asides and hedges: say what you would do, then why.")
	}
	if s.filler >= storyFiller && s.stories >= storyOpeners && s.per100(s.filler+s.stories) >= storyPer100 {
		limit(capTalky, "The content is told around a story, with asides: say what you would do, then why.")
	}
	if s.digressed {
		limit(capDigressed, "A third of the answer or more is about something else: cut the asides and say what you would do and why.")
	}
	if s.diluted {
		limit(capDiluted, dilutedWhy)
	}
	if s.buried {
		limit(capBuried, "The key points are buried in a story about something else: lead with them.")
	}
	if s.concrete < excellentConcrete && s.specifics < excellentSpecifics {
		limit(capFewSpecifics, "Few numbers, examples or named mechanisms: an excellent answer shows them.")
	}
	switch {
	case !hasTradeoff && !hasSpecifics:
		limit(capNoTradeoffNum, "No explicit tradeoff and no number or example.")
	case !hasTradeoff && !thorough(s) && !detailed(s, redFlags):
		limit(capOneMissing, "No explicit tradeoff.")
	case !hasSpecifics:
		limit(capOneMissing, "No number or concrete example.")
	}
	return round1(clamp(o)), caps, ceiling
}

func anyFound(d *doc, ps []phrase) bool {
	for _, p := range ps {
		if d.find(p) >= 0 {
			return true
		}
	}
	return false
}

func clamp(v float64) float64 { return math.Max(0, math.Min(10, v)) }

func round1(v float64) float64 { return math.Round(v*10) / 10 }

func clampDims(d Dimensions) Dimensions { return mapDims(d, clamp) }

func roundDims(d Dimensions) Dimensions { return mapDims(d, round1) }

func allMisses(q *Question) []Miss {
	out := make([]Miss, 0, len(q.KeyPoints))
	for _, kp := range q.KeyPoints {
		out = append(out, Miss{ID: kp.ID, Text: kp.Text, Weight: kp.Weight})
	}
	return out
}

// nextFollowUp picks what the interviewer asks next: the follow-up of the
// highest-weight key point not fully made, else the scale or failure probe,
// else nothing when the answer is complete. Follow-ups already asked are
// skipped.
func nextFollowUp(q *Question, r Result, asked []string) (prompt, target string) {
	if r.Status != StatusGraded {
		return "", ""
	}
	wasAsked := func(p string) bool {
		for _, a := range asked {
			if a == p {
				return true
			}
		}
		return false
	}
	type gap struct {
		id      string
		weight  int
		partial bool
		order   int
	}
	var gaps []gap
	for i, m := range r.Misses {
		gaps = append(gaps, gap{m.ID, m.Weight, false, i})
	}
	for i, h := range r.Hits {
		if h.Partial {
			gaps = append(gaps, gap{h.ID, h.Weight, true, len(r.Misses) + i})
		}
	}
	// Highest weight first; a full miss before a partial one; then rubric order.
	for i := 1; i < len(gaps); i++ {
		for j := i; j > 0; j-- {
			a, b := gaps[j-1], gaps[j]
			less := b.weight > a.weight || (b.weight == a.weight && !b.partial && a.partial) ||
				(b.weight == a.weight && b.partial == a.partial && b.order < a.order)
			if !less {
				break
			}
			gaps[j-1], gaps[j] = b, a
		}
	}
	for _, gp := range gaps {
		for _, f := range q.FollowUps {
			if f.IfMissing == gp.id && !wasAsked(f.Prompt) {
				return f.Prompt, gp.id
			}
		}
	}
	if len(r.Misses) == 0 && len(r.RedFlags) == 0 && r.Overall >= completeAt {
		return "", ""
	}
	for _, f := range q.FollowUps {
		if f.IfMissing == "" && !wasAsked(f.Prompt) {
			return f.Prompt, ""
		}
	}
	return "", ""
}

// NextFollowUp is the follow-up to ask after a graded answer, skipping
// the prompts already asked in this question's conversation.
func NextFollowUp(q *Question, r Result, asked []string) (prompt, target string) {
	return nextFollowUp(q, r, asked)
}

// ErrUnknownQuestion is returned for a question id not in the bank.
var ErrUnknownQuestion = errors.New("unknown question")
