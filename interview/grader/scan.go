package grader

// The general lexicon (reasoning, tradeoff, example, filler… phrases) is
// matched in one pass over the answer through a trie of stems, instead of
// one lookup per phrase: every submit grades an answer, so this is the
// grader's hot path.

// lexCategory is a word list of the lexicon.
type lexCategory uint8

const (
	lexReasoning lexCategory = iota
	lexStrongTradeoff
	lexWeakTradeoff
	lexExample
	lexFiller
	lexHedge
	lexAbsolute
	lexOrder
	lexDontKnow
	lexBuzz
	lexDontKnowAlone // only counts when it is (almost) the whole answer: "pass", "skip"
	lexGuess         // a guess said as one: "I'd just guess", "my guess is"
	lexWaiver        // a risk or a step waved away: "there's no need to", "it's completely safe"
	lexPitch         // a claim sold as a correction or a bonus: "what people miss is", "the nice thing is"
	numLex
)

type trieNode struct {
	next map[int32]*trieNode
	ends []lexCategory
}

// lexRoot indexes the trie's first level by word id: one array read per
// word of the answer (built in init, once the lexicon is interned).
var lexRoot []*trieNode

func buildRoot(t *trieNode) []*trieNode {
	root := make([]*trieNode, lexVocab.size())
	for id, n := range t.next {
		root[id] = n
	}
	return root
}

var lexTrie = buildTrie(map[lexCategory][]phrase{
	lexReasoning:      reasoningPhrases,
	lexStrongTradeoff: strongTradeoffPhrases,
	lexWeakTradeoff:   weakTradeoffPhrases,
	lexExample:        examplePhrases,
	lexFiller:         fillerPhrases,
	lexHedge:          hedgePhrases,
	lexAbsolute:       absolutePhrases,
	lexOrder:          orderPhrases,
	lexDontKnow:       dontKnowPhrases,
	lexDontKnowAlone:  dontKnowAlonePhrases,
	lexBuzz:           buzzPhrases,
	lexGuess:          guessPhrases,
	lexWaiver:         waiverPhrases,
	lexPitch:          pitchPhrases,
})

func buildTrie(lists map[lexCategory][]phrase) *trieNode {
	root := &trieNode{next: map[int32]*trieNode{}}
	for cat, ps := range lists {
		for _, p := range ps {
			n := root
			for _, w := range p.words {
				if w.prefix {
					panic("lexicon phrases cannot use prefix wildcards: " + lexiconText(p))
				}
				child, ok := n.next[w.id]
				if !ok {
					child = &trieNode{next: map[int32]*trieNode{}}
					n.next[w.id] = child
				}
				n = child
			}
			n.ends = append(n.ends, cat)
		}
	}
	return root
}

// lexScan is what the lexicon found in an answer: how often each list
// matched, and in which sentences.
type lexScan struct {
	count     [numLex]int
	sentences [numLex][]bool
}

// sentenceIndexes lists the sentences that matched the category.
func (l *lexScan) sentenceIndexes(c lexCategory) []int {
	var out []int
	for i, h := range l.sentences[c] {
		if h {
			out = append(out, i)
		}
	}
	return out
}

// intensifiers may stand inside a lexicon phrase without changing what
// it says: "I'm honestly not sure", "you don't really need".
var intensifiers = map[string]bool{
	"honestly": true, "really": true, "genuinely": true, "actually": true, "truly": true, "totally": true, "quite": true,
}

// qualifiers before a sweeping phrase make it a judgement of the usual
// case: "you probably don't need it", "it usually doesn't matter".
var qualifiers = map[string]bool{
	"probably": true, "usually": true, "often": true, "typically": true, "generally": true, "mostly": true,
	"likely": true, "may": true, "might": true, "normally": true, "rarely": true,
}

// scanLexicon matches every lexicon phrase in one pass.
func scanLexicon(d *doc) *lexScan {
	l := &lexScan{}
	for i := range d.tokens {
		id := d.tokens[i].id
		if id < 0 || int(id) >= len(lexRoot) || lexRoot[id] == nil {
			continue
		}
		n := lexRoot[id]
		si := d.tokens[i].sentence
		qualified := i > 0 && d.tokens[i-1].sentence == si && qualifiers[d.tokens[i-1].raw]
		for j := i; ; {
			for _, c := range n.ends {
				if (c == lexAbsolute || c == lexWaiver) && qualified {
					continue // "you probably don't need it" does not sweep
				}
				l.count[c]++
				if l.sentences[c] == nil {
					l.sentences[c] = make([]bool, len(d.sentences))
				}
				l.sentences[c][si] = true
			}
			j++
			if j >= len(d.tokens) || d.tokens[j].sentence != si || d.tokens[j].id < 0 {
				break
			}
			next := n.next[d.tokens[j].id]
			if next == nil && intensifiers[d.tokens[j].raw] && j+1 < len(d.tokens) && d.tokens[j+1].sentence == si && d.tokens[j+1].id >= 0 {
				// "I'm honestly not sure" says "I'm not sure".
				j++
				next = n.next[d.tokens[j].id]
			}
			if n = next; n == nil {
				break
			}
		}
	}
	return l
}
