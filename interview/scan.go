package interview

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
	lexDontKnowAlone // only counts when it is (almost) the whole answer: "pass", "skip"
	numLex
)

type trieNode struct {
	next map[string]*trieNode
	ends []lexCategory
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
})

func buildTrie(lists map[lexCategory][]phrase) *trieNode {
	root := &trieNode{next: map[string]*trieNode{}}
	for cat, ps := range lists {
		for _, p := range ps {
			n := root
			for _, w := range p.words {
				if w.prefix {
					panic("lexicon phrases cannot use prefix wildcards: " + p.text)
				}
				child, ok := n.next[w.stem]
				if !ok {
					child = &trieNode{next: map[string]*trieNode{}}
					n.next[w.stem] = child
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

// has reports whether sentence si matched the category.
func (l *lexScan) has(c lexCategory, si int) bool {
	return l.sentences[c] != nil && l.sentences[c][si]
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

// scanLexicon matches every lexicon phrase in one pass.
func scanLexicon(d *doc) *lexScan {
	l := &lexScan{}
	for i := range d.tokens {
		n := lexTrie
		si := d.tokens[i].sentence
		for j := i; j < len(d.tokens) && d.tokens[j].sentence == si; j++ {
			n = n.next[d.tokens[j].stem]
			if n == nil {
				break
			}
			for _, c := range n.ends {
				l.count[c]++
				if l.sentences[c] == nil {
					l.sentences[c] = make([]bool, len(d.sentences))
				}
				l.sentences[c][si] = true
			}
		}
	}
	return l
}
