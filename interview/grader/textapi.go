package grader

// Text is any text read the grader's way, for the packages beside the
// grader that read text too (the job description analysis): sentences and
// words, matched against phrasings whole-word, with plurals and endings
// forgiven and a trailing * as a prefix.
type Text struct{ d *doc }

// ReadText reads s with the grader's general vocabulary.
func ReadText(s string) Text { return Text{parse(s)} }

// Words is how many words the text has.
func (t Text) Words() int { return len(t.d.tokens) }

// FindAll calls fn with the index of the word where each match of p starts.
func (t Text) FindAll(p Phrase, fn func(word int)) { t.d.findAll(p.p, fn) }

// Phrase is a phrasing compiled for matching.
type Phrase struct{ p phrase }

// Phrases compiles phrasings against the general vocabulary.
func Phrases(ps ...string) []Phrase {
	out := make([]Phrase, len(ps))
	for i, p := range compileAll(ps...) {
		out[i] = Phrase{p}
	}
	return out
}

// Mentions reports whether the question's own text (prompt, rubric,
// answers) uses the one-word phrasing p: a technology it is about.
func (q *Question) Mentions(p Phrase) bool {
	return len(p.p.words) == 1 && q.topicIDs.has(q.vocab.id(lexVocab.words[p.p.words[0].id]))
}

// Map applies fn to every dimension.
func (d Dimensions) Map(fn func(float64) float64) Dimensions { return mapDims(d, fn) }

// Zip combines two sets of dimensions, dimension by dimension.
func (d Dimensions) Zip(o Dimensions, fn func(x, y float64) float64) Dimensions {
	return zipDims(d, o, fn)
}

// Round1 rounds a score to one decimal, as scores are shown.
func Round1(v float64) float64 { return round1(v) }
