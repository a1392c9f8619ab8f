package interview

import (
	"bufio"
	"encoding/json"
	"fmt"
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
		if r.Overall >= l.Lo-0.5 && r.Overall <= l.Hi+0.5 {
			c.inBand++
			cat[0]++
		} else {
			c.misses = append(c.misses, fmt.Sprintf("%-42s %-13s %g-%g got %.1f caps=%v", l.QuestionID, l.Category, l.Lo, l.Hi, r.Overall, r.Caps))
		}
		c.byCat[l.Category] = cat
		byQ[l.QuestionID] = append(byQ[l.QuestionID], graded{l, r.Overall})
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
	t.Logf("in band %d/%d (%.0f%%), ordered pairs %d/%d", c.inBand, c.n, 100*float64(c.inBand)/float64(max(c.n, 1)), c.ordered, c.pairs)
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
	path := filepath.Join("..", "..", "shared", "calibration", "examples.jsonl")
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
	if float64(c.inBand) < 0.80*float64(c.n) {
		t.Errorf("%d of %d labelled answers in band, need 80%%", c.inBand, c.n)
	}
	if float64(c.ordered) < 0.95*float64(c.pairs) {
		t.Errorf("%d of %d cross-band pairs ordered, need 95%%", c.ordered, c.pairs)
	}
}
