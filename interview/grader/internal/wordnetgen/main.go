// Command wordnetgen writes interview/synonyms_gen.go: for every word of the
// question bank, its synonyms from Princeton WordNet 3.0.
//
// It is run by `go generate ./interview/` and needs the WordNet database
// files (Debian: `apt-get install wordnet-base`, which puts them in
// /usr/share/wordnet). Nothing is fetched; the output is committed.
//
// The vocabulary is every lower-cased alphabetic word of three or more
// letters, not a stopword, in the prompt, explanation, model_answer,
// key_points[].text, key_points[].any and tradeoffs of seeds/*.yaml. For
// each word and part of speech it takes the word's first two senses (WordNet
// lists a lemma's synsets most frequent first) and keeps the other lemmas of
// those synsets that are plain lower-case words of 3 to 14 letters: no
// multi-word lemmas, no digits, hyphens or capitals (proper names), no
// stopwords. A word with no index entry of its own (requests, caching) is
// looked up by its base forms, found with WordNet's own morphology rules and
// exception lists. Output is sorted, so a re-run gives the same bytes.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/mockround/mockround/seeds"
)

// sensesPerPOS is how many of a lemma's senses, most frequent first, give
// synonyms: beyond the second, senses are rare enough to mislead a grader.
const sensesPerPOS = 2

// maxLemmaLen drops long technical and scientific lemmas.
const maxLemmaLen = 14

func main() {
	dict := flag.String("dict", "/usr/share/wordnet", "directory of the WordNet 3.x database files (data.*, index.*, *.exc)")
	seedsDir := flag.String("seeds", "../../seeds", "directory of the question bank YAML files")
	pkg := flag.String("package", "grader", "package of the Go file written")
	out := flag.String("out", "synonyms_gen.go", "Go file to write")
	flag.Parse()
	if err := run(*dict, *seedsDir, *pkg, *out); err != nil {
		fmt.Fprintln(os.Stderr, "wordnetgen:", err)
		os.Exit(1)
	}
}

func run(dict, seedsDir, pkg, out string) error {
	vocab, err := vocabulary(seedsDir)
	if err != nil {
		return err
	}
	wn, err := loadWordNet(dict)
	if err != nil {
		return err
	}
	var lines []string
	for _, w := range vocab {
		syns := wn.synonyms(w)
		if len(syns) == 0 {
			continue
		}
		lines = append(lines, w+" "+strings.Join(syns, " "))
	}
	src, err := render(pkg, wn.license, lines)
	if err != nil {
		return err
	}
	return os.WriteFile(out, src, 0o644)
}

// vocabulary returns the sorted, distinct words of the bank's text fields.
func vocabulary(dir string) ([]string, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no *.yaml files in %s", dir)
	}
	slices.Sort(names)
	set := map[string]bool{}
	add := func(text string) {
		for _, w := range words(text) {
			if len(w) >= 3 && !stopwords[w] {
				set[w] = true
			}
		}
	}
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		qs, err := seeds.Parse(filepath.Base(name), data)
		if err != nil {
			return nil, err
		}
		for _, q := range qs {
			add(q.Prompt)
			add(q.Explanation)
			add(q.ModelAnswer)
			for _, kp := range q.KeyPoints {
				add(kp.Text)
				for _, a := range kp.Any {
					add(a)
				}
			}
			for _, t := range q.Tradeoffs {
				add(t)
			}
		}
	}
	out := make([]string, 0, len(set))
	for w := range set {
		out = append(out, w)
	}
	slices.Sort(out)
	return out, nil
}

// words splits text into lower-cased runs of ASCII letters.
func words(text string) []string {
	var out []string
	start := -1
	for i := 0; i <= len(text); i++ {
		letter := i < len(text) && (text[i] >= 'a' && text[i] <= 'z' || text[i] >= 'A' && text[i] <= 'Z')
		switch {
		case letter && start < 0:
			start = i
		case !letter && start >= 0:
			out = append(out, strings.ToLower(text[start:i]))
			start = -1
		}
	}
	return out
}

// pos is one WordNet part of speech: its index (lemma to synset offsets, in
// sense order), its data file, and its morphology.
type pos struct {
	name   string
	index  map[string][]int64
	data   []byte
	exc    map[string][]string
	suffix [][2]string // detachment rules: inflected suffix, base suffix
}

type wordNet struct {
	poses   []*pos
	license []string
}

// Detachment rules, as in WordNet's morph.c.
var suffixRules = map[string][][2]string{
	"noun": {{"s", ""}, {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"}},
	"verb": {{"s", ""}, {"ies", "y"}, {"es", "e"}, {"es", ""}, {"ed", "e"}, {"ed", ""}, {"ing", "e"}, {"ing", ""}},
	"adj":  {{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}},
	"adv":  nil,
}

func loadWordNet(dir string) (*wordNet, error) {
	wn := &wordNet{}
	for _, name := range []string{"noun", "verb", "adj", "adv"} {
		p := &pos{name: name, suffix: suffixRules[name]}
		var err error
		if p.index, err = readIndex(filepath.Join(dir, "index."+name)); err != nil {
			return nil, err
		}
		if p.data, err = os.ReadFile(filepath.Join(dir, "data."+name)); err != nil {
			return nil, err
		}
		if p.exc, err = readExc(filepath.Join(dir, name+".exc")); err != nil {
			return nil, err
		}
		wn.poses = append(wn.poses, p)
	}
	wn.license = licenseText(wn.poses[0].data)
	if len(wn.license) == 0 {
		return nil, errors.New("data.noun has no license header")
	}
	return wn, nil
}

// readIndex parses index.<pos>: "lemma pos synset_cnt p_cnt [ptr...]
// sense_cnt tagsense_cnt offset..." where the offsets come in sense order.
func readIndex(path string) (map[string][]int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	idx := map[string][]int64{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, " ") {
			continue // license header
		}
		fields := strings.Fields(line)
		if len(fields) < 4 {
			return nil, fmt.Errorf("%s: short line %q", path, line)
		}
		n, err := strconv.Atoi(fields[2])
		if err != nil || n < 1 || len(fields) < n {
			return nil, fmt.Errorf("%s: bad synset count in %q", path, line)
		}
		offs := make([]int64, 0, n)
		for _, s := range fields[len(fields)-n:] {
			off, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%s: bad offset in %q", path, line)
			}
			offs = append(offs, off)
		}
		idx[fields[0]] = offs
	}
	return idx, sc.Err()
}

// readExc parses <pos>.exc: "inflected base..." per line.
func readExc(path string) (map[string][]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	exc := map[string][]string{}
	for line := range strings.Lines(string(data)) {
		fields := strings.Fields(line)
		if len(fields) >= 2 {
			exc[fields[0]] = append(exc[fields[0]], fields[1:]...)
		}
	}
	return exc, nil
}

// licenseText returns the license lines of a data file's header, which are
// "  N text" lines before the first synset.
func licenseText(data []byte) []string {
	var out []string
	for line := range strings.Lines(string(data)) {
		if !strings.HasPrefix(line, "  ") {
			break
		}
		rest := strings.TrimLeft(line, " ")
		_, text, _ := strings.Cut(rest, " ")
		out = append(out, strings.TrimRight(text, " \r\n"))
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// bases returns the lemmas under which w is found in p: w itself, the bases
// its exception list gives, or else the bases that the suffix rules give.
func (p *pos) bases(w string) []string {
	var out []string
	if _, ok := p.index[w]; ok {
		out = append(out, w)
	}
	for _, b := range p.exc[w] {
		if _, ok := p.index[b]; ok && !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, r := range p.suffix {
		if stem, ok := strings.CutSuffix(w, r[0]); ok && stem != "" {
			b := stem + r[1]
			if _, ok := p.index[b]; ok && !slices.Contains(out, b) {
				out = append(out, b)
			}
		}
	}
	return out
}

// lemmas returns the words of the synset at off in p's data file.
func (p *pos) lemmas(off int64) ([]string, error) {
	if off < 0 || off >= int64(len(p.data)) {
		return nil, fmt.Errorf("data.%s: offset %d out of range", p.name, off)
	}
	line := p.data[off:]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	fields := strings.Fields(string(line))
	// offset lex_filenum ss_type w_cnt (hex) word lex_id ...
	if len(fields) < 4 || fields[0] != fmt.Sprintf("%08d", off) {
		return nil, fmt.Errorf("data.%s: no synset at offset %d", p.name, off)
	}
	n, err := strconv.ParseInt(fields[3], 16, 32)
	if err != nil || len(fields) < 4+2*int(n) {
		return nil, fmt.Errorf("data.%s: bad word count at offset %d", p.name, off)
	}
	out := make([]string, 0, n)
	for i := range int(n) {
		w := fields[4+2*i]
		// Adjectives may carry a syntactic marker: (a), (p) or (ip).
		if j := strings.IndexByte(w, '('); j > 0 && strings.HasSuffix(w, ")") {
			w = w[:j]
		}
		out = append(out, w)
	}
	return out, nil
}

// synonyms returns the sorted, distinct synonyms of w.
func (wn *wordNet) synonyms(w string) []string {
	set := map[string]bool{}
	for _, p := range wn.poses {
		for _, b := range p.bases(w) {
			offs := p.index[b]
			offs = offs[:min(len(offs), sensesPerPOS)]
			for _, off := range offs {
				ls, err := p.lemmas(off)
				if err != nil {
					fmt.Fprintln(os.Stderr, "wordnetgen:", err)
					os.Exit(1)
				}
				for _, l := range ls {
					if l != w && plainWord(l) {
						set[l] = true
					}
				}
			}
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// plainWord reports whether a lemma, as written in the data file, is one
// common lower-case word a candidate would say and the grader would count.
func plainWord(l string) bool {
	if len(l) < 3 || len(l) > maxLemmaLen || stopwords[l] {
		return false
	}
	for i := 0; i < len(l); i++ {
		if l[i] < 'a' || l[i] > 'z' {
			return false
		}
	}
	return true
}

func render(pkg string, license, lines []string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("// Code generated by wordnetgen from WordNet 3.0; DO NOT EDIT.\n\n")
	b.WriteString("// The synonyms below are taken from WordNet 3.0, under this license:\n//\n")
	for _, l := range license {
		if l == "" {
			b.WriteString("//\n")
		} else {
			b.WriteString("//\t" + l + "\n")
		}
	}
	b.WriteString("\npackage " + pkg + "\n\n")
	b.WriteString("// wordnetSynonymData has one line per question-bank word that has\n")
	b.WriteString("// synonyms: the word, then its synonyms, space-separated and sorted.\n")
	b.WriteString("const wordnetSynonymData = `")
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	b.WriteString("`\n")
	return format.Source(b.Bytes())
}

// stopwords carry no topic: the vocabulary skips them, and so do synonyms.
var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
a about above across after again against all almost along already also although always am among an and another any
anybody anyone anything anyway anywhere are around as at away back be became because become becomes been before
being below between both but by came can cannot come could did do does doing done down during each either else
enough etc even ever every everybody everyone everything everywhere few for from further get gets getting give
given gives go goes going gone got had has have having he her here hers herself him himself his how however i if
in into is it its itself just keep kept know known less let like likely made make makes making many may maybe me
might mine more most mostly much must my myself neither never no nobody none nor not nothing now of off often on
once one only onto or other others otherwise our ours ourselves out over own per perhaps put quite rather really
said same say says see seem seemed seems several shall she should since so some somebody someone something
sometimes somewhat somewhere still such take takes than that the their theirs them themselves then there these
they thing things this those though through thus to together too toward towards under until unto up upon us use
used uses using very via was way we well went were what whatever when whenever where wherever whether which while
who whoever whole whom whose why will with within without would yeah yes yet you your yours yourself yourselves
um uh okay right actually basically kind sort mean stuff lot lots need want think first also just really
`) {
		m[w] = true
	}
	return m
}()
