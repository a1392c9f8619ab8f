package grader

import (
	"fmt"
	"math"
	mathbits "math/bits"
	"slices"
	"sort"
	"strings"

	"github.com/mockround/mockround/seeds"
)

// Question is a bank question with its rubric compiled for grading.
type Question struct {
	seeds.Question
	keyPoints []compiledKeyPoint
	tradeoffs []phrase
	redFlags  []compiledRedFlag
	// topicIDs holds the words of everything written about the question,
	// to tell an answer on the topic from one about something else.
	topicIDs bitset
	// vocab is the bank's vocabulary, which the ids are of.
	vocab *vocab
	// promptIDs are the content words of the prompt: an answer repeating
	// them shows no knowledge by itself.
	promptIDs bitset
	// promptWords are the prompt's words in order, for the subject a
	// pronoun may stand for.
	promptWords []int32
	totalWeight int
	// contrasts are the things a comparison question sets side by side,
	// each the subject of a key point ("Authentication verifies…",
	// "Authorization decides…"): nil when fewer than two.
	contrasts []int32
}

type compiledKeyPoint struct {
	seeds.KeyPoint
	phrases []phrase
	// contradictions are the opposite claim as people say it.
	contradictions []phrase
	// signature holds the distinctive words of the point (from its text
	// and phrasings, minus the prompt's words), for partial credit when an
	// answer says the idea in words the rubric did not list.
	signature idSet
	hasSig    bool
	// A point can be made as a negation ("never calls out while holding a
	// lock") or a contrast ("the alternative is shared state"): an answer
	// that says it with a negation agrees with it. negativeSense marks a
	// whole point of contrast; negated the phrasings that the point's own
	// text puts under a negation.
	negativeSense bool
	negated       []bool
	// subject is the contrast the point is about (Question.contrasts), or
	// -1: said of another contrast, its words are a swap, not the point.
	subject int32
	// deniedWords are the words the point's first clause puts under a
	// negation ("safe" in "maps are not safe for concurrent use"): an
	// answer that denies them ("maps aren't safe for concurrent writes")
	// makes the point, whichever phrasing it uses.
	deniedWords []int32
	// restricted marks a point that limits when something holds ("return
	// to the OS only when fully empty"): an answer that says it doesn't
	// always hold ("doesn't always give memory back") agrees with it.
	restricted bool
}

// headDenialWords is how many content words after a negation in a key
// point's first clause are what it denies.
const headDenialWords = 2

// headDenial returns the content words a key point's first clause puts
// under a negation or a loss, or nil. The words may run past a comma:
// "you lose constraints, foreign keys…".
func headDenial(text *doc, v *vocab) []int32 {
	var out []int32
	for k, t := range text.tokens {
		if t.clause > 0 || t.sentence > 0 {
			break
		}
		if !t.negation() && !lossWords[t.raw] {
			continue
		}
		for _, w := range text.tokens[k+1:] {
			if w.sentence > 0 || len(out) == headDenialWords {
				break
			}
			if !w.is(classFunction | classCopula) {
				out = append(out, v.intern(w.stem))
			}
		}
		break
	}
	return out
}

// contrastTail returns the words a key point sets aside after a comma
// and "not" ("use temporary lockout or progressive delays, not permanent
// lockout"): an answer that denies them ("don't do hard lockouts") agrees
// with the point.
func contrastTail(text *doc, v *vocab) []int32 {
	var out []int32
	for k, t := range text.tokens {
		if k == 0 || t.raw != "not" || t.clause == text.tokens[k-1].clause {
			continue
		}
		for _, w := range text.tokens[k+1:] {
			if w.clause != t.clause || len(out) == contrastTailWords {
				break
			}
			if !w.is(classFunction | classCopula) {
				out = append(out, v.intern(w.stem))
			}
		}
		break
	}
	return out
}

// contrastTailWords is how many words of what a key point sets aside
// count: "not higher-level race conditions" sets aside races, not only
// "higher-level".
const contrastTailWords = 4

// negativePhrase reports whether an answer that denies phrasing i agrees
// with the key point.
func (kp compiledKeyPoint) negativePhrase(i int) bool {
	return kp.negativeSense || i < len(kp.negated) && kp.negated[i]
}

type compiledRedFlag struct {
	seeds.RedFlag
	phrases []phrase
	// anyOrder indexes the phrasings also stated in any word order
	// (statedAnyOrder).
	anyOrder []int32
	// copular indexes the phrasings stated as subject, copula, predicate
	// (statedCopular).
	copular []int32
	// remedy is the misconception's X when it says "X fixes Y"
	// (statedRemedy).
	remedy remedyClaim
}

// Bank is the question bank in memory, indexed for the planner.
type Bank struct {
	questions []*Question
	byID      map[string]*Question
	bySkill   map[string][]*Question
	// vocab interns every word the bank and the lexicon use: the ids
	// phrases match on, and what tells words from noise.
	vocab *vocab
	// idf is, per word id, how specific the word is to few questions'
	// topics: log(questions / questions whose topic has it).
	idf []float64
	// topicOf lists the questions (by index) whose topic has word id at
	// topicOf[topicAt[id]:topicAt[id+1]]: how an answer's fit to every
	// question is summed in one pass over its words. One flat array, as
	// the bank holds a hundred thousand of them.
	topicAt []int32
	topicOf []int32
}

// questionsWith returns the indexes of the questions whose topic has the
// word id.
func (b *Bank) questionsWith(id int32) []int32 {
	if id < 0 || int(id)+1 >= len(b.topicAt) {
		return nil
	}
	return b.topicOf[b.topicAt[id]:b.topicAt[id+1]]
}

// specificity is how much a word of an answer says about which question
// it answers: high for words few questions use, and for words no question
// uses (they are about something else).
func (b *Bank) specificity(id int32) float64 {
	if id < 0 || int(id) >= len(b.idf) {
		return b.idf0()
	}
	return b.idf[id]
}

// idf0 is the specificity of a word in no question's topic.
func (b *Bank) idf0() float64 { return b.idfOf(0) }

// idfOf is the smoothed inverse document frequency of a word in df of the
// bank's questions: at least 1, so a bank of one question still weighs
// its own words.
func (b *Bank) idfOf(df int) float64 {
	return math.Log(float64(len(b.questions)+1)/float64(df+1)) + 1
}

// computeIDF counts, for every word, the questions whose topic has it.
func (b *Bank) computeIDF() {
	df := make([]int, b.vocab.size())
	eachTopicWord := func(fn func(qi, id int)) {
		for qi, q := range b.questions {
			for w, bits := range q.topicIDs {
				for bits != 0 {
					j := mathbits.TrailingZeros64(bits)
					bits &= bits - 1
					if id := w*64 + j; id < len(df) {
						fn(qi, id)
					}
				}
			}
		}
	}
	eachTopicWord(func(_, id int) { df[id]++ })
	b.topicAt = make([]int32, len(df)+1)
	for id, c := range df {
		b.topicAt[id+1] = b.topicAt[id] + int32(c)
	}
	b.topicOf = make([]int32, b.topicAt[len(df)])
	fill := slices.Clone(b.topicAt[:len(df)])
	eachTopicWord(func(qi, id int) {
		b.topicOf[fill[id]] = int32(qi)
		fill[id]++
	})
	b.idf = make([]float64, len(df))
	for id, c := range df {
		b.idf[id] = b.idfOf(c)
	}
}

// NewBank compiles validated questions. It does not validate: seeds.Load
// does, before anything reaches here.
func NewBank(qs []seeds.Question) *Bank {
	b := &Bank{
		byID:    make(map[string]*Question, len(qs)),
		bySkill: map[string][]*Question{},
		vocab:   lexVocab.clone(),
	}
	for _, sq := range qs {
		q := compileQuestion(b.vocab, sq)
		b.questions = append(b.questions, q)
		b.byID[q.ID] = q
		b.bySkill[q.Skill] = append(b.bySkill[q.Skill], q)
	}
	sort.Slice(b.questions, func(i, j int) bool { return b.questions[i].ID < b.questions[j].ID })
	b.computeIDF()
	return b
}

// LoadBank loads, validates and compiles the embedded bank.
func LoadBank() (*Bank, error) {
	qs, err := seeds.Load(seeds.FS())
	if err != nil {
		return nil, err
	}
	return NewBank(qs), nil
}

// Question returns the question with the id.
func (b *Bank) Question(id string) (*Question, bool) {
	q, ok := b.byID[id]
	return q, ok
}

// Questions returns every question, sorted by id.
func (b *Bank) Questions() []*Question { return b.questions }

// BySkill returns the questions of a skill, sorted by id.
func (b *Bank) BySkill(skill string) []*Question { return b.bySkill[skill] }

// Skills returns every skill, sorted.
func (b *Bank) Skills() []string {
	out := make([]string, 0, len(b.bySkill))
	for s := range b.bySkill {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// Len is the number of questions.
func (b *Bank) Len() int { return len(b.questions) }

func compileQuestion(v *vocab, sq seeds.Question) *Question {
	q := &Question{Question: sq, vocab: v}
	isStop := func(stem string) bool { return stopwords[stem] }
	addTopic := func(s string) {
		for _, t := range tokenize(s).tokens {
			if !isStop(t.stem) {
				v.mark(t.stem, kindKnown)
				q.topicIDs.add(v.intern(t.stem))
			}
		}
	}
	prompt := map[string]bool{}
	for _, t := range tokenize(sq.Prompt).tokens {
		q.promptWords = append(q.promptWords, v.intern(t.stem))
		if !isStop(t.stem) {
			prompt[t.stem] = true
			q.promptIDs.add(v.intern(t.stem))
		}
	}
	addTopic(sq.Prompt)
	addTopic(sq.ModelAnswer)
	addTopic(sq.Explanation)
	addTopic(strings.Join(sq.Tradeoffs, " "))
	for _, kp := range sq.KeyPoints {
		ckp := compiledKeyPoint{KeyPoint: kp}
		addSig := func(stem string) {
			if !isStop(stem) && !prompt[stem] && len(stem) > 2 {
				ckp.signature.add(v.intern(stem))
				ckp.hasSig = true
			}
		}
		for _, p := range kp.Any {
			ph := compilePhraseIn(v, p)
			ckp.phrases = append(ckp.phrases, ph)
			for _, w := range ph.words {
				if !w.prefix {
					addSig(v.words[w.id])
				}
			}
		}
		further := false
		for _, t := range tokenize(kp.Text).tokens {
			addSig(t.stem)
			further = further || t.is(classTerminator)
			ckp.restricted = ckp.restricted || restrictions[t.raw]
			// A point that is itself a prevention, a contrast or, in its
			// first clause, a denial ("they don't speed up CPU-bound
			// work", "typing events are ephemeral, never persisted") is
			// agreed with by an answer that denies its terms; saying the
			// opposite is for its contradicted_by. A denial further on,
			// after a comma or a word such as "so" or "which" ("use
			// CONCURRENTLY, which doesn't block writes", "stock is
			// decremented atomically so it can't go below zero"), leaves
			// the point positive.
			if negativeSense[t.raw] || t.is(classNegation) && t.raw != "without" && t.raw != "no" && t.clause == 0 && !further {
				ckp.negativeSense = true
			}
		}
		// A phrasing the point's own text says under a negation ("never
		// calls out while holding one") is made by a negated answer.
		text := tokenize(kp.Text)
		text.resolve(v)
		// A point whose first clause is a negation or a loss ("maps are
		// not safe for concurrent use") is made by an answer that denies
		// the same words by any of its phrasings ("maps aren't safe for
		// concurrent writes").
		ckp.deniedWords = append(headDenial(text, v), contrastTail(text, v)...)
		for _, ph := range ckp.phrases {
			i := text.find(ph)
			ckp.negated = append(ckp.negated, i >= 0 && text.polarityAt(i, false) == denied)
		}
		// Plain words for the point's terms: WordNet synonyms of its
		// distinctive words, so "stash" or "mistake" reach "cache" or
		// "error".
		for _, t := range tokenize(kp.Text + " " + strings.Join(kp.Any, " ")).tokens {
			if isStop(t.stem) || prompt[t.stem] || len(t.stem) <= 2 {
				continue
			}
			for _, syn := range synonymGroups()[t.raw] {
				addSig(stem(syn))
			}
		}
		for _, p := range kp.ContradictedBy {
			ckp.contradictions = append(ckp.contradictions, q.withSubjectPronoun(compilePhraseIn(v, p))...)
		}
		addTopic(kp.Text)
		addTopic(strings.Join(kp.Any, " "))
		ckp.signature.seal()
		// Exact sizes: the bank keeps these for the life of the process.
		ckp.phrases, ckp.contradictions = slices.Clone(ckp.phrases), slices.Clone(ckp.contradictions)
		q.keyPoints = append(q.keyPoints, ckp)
		q.totalWeight += kp.Weight
	}
	q.findContrasts(v)
	for _, t := range sq.Tradeoffs {
		q.tradeoffs = append(q.tradeoffs, compilePhraseIn(v, t))
	}
	var right *doc // the question's right answers, when a red flag needs them
	for _, rf := range sq.RedFlags {
		crf := compiledRedFlag{RedFlag: rf}
		for _, p := range rf.Any {
			crf.phrases = append(crf.phrases, q.withSubjectPronoun(compilePhraseIn(v, p))...)
		}
		crf.phrases = slices.Clone(crf.phrases)
		crf.anyOrder = anyOrderPhrases(v, crf.phrases)
		for i, p := range crf.phrases {
			if p.copularSplit() >= 0 {
				crf.copular = append(crf.copular, int32(i))
			}
		}
		crf.remedy = remedyOf(v, q, crf, &right)
		q.redFlags = append(q.redFlags, crf)
	}
	if right != nil {
		right.release()
	}
	q.keyPoints, q.redFlags = slices.Clone(q.keyPoints), slices.Clone(q.redFlags)
	return q
}

// subjectRun is how many words a claim phrasing must share, in a row,
// with the question for a pronoun to stand for them: "virtual threads",
// not "key".
const subjectRun = 2

// withSubjectPronoun returns the claim phrasing and, when it names the
// question's subject (words the prompt says in the same order), the same
// claim with a pronoun in its place: an answer to "what are virtual
// threads…" says "you should pool them", not "pool virtual threads".
func (q *Question) withSubjectPronoun(p phrase) []phrase {
	out := []phrase{p}
	for i := range p.words {
		n := q.promptRun(p.words[i:])
		if n < subjectRun || i > 0 && i+n < len(p.words) {
			continue // the subject opens or closes the claim
		}
		// What the claim says of the subject must be the claim's own
		// words, not more of the question's.
		words := append(append(slices.Clone(p.words[:i]), phraseWord{id: -1, pronoun: true}), p.words[i+n:]...)
		if slices.ContainsFunc(words, func(w phraseWord) bool {
			return !w.pronoun && (w.prefix || !w.function && !q.promptIDs.has(w.id))
		}) {
			return append(out, phrase{words: words})
		}
	}
	return out
}

// promptRun is the length of the longest run of ws's first words that the
// prompt says in the same order, word for word.
func (q *Question) promptRun(ws []phraseWord) int {
	best := 0
	for start := range q.promptWords {
		n := 0
		for n < len(ws) && start+n < len(q.promptWords) && !ws[n].prefix && ws[n].id == q.promptWords[start+n] {
			n++
		}
		best = max(best, n)
	}
	return best
}

// String names the question in logs.
func (q *Question) String() string { return fmt.Sprintf("%s (%s)", q.ID, q.Area) }

// findContrasts sets the question's contrasts and each point's subject:
// one of the things the prompt compares ("authentication and
// authorization", "LRU vs LFU") that opens the point's text and is the
// only one the text names, when two or more points open with different
// ones.
func (q *Question) findContrasts(v *vocab) {
	// The prompt's compared things stand beside "vs", "versus", "and" or
	// "or": "LRU vs LFU", "authentication and authorization".
	var compared []int32
	prompt := tokenize(q.Prompt).tokens
	for k, t := range prompt {
		if !coordinators[t.raw] || k == 0 || k+1 >= len(prompt) {
			continue
		}
		next := k + 1
		if articles[prompt[next].raw] && next+1 < len(prompt) {
			next++
		}
		compared = append(compared, v.intern(prompt[k-1].stem), v.intern(prompt[next].stem))
	}
	for i := range q.keyPoints {
		q.keyPoints[i].subject = -1
		for _, t := range tokenize(q.keyPoints[i].Text).tokens {
			if stopwords[t.stem] || articles[t.raw] {
				continue
			}
			if id := v.intern(t.stem); slices.Contains(compared, id) {
				q.keyPoints[i].subject = id
			}
			break
		}
		if s := q.keyPoints[i].subject; s >= 0 && !slices.Contains(q.contrasts, s) {
			q.contrasts = append(q.contrasts, s)
		}
	}
	// A point about two of them ("threads cost a few MB; processes cost
	// tens of MB") is about neither alone.
	for i := range q.keyPoints {
		kp := &q.keyPoints[i]
		if kp.subject < 0 {
			continue
		}
		for _, t := range tokenize(kp.Text).tokens {
			if id := v.intern(t.stem); id != kp.subject && slices.Contains(compared, id) {
				kp.subject = -1
				break
			}
		}
	}
	if len(q.contrasts) < 2 {
		q.contrasts = nil
		for i := range q.keyPoints {
			q.keyPoints[i].subject = -1
		}
	}
}
