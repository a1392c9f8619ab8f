package interview

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word of an answer: its lower-case form, its stem, and the
// sentence it belongs to.
type token struct {
	raw      string
	stem     string
	sentence int
	// start is the byte offset of the word in the original text.
	start int
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
	// byStem indexes token positions by stem, so a phrase is looked up
	// where its first word occurs instead of scanning the whole answer.
	byStem map[string][]int
}

// abbreviations end in a period that does not end a sentence.
var abbreviations = map[string]bool{"e.g": true, "i.e": true, "vs": true, "etc": true, "eg": true, "ie": true, "approx": true, "cf": true}

// parse splits text into sentences and words. A sentence ends at . ! or ?
// followed by space (not inside a number or after an abbreviation), or at a
// line break.
func parse(text string) *doc {
	d := &doc{text: text, byStem: make(map[string][]int, 64)}
	sentStart := 0
	var word strings.Builder
	wordStart := -1
	flushWord := func(end int) {
		if word.Len() == 0 {
			return
		}
		raw := word.String()
		word.Reset()
		raw = strings.Trim(raw, "'")
		if raw == "" {
			return
		}
		t := token{raw: raw, stem: stem(raw), sentence: len(d.sentences), start: wordStart}
		d.byStem[t.stem] = append(d.byStem[t.stem], len(d.tokens))
		d.tokens = append(d.tokens, t)
		wordStart = -1
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
	for i, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if wordStart < 0 {
				wordStart = i
			}
			word.WriteRune(unicode.ToLower(r))
		case (r == '\'' || r == '’') && word.Len() > 0:
			word.WriteByte('\'')
		case r == '.' || r == '!' || r == '?':
			prev := word.String()
			next, _ := utf8.DecodeRuneInString(text[min(i+1, len(text)):])
			inNumber := r == '.' && prev != "" && isDigits(lastRun(prev)) && unicode.IsDigit(next)
			if inNumber {
				word.WriteByte('.')
				continue
			}
			if r == '.' && (abbreviations[prev] || abbreviations[lastWordBefore(text, i)]) {
				flushWord(i)
				continue
			}
			flushWord(i)
			if i+1 >= len(text) || unicode.IsSpace(next) || next == '"' || next == ')' {
				flushSentence(i + 1)
			}
		case r == '\n':
			flushWord(i)
			flushSentence(i)
		default:
			flushWord(i)
		}
	}
	flushWord(len(text))
	flushSentence(len(text))
	return d
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
	w = strings.TrimSuffix(w, "'s")
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		w = w[:n-3] + "y"
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
// * matches any word that starts with it.
type phrase struct {
	text  string
	words []phraseWord
}

type phraseWord struct {
	stem   string
	prefix bool
}

// compilePhrase tokenises a phrasing the way parse tokenises answers.
func compilePhrase(p string) phrase {
	out := phrase{text: p}
	for _, f := range strings.FieldsFunc(strings.ToLower(p), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '*' || r == '\'' || r == '’')
	}) {
		f = strings.ReplaceAll(f, "’", "'")
		f = strings.Trim(f, "'")
		if f == "" {
			continue
		}
		if strings.HasSuffix(f, "*") {
			out.words = append(out.words, phraseWord{stem: strings.TrimRight(f, "*"), prefix: true})
			continue
		}
		out.words = append(out.words, phraseWord{stem: stem(f)})
	}
	return out
}

// find returns the index of the first token where the phrase starts, or -1.
func (d *doc) find(p phrase) int {
	if len(p.words) == 0 {
		return -1
	}
	first := p.words[0]
	if !first.prefix {
		for _, i := range d.byStem[first.stem] {
			if d.matchAt(p, i) {
				return i
			}
		}
		return -1
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
	if first := p.words[0]; !first.prefix {
		for _, i := range d.byStem[first.stem] {
			if d.matchAt(p, i) {
				fn(i)
			}
		}
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
		t := d.tokens[i+k]
		if t.sentence != s {
			return false
		}
		if w.prefix {
			if !strings.HasPrefix(t.raw, w.stem) {
				return false
			}
		} else if t.stem != w.stem {
			return false
		}
	}
	return true
}
