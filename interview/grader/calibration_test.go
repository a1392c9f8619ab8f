package grader

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// labelled is an answer with the band an experienced interviewer gave it.
type labelled struct {
	QuestionID string  `json:"question_id"`
	Category   string  `json:"category"`
	Answer     string  `json:"answer"`
	Lo         float64 `json:"label_lo"`
	Hi         float64 `json:"label_hi"`
	source     string
}

func readLabelled(t testing.TB, paths ...string) []labelled {
	t.Helper()
	var out []labelled
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for n := 1; sc.Scan(); n++ {
			if strings.TrimSpace(sc.Text()) == "" {
				continue
			}
			var l labelled
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				t.Fatalf("%s:%d: %v", p, n, err)
			}
			l.source = fmt.Sprintf("%s:%d", filepath.Base(p), n)
			out = append(out, l)
		}
		f.Close()
	}
	return out
}

// calibration reports how a set of labelled answers grades: the share in
// band (±0.5), and the share of cross-band pairs within a question that are
// ordered right.
type calibration struct {
	n, inBand, pairs, ordered int
	byCat                     map[string][2]int
	misses                    []string
	// absErr sums |grade - band middle|; got and mid feed Spearman.
	absErr   float64
	got, mid []float64
	// adversarial counts the categories built to fool a grader.
	advN, advInBand int
}

// adversarialCategories are the answers built to fool a grader, as
// grader_eval.py counts them.
var adversarialCategories = map[string]bool{
	"wrong": true, "confident_error": true, "negated": true, "keyword_salad": true,
	"injection": true, "off_topic": true, "dont_know": true,
}

// spearman is the rank correlation of two series (ties share a rank).
func spearman(x, y []float64) float64 {
	rank := func(v []float64) []float64 {
		idx := make([]int, len(v))
		for i := range idx {
			idx[i] = i
		}
		sort.Slice(idx, func(a, b int) bool { return v[idx[a]] < v[idx[b]] })
		r := make([]float64, len(v))
		for i := 0; i < len(idx); {
			j := i
			for j+1 < len(idx) && v[idx[j+1]] == v[idx[i]] {
				j++
			}
			for k := i; k <= j; k++ {
				r[idx[k]] = float64(i+j) / 2
			}
			i = j + 1
		}
		return r
	}
	rx, ry := rank(x), rank(y)
	n := float64(len(x))
	var mx, my float64
	for i := range rx {
		mx += rx[i] / n
		my += ry[i] / n
	}
	var cov, vx, vy float64
	for i := range rx {
		cov += (rx[i] - mx) * (ry[i] - my)
		vx += (rx[i] - mx) * (rx[i] - mx)
		vy += (ry[i] - my) * (ry[i] - my)
	}
	if vx == 0 || vy == 0 {
		return 0
	}
	return cov / math.Sqrt(vx*vy)
}

func calibrate(t testing.TB, g *Grader, ls []labelled) calibration {
	c := calibration{byCat: map[string][2]int{}}
	type graded struct {
		l labelled
		s float64
	}
	byQ := map[string][]graded{}
	for _, l := range ls {
		q, ok := g.bank.Question(l.QuestionID)
		if !ok {
			t.Errorf("%s: unknown question %s", l.source, l.QuestionID)
			continue
		}
		r, err := g.Grade(q, l.Answer)
		if err != nil {
			t.Fatal(err)
		}
		c.n++
		cat := c.byCat[l.Category]
		cat[1]++
		got := 0.0
		if r.Graded() {
			got = r.Overall
		}
		mid := (l.Lo + l.Hi) / 2
		c.got, c.mid = append(c.got, got), append(c.mid, mid)
		c.absErr += math.Abs(got - mid)
		in := got >= l.Lo-0.5 && got <= l.Hi+0.5
		if adversarialCategories[l.Category] {
			c.advN++
			if in {
				c.advInBand++
			}
		}
		if in {
			c.inBand++
			cat[0]++
		} else {
			c.misses = append(c.misses, fmt.Sprintf("%-42s %-13s %g-%g got %.1f caps=%v", l.QuestionID, l.Category, l.Lo, l.Hi, r.Overall, r.Caps))
		}
		c.byCat[l.Category] = cat
		byQ[l.QuestionID] = append(byQ[l.QuestionID], graded{l, got})
	}
	for _, gs := range byQ {
		for _, a := range gs {
			for _, b := range gs {
				if a.l.Hi < b.l.Lo {
					c.pairs++
					if a.s < b.s {
						c.ordered++
					}
				}
			}
		}
	}
	sort.Strings(c.misses)
	return c
}

func (c calibration) report(t *testing.T) {
	cats := make([]string, 0, len(c.byCat))
	for k := range c.byCat {
		cats = append(cats, k)
	}
	sort.Strings(cats)
	for _, k := range cats {
		t.Logf("  %-14s %3d/%3d in band", k, c.byCat[k][0], c.byCat[k][1])
	}
	t.Logf("in band %d/%d (%.0f%%), ordered pairs %d/%d (%.0f%%), spearman %.2f, MAE %.2f, adversarial in band %d/%d",
		c.inBand, c.n, 100*float64(c.inBand)/float64(max(c.n, 1)), c.ordered, c.pairs, 100*float64(c.ordered)/float64(max(c.pairs, 1)),
		spearman(c.got, c.mid), c.absErr/float64(max(c.n, 1)), c.advInBand, c.advN)
	if os.Getenv("CALIBRATION_VERBOSE") != "" {
		for _, m := range c.misses {
			t.Log(m)
		}
	}
}

// TestCalibrationExamples grades the product's labelled examples: at least
// 85% inside their band (±0.5), and within each question a lower band
// always below a higher one.
func TestCalibrationExamples(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "calibration", "examples.jsonl")
	if _, err := os.Stat(path); err != nil {
		path = filepath.Join("testdata", "calibration", "examples.jsonl")
	}
	g := NewGrader(loadReal(t))
	c := calibrate(t, g, readLabelled(t, path))
	c.report(t)
	if float64(c.inBand) < 0.85*float64(c.n) {
		t.Errorf("%d of %d examples in band, need 85%%", c.inBand, c.n)
	}
	if c.ordered != c.pairs {
		t.Errorf("%d of %d cross-band pairs ordered, need all", c.ordered, c.pairs)
	}
}

// TestCalibrationLabelled grades the bank authors' labelled answers (a
// wider set, written apart from the rubrics' phrasings).
func TestCalibrationLabelled(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "labelled", "*.jsonl"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no labelled answers: %v", err)
	}
	g := NewGrader(loadReal(t))
	c := calibrate(t, g, readLabelled(t, paths...))
	c.report(t)
	if float64(c.inBand) < 0.95*float64(c.n) {
		t.Errorf("%d of %d labelled answers in band, need 95%%", c.inBand, c.n)
	}
	if float64(c.ordered) < 0.95*float64(c.pairs) {
		t.Errorf("%d of %d cross-band pairs ordered, need 95%%", c.ordered, c.pairs)
	}
}

// TestCalibrationAdversarial grades the public adversarial set: answers
// written outside the team, to questions the labelled set barely covers,
// in the categories built to fool a grader. Its floors are the issue's
// targets (or today's figures, where those are higher), so a change that
// makes the grader easier to fool fails here.
func TestCalibrationAdversarial(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "calibration", "adversarial.jsonl")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("no public adversarial set at %s", path)
	}
	g := NewGrader(loadReal(t))
	c := calibrate(t, g, readLabelled(t, path))
	c.report(t)
	c.check(t, floors{inBand: 0.91, adversarial: 0.90, ordered: 0.97, spearman: 0.91, mae: 0.68})
}

// TestCalibrationHoldout grades the held-out sets: answers to 301 other
// questions of the bank and new answers to 168 of them (11 answers to
// each question), in the
// adversarial set's categories, written by reviewers who saw neither the
// grader nor the rubrics (testdata/holdout). They are the nearest thing
// here to the hidden sets, and still short of the targets. The
// first two have guided the grader's mechanisms (never a phrase for one
// of their answers), so they overstate how it does on questions it has
// never met. The third was graded once, blind, before it guided four
// rules (its first figures are in the comment below). The fourth and
// the fifth were graded blind too, then guided a few mechanisms; the
// sixth to twelfth were each graded blind once and read later; the
// thirteenth and fourteenth were never read answer by answer but their
// figures judged changes; the fifteenth was graded blind and then read;
// the sixteenth was looked at once, for one change that did not move it;
// the seventeenth has guided nothing and is the honest estimate.
// Their floors are today's figures less a margin, so a change that
// generalises worse fails here.
func TestCalibrationHoldout(t *testing.T) {
	g := NewGrader(loadReal(t))
	for _, set := range []struct {
		file string
		f    floors
	}{
		{"holdout.jsonl", floors{inBand: 0.885, adversarial: 0.83, ordered: 0.945, spearman: 0.87, mae: 0.86}},
		{"holdout2.jsonl", floors{inBand: 0.905, adversarial: 0.85, ordered: 0.965, spearman: 0.89, mae: 0.81}},
		// Written on 2026-12-07 by four reviewers who saw neither the
		// grader nor the bank, and graded once before anything was
		// changed for it: 81% in band, MAE 1.44, order 90%, Spearman 0.80.
		// Four rules found on it since (a guess beside an admission, a
		// neighbour question's answer, a war story, plain-words experts
		// past the sweeping cap) and three false alarms it showed took it
		// to the figures below, and caps at the middle of their bands
		// took its MAE from 1.30 to 1.01, and grading every answer with
		// text for the grader (held at capInjection) to 0.99, and the
		// expert-at-length floor at 9 to 0.96.
		{"holdout3.jsonl", floors{inBand: 0.865, adversarial: 0.775, ordered: 0.935, spearman: 0.855, mae: 0.94}},
		// Written later the same day by four more reviewers, blind to the
		// grader and the bank, on 28 more questions (two per area), and
		// graded once before anything was changed for it: 79% in band,
		// MAE 1.28, order 87%, Spearman 0.77, adversarial in band 71%
		// (the build at the start of that day: 79%, 1.57, 87%, 0.76,
		// 69%). Its confident errors are caught four times in 28. Four
		// false alarms on right answers it showed since (a quantifier
		// inside a claim, a negation on a condition, a remedy that is a
		// key point's phrasing, "X, not Y" denied in Y) took it to 80%
		// and MAE 1.24; later, three mechanisms found on its
		// confident errors (a denial after "so" in a key point's text, an
		// item joined before a claim's next word, "it" standing for a
		// thing the answer names) and the brief length at 60 words (its
		// shallow answers run to 58) took it to the figures below. Its
		// confident errors are long and full of numbers: a number word
		// before a unit counted as a measurement, and three of them
		// instead of four lifting a long answer to 9, took four of them
		// from 7 to 9 (0.89 ordered and MAE 1.16 before).
		{"holdout4.jsonl", floors{inBand: 0.82, adversarial: 0.72, ordered: 0.875, spearman: 0.785, mae: 1.20}},
		// Written later by four more reviewers,
		// blind to the grader and the bank, on 28 more questions, with
		// the public set's lengths in the brief, and graded once before
		// anything was changed for it: 78% in band, MAE 1.11, order 92%,
		// Spearman 0.82, adversarial in band 71% (the same with 31e4cd0,
		// before the fourth set's mechanisms). Mechanisms it showed since, each
		// moving one or two answers and no answer of another set: denials
		// in other words ("X is a bad idea", "X isn't appropriate"), the
		// hold of an answer built on denials at 1.5 (inside the band of
		// the confident errors it also catches), a misconception's words
		// as the purpose of an instruction, "I haven't really worked
		// with…" and a point asked back beside it as not knowing, and
		// "doesn't always" agreeing with a point that says when something
		// holds, and a long answer with few asides not diluted (two
		// plain-words experts).
		{"holdout5.jsonl", floors{inBand: 0.86, adversarial: 0.79, ordered: 0.93, spearman: 0.86, mae: 0.97}},
		// Written after every mechanism above, the same way, on 25 more
		// questions (two per area where two were left), and not used to
		// change anything: 80% in band, MAE 1.19, order 89%, Spearman
		// 0.78, adversarial in band 69%, the same as with 31e4cd0, the
		// build before the mechanisms the fourth and fifth sets showed.
		// It is the honest estimate: those mechanisms fixed the answers
		// they were found on and moved none of these.
		{"holdout6.jsonl", floors{inBand: 0.845, adversarial: 0.745, ordered: 0.91, spearman: 0.83, mae: 1.03}},
		// Written the same way on 28 more questions after the sixth set had
		// been read (it had guided nothing until then), graded once with
		// 1753a73: 78% in band, MAE 1.24, order 89%, Spearman 0.785,
		// adversarial in band 70%, as the sixth. It then judged changes
		// found on the other sets (a key point called unnecessary in its
		// own words: one answer in, four out, left out; the complete floor
		// for an answer that makes every point: three in, none out, kept;
		// the sixth set's false alarms: none of its answers moved), and
		// was then read for its own false alarms.
		{"holdout7.jsonl", floors{inBand: 0.835, adversarial: 0.735, ordered: 0.915, spearman: 0.815, mae: 1.14}},
		// Written the same way on 28 more questions, graded once, blind
		// (79% in band, MAE 1.14, order 91%, Spearman 0.81, adversarial in
		// band 73% with 1753a73; 79.5%, 1.13 with the build of that time),
		// then read for its not-knowing answers and false alarms.
		{"holdout8.jsonl", floors{inBand: 0.82, adversarial: 0.755, ordered: 0.92, spearman: 0.83, mae: 1.06}},
		// Written the same way on 28 more questions after the changes the
		// sixth to eighth sets showed, graded once with 1753a73 (80% in
		// band, MAE 1.22, order 91%, Spearman 0.79, adversarial in band
		// 70%) and once with the build of that time (81.5%, 1.20: four
		// answers into band, none out), then read.
		{"holdout9.jsonl", floors{inBand: 0.85, adversarial: 0.74, ordered: 0.935, spearman: 0.835, mae: 1.05}},
		// Written the same way on 25 more questions, graded once with
		// 1753a73 (77% in band, MAE 1.32, order 86%, Spearman 0.75,
		// adversarial in band 63%) and with the build of that time (79%,
		// 1.28: five into band, none out), then read.
		{"holdout10.jsonl", floors{inBand: 0.865, adversarial: 0.765, ordered: 0.905, spearman: 0.825, mae: 1.04}},
		// Written the same way on the 27 questions every other set had
		// left, after all the changes above, graded once with 1753a73 (80%
		// in band, MAE 1.14, order 90.5%, Spearman 0.81, adversarial in
		// band 71%) and once with the build of that time (81.5%, 1.14,
		// 91%, 0.81, 71%: five into band, one out), then read for the
		// bank's phrasings that right answers say.
		{"holdout11.jsonl", floors{inBand: 0.845, adversarial: 0.77, ordered: 0.92, spearman: 0.835, mae: 1.04}},
		// New answers, written the same way, to two questions of every
		// area drawn from the whole bank (some asked in earlier sets, as a
		// hidden set may), after every change above. Graded once with
		// 1753a73 (80.5% in band, MAE 1.11, order 93%, Spearman 0.84,
		// adversarial in band 69%) and once with the build of that time
		// (82.5%, 1.08, 93.6%, 0.85, 70%: six into band, none out), then
		// read for false alarms on right answers.
		{"holdout12.jsonl", floors{inBand: 0.86, adversarial: 0.77, ordered: 0.94, spearman: 0.86, mae: 1.00}},
		// New answers, written the same way, to two other questions of
		// every area, after every change above. Graded once with 1753a73
		// (82% in band, MAE 1.10, order 91%, Spearman 0.82, adversarial in
		// band 69%) and once with the build of that time (83%, 1.05, 92%,
		// 0.84, 71%: four into band, none out). Never read answer by
		// answer; since 0337628 its figures have judged each change.
		{"holdout13.jsonl", floors{inBand: 0.85, adversarial: 0.74, ordered: 0.92, spearman: 0.835, mae: 1.02}},
		// New answers, written the same way, to two questions of every
		// area not in the twelfth and thirteenth sets, graded once with
		// 0337628 (82.8% in band, MAE 1.11, order 92.6%, Spearman 0.835,
		// adversarial in band 73.6%). Never read answer by answer; its
		// figures judged each change after 0337628 with the thirteenth's.
		{"holdout14.jsonl", floors{inBand: 0.845, adversarial: 0.77, ordered: 0.93, spearman: 0.84, mae: 1.05}},
		// New answers to two more questions of every area, graded once
		// with 0337628 (77.3% in band, MAE 1.31, order 86.8%, Spearman
		// 0.76, adversarial in band 67.1%) and once with the build of that
		// time (80.2%, 1.24, 88.2%, 0.78, 72.1%: nine into band, none out),
		// then read for its not-knowing answers, false salads and wrong
		// answers. The hardest set yet.
		{"holdout15.jsonl", floors{inBand: 0.805, adversarial: 0.725, ordered: 0.885, spearman: 0.78, mae: 1.22}},
		// New answers to two more questions of every area, written while
		// the grader changed, graded only with 0337628 (80.2% in band, MAE
		// 1.20, order 89.5%, Spearman 0.80, adversarial in band 72.9%) and
		// with the build of that time (82.1%, 1.15, 90.4%, 0.81, 75.0%).
		// Never read; its figures were looked at for one last change,
		// which did not move them.
		{"holdout16.jsonl", floors{inBand: 0.81, adversarial: 0.735, ordered: 0.895, spearman: 0.80, mae: 1.17}},
		// New answers to two more questions of every area, written last,
		// graded only with 0337628 (81.8% in band, MAE 1.14, order 90.7%,
		// Spearman 0.81, adversarial in band 71.4%) and with the final
		// build (83.8%, 1.10, 91.1%, 0.81, 76.4%). Never read, never used
		// to judge a change: the honest estimate.
		{"holdout17.jsonl", floors{inBand: 0.825, adversarial: 0.745, ordered: 0.905, spearman: 0.80, mae: 1.13}},
	} {
		t.Run(set.file, func(t *testing.T) {
			c := calibrate(t, g, readLabelled(t, filepath.Join("testdata", "holdout", set.file)))
			c.report(t)
			c.check(t, set.f)
		})
	}
}

// floors are the least a labelled set's figures may be, and the most its
// mean absolute error.
type floors struct {
	inBand, adversarial, ordered, spearman, mae float64
}

// check fails the test for every figure past its floor.
func (c calibration) check(t *testing.T, f floors) {
	t.Helper()
	for _, x := range []struct {
		name      string
		got, want float64
	}{
		{"in band", float64(c.inBand) / float64(c.n), f.inBand},
		{"adversarial in band", float64(c.advInBand) / float64(max(c.advN, 1)), f.adversarial},
		{"ordered pairs", float64(c.ordered) / float64(max(c.pairs, 1)), f.ordered},
		{"spearman", spearman(c.got, c.mid), f.spearman},
	} {
		if x.got < x.want {
			t.Errorf("%s %.2f, floor %.2f", x.name, x.got, x.want)
		}
	}
	if mae := c.absErr / float64(c.n); mae > f.mae {
		t.Errorf("MAE %.2f, ceiling %.2f", mae, f.mae)
	}
}
