package grader

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

func TestZZDebug(t *testing.T) {
	path := os.Getenv("ZZ")
	if path == "" {
		t.Skip()
	}
	b, err := LoadBank()
	if err != nil {
		t.Fatal(err)
	}
	g := NewGrader(b)
	f, _ := os.Open(path)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var in struct{ QuestionID, Answer string }
		var raw map[string]string
		json.Unmarshal(sc.Bytes(), &raw)
		in.QuestionID, in.Answer = raw["question_id"], raw["answer"]
		q, _ := b.Question(in.QuestionID)
		r := Result{QuestionID: q.ID}
		clean, _ := stripInjection(in.Answer)
		clean = dedupeSentences(clean)
		d := parsePooled(clean, g.bank.vocab)
		kinds := g.classify(d)
		enum := newEnumerations(d, kinds)
		g.matchKeyPoints(q, d, enum, &r)
		lex := scanLexicon(d)
		s := g.measure(q, d, kinds, lex, &r)
		other, oq := g.bestOtherFit(q, d, kinds)
		oid := ""
		if oq != nil {
			oid = oq.ID
		}
		ov, caps, _ := overall(score(s, 0), s, 0, false)
		fmt.Printf("ov=%.1f caps=%q conc=%d spec=%d tools=%d code=%d reason=%d strongT=%d weakT=%d own=%d expl=%d ", ov, caps, s.concrete, s.specifics, s.tools, s.code, s.reasoning, s.strongTradeoff, s.weakTradeoff, s.tradeoffPhrases, s.explainedWeight)
		fmt.Printf("%s words=%d cov=%.2f full=%d partials=%d named=%d topic=%.3f onTopic=%v buried=%v other=%s %.3f\n", q.ID, s.words, s.coverage, s.fullHits, s.partials, s.named, s.topicShare, s.onTopic, s.buried, oid, other)
		d.release()
	}
}
