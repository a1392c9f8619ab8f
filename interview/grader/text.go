package grader

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// token is one word of an answer: its lower-case form, its stem, and the
// sentence it belongs to.
type token struct {
	raw  string
	stem string
	// id is the stem's id in the vocabulary the doc was resolved with, -1
	// for a word no phrase can match.
	id       int32
	sentence int
	// clause counts commas, semicolons and colons: a negation refutes a
	// claim only inside its own clause.
	clause int
	// start is the byte offset of the word in the original text.
	start int
	// quoted marks a word that opens a quotation: "cache 'not found'
	// results" names a result, it denies nothing.
	quoted bool
	// class is what the word does in a claim, looked up once.
	class wordClass
}

// is reports whether the token belongs to any of the classes c.
func (t token) is(c wordClass) bool { return t.class&c != 0 }

// negation reports a negation trigger outside a quotation.
func (t token) negation() bool { return t.is(classNegation) && !t.quoted }

// quoteOpens reports a quotation mark opening the word at start: ' or "
// at it or just before it, or a curly ‘ or “ just before it.
func quoteOpens(text string, start int) bool {
	if start < len(text) && (text[start] == '\'' || text[start] == '"') {
		return true
	}
	if start == 0 {
		return false
	}
	if b := text[start-1]; b == '\'' || b == '"' {
		return true
	}
	return strings.HasSuffix(text[:start], "‘") || strings.HasSuffix(text[:start], "“")
}

// sentence is a span of the original text.
type sentence struct {
	text       string
	first, end int // token range [first, end)
}

// doc is an answer split into sentences and words, ready for matching.
type doc struct {
	text      string
	tokens    []token
	sentences []sentence
	// head and next chain the tokens of each word id in order, so a phrase
	// is looked up where its first word occurs instead of scanning the
	// whole answer. head is valid for an id where stamp equals gen, so a
	// recycled doc needs no clearing.
	head  []int32
	stamp []uint32
	gen   uint32
	next  []int32
	vocab *vocab
	// reportedAt are where reported-speech phrases start, found once per
	// answer when first asked (reportedFound).
	reportedAt    []int32
	reportedFound bool
	// subjects (each sentence's first content word, or -1) and pronouns
	// (the pronouns that open a claim) are found once per answer when
	// first asked (anaphorsFound).
	subjects, pronouns []int32
	anaphorsFound      bool
	// floats is scratch space for per-question sums (scratchFloats).
	floats []float64
}

// scratchFloats returns n zeroed floats that live until the doc is
// released.
func (d *doc) scratchFloats(n int) []float64 {
	if cap(d.floats) < n {
		d.floats = make([]float64, n)
	}
	d.floats = d.floats[:n]
	clear(d.floats)
	return d.floats
}

// resolve looks every word up in v once and builds the chains.
func (d *doc) resolve(v *vocab) {
	d.vocab = v
	d.reportedFound = false
	d.anaphorsFound = false
	n := v.size()
	if len(d.head) < n {
		d.head = make([]int32, n+n/4)
		d.stamp = make([]uint32, n+n/4)
		d.gen = 0
	}
	d.gen++
	if d.gen == 0 { // wrapped: old stamps could look current
		clear(d.stamp)
		d.gen = 1
	}
	if cap(d.next) < len(d.tokens) {
		d.next = make([]int32, len(d.tokens))
	}
	d.next = d.next[:len(d.tokens)]
	for i := range d.tokens {
		d.tokens[i].id = v.id(d.tokens[i].stem)
	}
	for i := len(d.tokens) - 1; i >= 0; i-- {
		id := d.tokens[i].id
		if id < 0 {
			d.next[i] = -1
			continue
		}
		if d.stamp[id] == d.gen {
			d.next[i] = d.head[id]
		} else {
			d.next[i] = -1
			d.stamp[id] = d.gen
		}
		d.head[id] = int32(i)
	}
}

// abbreviations end in a period that does not end a sentence.
var abbreviations = map[string]bool{"e.g": true, "i.e": true, "vs": true, "etc": true, "eg": true, "ie": true, "approx": true, "cf": true}

// firstOf is the first token with the word id, or -1.
func (d *doc) firstOf(id int32) int32 {
	if id < 0 || int(id) >= len(d.stamp) || d.stamp[id] != d.gen {
		return -1
	}
	return d.head[id]
}

// positions calls fn with each token position of a word id, in order,
// until fn returns false.
func (d *doc) positions(id int32, fn func(i int) bool) {
	for i := d.firstOf(id); i >= 0; i = d.next[i] {
		if !fn(int(i)) {
			return
		}
	}
}

// parse splits text into sentences and words. A sentence ends at . ! or ?
// followed by space (not inside a number or after an abbreviation), or at a
// line break unless the next line goes on in lower case (softWrap). It is on the grader's hot path, so words are sliced from the
// text without copying whenever they are already lower-case ASCII.
func parse(text string) *doc {
	d := tokenize(text)
	d.resolve(lexVocab)
	return d
}

// tokenize splits text without resolving its words against a vocabulary.
func tokenize(text string) *doc {
	d := &doc{}
	d.parse(text)
	return d
}

// docPool recycles the buffers of parsed answers: grading is on the hot
// path of every submit, and the token slice and stem map are its biggest
// allocations.
var docPool = sync.Pool{New: func() any { return &doc{} }}

// parsePooled parses into a recycled doc resolved against v; release it
// with d.release().
func parsePooled(text string, v *vocab) *doc {
	d := docPool.Get().(*doc)
	d.parse(text)
	d.resolve(v)
	return d
}

// release returns a doc to the pool. Nothing may keep it afterwards; the
// strings it handed out are slices of the answer, not of its buffers.
func (d *doc) release() {
	if cap(d.tokens) > 1<<14 {
		return // keep the pool from holding on to a huge answer's buffers
	}
	docPool.Put(d)
}

func (d *doc) parse(text string) {
	d.text = text
	d.tokens = d.tokens[:0]
	d.sentences = d.sentences[:0]
	sentStart := 0
	clause := 0
	wordStart := -1 // byte offset of the word being read, or -1
	lowerASCII := true
	apostrophe := false
	flushWord := func(end int) {
		if wordStart < 0 {
			return
		}
		raw := text[wordStart:end]
		if !lowerASCII || apostrophe {
			raw = normaliseWord(raw)
		}
		raw = trimApostrophes(raw)
		if raw != "" {
			st := stem(raw)
			class := classOf(raw, st)
			if hyphenJoined(text, end) {
				// "no-floating-promises", "no-op": a name made with the
				// word, which denies nothing.
				class &^= classNegation
			}
			d.tokens = append(d.tokens, token{raw: raw, stem: st, sentence: len(d.sentences), clause: clause, start: wordStart, quoted: quoteOpens(text, wordStart), class: class})
		}
		wordStart, lowerASCII, apostrophe = -1, true, false
	}
	flushSentence := func(end int) {
		first := 0
		if n := len(d.sentences); n > 0 {
			first = d.sentences[n-1].end
		}
		if len(d.tokens) == first {
			sentStart = end
			return
		}
		d.sentences = append(d.sentences, sentence{
			text:  strings.TrimSpace(text[sentStart:end]),
			first: first,
			end:   len(d.tokens),
		})
		sentStart = end
	}
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			if wordStart < 0 {
				wordStart = i
			}
		case r < utf8.RuneSelf && r >= 'A' && r <= 'Z':
			if wordStart < 0 {
				wordStart = i
			}
			lowerASCII = false
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if wordStart < 0 {
				wordStart = i
			}
			lowerASCII = false
		case (r == '\'' || r == '’') && wordStart >= 0:
			apostrophe = apostrophe || r == '’'
		case r == '.' || r == '!' || r == '?':
			next, _ := utf8.DecodeRuneInString(text[min(i+1, len(text)):])
			if r == '.' && wordStart >= 0 && isDigits(lastRun(text[wordStart:i])) && unicode.IsDigit(next) {
				break // a decimal point: the word goes on
			}
			abbrev := false
			if r == '.' {
				w := lastWordBefore(text, i)
				abbrev = abbreviations[strings.ToLower(w)]
			}
			flushWord(i)
			if !abbrev && (i+size >= len(text) || unicode.IsSpace(next) || next == '"' || next == ')') {
				flushSentence(i + size)
			}
		case r == '\n':
			flushWord(i)
			if !softWrap(text[i+1:]) {
				flushSentence(i)
			}
		case r == ',' || r == ';' || r == ':' || r == '—' || r == '–':
			flushWord(i)
			clause++
		default:
			flushWord(i)
		}
		i += size
	}
	flushWord(len(text))
	flushSentence(len(text))
}

// hyphenJoined reports a hyphen at end with a letter right after it: the
// word before it is part of a compound.
func hyphenJoined(text string, end int) bool {
	return end+1 < len(text) && text[end] == '-' && (text[end+1] >= 'a' && text[end+1] <= 'z' || text[end+1] >= 'A' && text[end+1] <= 'Z')
}

// softWrap reports a line break inside a sentence, before the rest of the
// text: the next line goes on in lower case ("…the index\nis rebuilt"), as
// in hard-wrapped prose. A blank line, a list item or a capital opens a
// new sentence.
func softWrap(rest string) bool {
	rest = strings.TrimLeft(rest, " \t")
	return rest != "" && rest[0] >= 'a' && rest[0] <= 'z'
}

// normaliseWord lower-cases a word and writes curly apostrophes straight.
func normaliseWord(w string) string {
	return strings.Map(func(r rune) rune {
		if r == '’' {
			return '\''
		}
		return unicode.ToLower(r)
	}, w)
}

// trimApostrophes drops quotes around a word ('cache' → cache).
func trimApostrophes(w string) string {
	for len(w) > 0 && w[0] == '\'' {
		w = w[1:]
	}
	for len(w) > 0 && w[len(w)-1] == '\'' {
		w = w[:len(w)-1]
	}
	return w
}

// lastWordBefore returns the lower-case letters (and inner periods) just
// before position i, to spot abbreviations such as "e.g.".
func lastWordBefore(text string, i int) string {
	j := i
	for j > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:j])
		if !(unicode.IsLetter(r) || r == '.') {
			break
		}
		j -= size
	}
	return strings.ToLower(text[j:i])
}

func lastRun(s string) string {
	i := strings.LastIndexByte(s, '.')
	return s[i+1:]
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// stem reduces a lower-case word to a crude stem, so that plurals and
// -ing/-ed forms match: cache, caches, cached and caching all become
// "cach". It only needs to be consistent, not linguistically right: the
// same function stems the rubric's phrasings and the answer.
func stem(w string) string {
	switch w {
	case "are", "was", "were":
		// One copula: "JWTs are encrypted" and "the JWT is encrypted"
		// make the same claim.
		return "is"
	case "every":
		// One distributive quantifier: "every service samples on its
		// own" and "each service samples on its own" make one claim.
		return "each"
	case "ids", "ips", "vms", "prs", "dbs", "lbs":
		// Acronyms made plural are too short for the rule below: "track
		// event IDs" says "track the event ID".
		return w[:2]
	}
	w = strings.TrimSuffix(w, "'s")
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		w = w[:n-3] + "y"
	case n > 3 && strings.HasSuffix(w, "xes"):
		w = w[:n-2] // "fixes", "boxes": the e belongs to the ending
	case n > 3 && w[n-1] == 's' && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:n-1]
	}
	n = len(w)
	switch {
	case n > 5 && strings.HasSuffix(w, "ing"):
		w = undouble(w[:n-3])
	case n > 4 && strings.HasSuffix(w, "ed"):
		w = undouble(w[:n-2])
	}
	if n := len(w); n > 4 && w[n-1] == 'e' {
		w = w[:n-1]
	}
	return w
}

// undouble turns "runn" into "run" and "stopp" into "stop".
func undouble(w string) string {
	n := len(w)
	if n > 3 && w[n-1] == w[n-2] && !strings.ContainsRune("aeiouls", rune(w[n-1])) {
		return w[:n-1]
	}
	return w
}

// phrase is a compiled phrasing: words to find in a row. A word ending in
// * matches any word that starts with it. It keeps no text: a bank holds
// over sixty thousand phrasings, whose questions keep their text (lexicon
// phrases' is in lexiconTexts).
type phrase struct {
	words []phraseWord
}

// core appends to buf the phrasing's words without its function words,
// what a loose match looks for, and returns it. It is worked out at each
// match rather than kept: a bank holds sixty thousand phrasings.
func (p phrase) core(buf []phraseWord) []phraseWord {
	for _, w := range p.words {
		if !w.function {
			buf = append(buf, w)
		}
	}
	return buf
}

// phraseWord is one word of a phrasing, in 8 bytes: a bank holds a
// quarter of a million of them. Its stem is the vocabulary's
// (vocab.words[id]).
type phraseWord struct {
	// id is the stem's id in the vocabulary the phrase was compiled in; a
	// prefix word ("invalidat*") matches any word its stem starts.
	id     int32
	prefix bool
	// pronoun stands for the question's subject: "pool them" says "pool
	// virtual threads" when the question is about virtual threads.
	pronoun bool
	// function is a function word (functionWords), which a loose match
	// may skip; copula a form of "to be" (copulas).
	function, copula bool
}

// newPhraseWord makes the phrase word for a stem interned in v.
func newPhraseWord(v *vocab, stem string, prefix bool) phraseWord {
	return phraseWord{id: v.intern(stem), prefix: prefix, function: !prefix && functionWords[stem], copula: !prefix && copulas[stem]}
}

// matches reports whether token k is the phrase word w. A pronoun
// stands for the question's subject only in a sentence that opens with
// one ("They're best for number crunching, and you should pool them"):
// in "a hash index only serves equality because it hashes the key", "it"
// is the hash index.
func (d *doc) matches(w phraseWord, k int) bool {
	t := d.tokens[k]
	switch {
	case w.prefix:
		return int(w.id) < len(d.vocab.words) && strings.HasPrefix(t.raw, d.vocab.words[w.id])
	case w.pronoun:
		return subjectPronouns[t.raw] && subjectPronouns[d.tokens[d.sentences[t.sentence].first].raw]
	default:
		return t.id == w.id
	}
}

// scanned reports whether the phrase word is found by scanning tokens
// rather than by its stem's chain.
func (w phraseWord) scanned() bool { return w.prefix || w.pronoun }

// compilePhrase compiles a phrase of the lexicon.
func compilePhrase(p string) phrase { return compilePhraseIn(lexVocab, p) }

// compilePhraseIn tokenises a phrasing the way parse tokenises answers and
// interns its words in v.
func compilePhraseIn(v *vocab, p string) phrase {
	fields := strings.FieldsFunc(strings.ToLower(p), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '*' || r == '\'' || r == '’')
	})
	// Exact size: a bank holds a hundred thousand phrase words.
	out := phrase{words: make([]phraseWord, 0, len(fields))}
	for _, f := range fields {
		f = strings.ReplaceAll(f, "’", "'")
		f = strings.Trim(f, "'")
		if f == "" {
			continue
		}
		if strings.HasSuffix(f, "*") {
			out.words = append(out.words, newPhraseWord(v, strings.TrimRight(f, "*"), true))
			continue
		}
		out.words = append(out.words, newPhraseWord(v, stem(f), false))
	}
	return out
}

// find returns the index of the first token where the phrase starts, or -1.
func (d *doc) find(p phrase) int {
	if len(p.words) == 0 {
		return -1
	}
	if first := p.words[0]; !first.scanned() {
		if len(p.words) == 1 {
			// The chain holds exactly the tokens of this word.
			return int(d.firstOf(first.id))
		}
		found := -1
		d.positions(first.id, func(i int) bool {
			if d.matchAt(p, i) {
				found = i
				return false
			}
			return true
		})
		return found
	}
	for i := range d.tokens {
		if d.matchAt(p, i) {
			return i
		}
	}
	return -1
}

// findAll calls fn with every position where the phrase starts.
func (d *doc) findAll(p phrase, fn func(i int)) {
	if len(p.words) == 0 {
		return
	}
	if first := p.words[0]; !first.scanned() {
		d.positions(first.id, func(i int) bool {
			if d.matchAt(p, i) {
				fn(i)
			}
			return true
		})
		return
	}
	for i := range d.tokens {
		if d.matchAt(p, i) {
			fn(i)
		}
	}
}

func (d *doc) matchAt(p phrase, i int) bool {
	if i+len(p.words) > len(d.tokens) {
		return false
	}
	s := d.tokens[i].sentence
	for k, w := range p.words {
		if k == 0 && !w.scanned() {
			continue // positions come from the first word's stem chain
		}
		if d.tokens[i+k].sentence != s || !d.matches(w, i+k) {
			return false
		}
	}
	return true
}
