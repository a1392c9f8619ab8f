package grader

import (
	"slices"
	"strings"
)

// The grader's words are interned: every stem a phrase or the lexicon can
// match gets a small integer id, and an answer's words are looked up once
// each. Matching then compares integers and indexes arrays instead of
// hashing strings, which is most of what grading an answer costs.

// wordKind is a bit set of what a word is to the grader.
type wordKind uint8

const (
	kindKnown      wordKind = 1 << iota // a word the bank or the lexicon uses: not noise
	kindStop                            // carries no topic
	kindTool                            // names a technology
	kindNumber                          // a number word
	kindConnective                      // a word of the lexicon's connectives: because, tradeoff, e.g.
)

// vocab maps stems to ids, and ids to what the words are.
type vocab struct {
	ids   map[string]int32
	kinds []wordKind
	// words are the stems by id: one copy of each, which phrases share.
	words []string
}

func newVocab() *vocab { return &vocab{ids: map[string]int32{}} }

// intern returns the id of a stem, adding it if new.
func (v *vocab) intern(stem string) int32 {
	if id, ok := v.ids[stem]; ok {
		return id
	}
	id := int32(len(v.kinds))
	stem = strings.Clone(stem) // not a slice of the text it came from
	v.ids[stem] = id
	v.kinds = append(v.kinds, 0)
	v.words = append(v.words, stem)
	return id
}

// id returns the id of a stem, or -1 when no phrase can match it.
func (v *vocab) id(stem string) int32 {
	if id, ok := v.ids[stem]; ok {
		return id
	}
	return -1
}

// mark adds kinds to a stem, interning it.
func (v *vocab) mark(stem string, k wordKind) { v.kinds[v.intern(stem)] |= k }

// kind is what the word with id is (0 for unknown words).
func (v *vocab) kind(id int32) wordKind {
	if id < 0 {
		return 0
	}
	return v.kinds[id]
}

// size is the number of ids.
func (v *vocab) size() int { return len(v.kinds) }

// clone copies a vocabulary: a bank extends the lexicon's without
// touching it, so the lexicon's ids hold in every bank.
func (v *vocab) clone() *vocab {
	c := &vocab{ids: make(map[string]int32, len(v.ids)*2), kinds: append([]wordKind(nil), v.kinds...), words: append([]string(nil), v.words...)}
	for s, id := range v.ids {
		c.ids[s] = id
	}
	return c
}

// lexVocab holds the lexicon's stems: the general word lists, the JD
// analysis' names, and every phrase compiled at package level.
var lexVocab = newVocab()

func init() {
	for w := range stopwords {
		lexVocab.mark(w, kindStop|kindKnown)
	}
	for w := range technologies {
		lexVocab.mark(w, kindTool|kindKnown)
	}
	for w := range numberWords {
		lexVocab.mark(w, kindNumber|kindKnown)
	}
	for _, ps := range [][]phrase{reasoningPhrases, strongTradeoffPhrases, weakTradeoffPhrases, examplePhrases, fillerPhrases, hedgePhrases, orderPhrases} {
		for _, p := range ps {
			for _, w := range p.words {
				if !stopwords[lexVocab.words[w.id]] {
					lexVocab.kinds[w.id] |= kindConnective
				}
			}
		}
	}
	for i := range lexVocab.kinds {
		lexVocab.kinds[i] |= kindKnown
	}
	lexRoot = buildRoot(lexTrie)
}

// idSet is a small set of word ids: a key point's signature holds a few
// dozen of the bank's ten thousand words. The ids are sorted; a 256-bit
// filter of them answers most lookups of words not in the set.
type idSet struct {
	ids    []int32
	filter [4]uint64
}

// add adds id; call seal when done adding.
func (s *idSet) add(id int32) {
	s.ids = append(s.ids, id)
	s.filter[id>>6&3] |= 1 << (uint(id) & 63)
}

// seal sorts the set and drops duplicates.
func (s *idSet) seal() {
	slices.Sort(s.ids)
	s.ids = slices.Clone(slices.Compact(s.ids)) // exact size: banks keep thousands
}

func (s *idSet) has(id int32) bool {
	if id < 0 || s.filter[id>>6&3]&(1<<(uint(id)&63)) == 0 {
		return false
	}
	_, ok := slices.BinarySearch(s.ids, id)
	return ok
}

// bitset is a set of word ids.
type bitset []uint64

func (b *bitset) add(id int32) {
	for int(id)/64 >= len(*b) {
		*b = append(*b, 0)
	}
	(*b)[id/64] |= 1 << (uint(id) % 64)
}

func (b bitset) has(id int32) bool {
	return id >= 0 && int(id)/64 < len(b) && b[id/64]&(1<<(uint(id)%64)) != 0
}
