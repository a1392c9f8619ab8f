package grader

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

func TestSynonymGroups(t *testing.T) {
	groups := synonymGroups()
	cases := []struct{ a, b string }{
		{"quick", "fast"},
		{"begin", "start"},
		{"error", "mistake"},
		{"choose", "select"},
		{"reply", "answer"},
		{"large", "big"},
		{"difficult", "hard"},
		{"cache", "stash"},
		{"requests", "request"}, // a plural is looked up by its base form
	}
	for _, c := range cases {
		if !slices.Contains(groups[c.a], c.b) {
			t.Errorf("synonymGroups()[%q] = %v, want it to contain %q", c.a, groups[c.a], c.b)
		}
		if !slices.Contains(groups[c.b], c.a) {
			t.Errorf("synonymGroups()[%q] = %v, want it to contain %q", c.b, groups[c.b], c.a)
		}
	}
	for w, syns := range groups {
		if !slices.IsSorted(syns) || slices.Contains(syns, w) || len(slices.Compact(slices.Clone(syns))) != len(syns) {
			t.Fatalf("synonymGroups()[%q] = %v: want sorted, distinct and without the word", w, syns)
		}
	}
	// Rare senses stay out: "fix" as "location" (a ship's fix) is its fifth noun sense.
	if slices.Contains(groups["fix"], "location") {
		t.Errorf("synonymGroups()[\"fix\"] has a rare sense: %v", groups["fix"])
	}
}

func TestSynonymParseSymmetric(t *testing.T) {
	got := parseSynonymGroups("alpha beta gamma\nbeta alpha\n\nlone\n")
	want := map[string][]string{
		"alpha": {"beta", "gamma"},
		"beta":  {"alpha"},
		"gamma": {"alpha"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for w, syns := range want {
		if !slices.Equal(got[w], syns) {
			t.Errorf("%q: got %v, want %v", w, got[w], syns)
		}
	}
}

// TestSynonymsGenCurrent regenerates the table and compares it with the
// committed synonyms_gen.go: run `go generate ./interview/grader/` after changing
// the question bank.
func TestSynonymsGenCurrent(t *testing.T) {
	const dict = "/usr/share/wordnet"
	if _, err := os.Stat(filepath.Join(dict, "data.noun")); err != nil {
		t.Skipf("WordNet not installed in %s (apt-get install wordnet-base)", dict)
	}
	if testing.Short() {
		t.Skip("builds and runs the generator")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	out := filepath.Join(t.TempDir(), "synonyms_gen.go")
	cmd := exec.Command(goTool, "run", "./internal/wordnetgen", "-dict", dict, "-seeds", "../../seeds", "-out", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("wordnetgen: %v\n%s", err, msg)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("synonyms_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, committed) {
		t.Errorf("synonyms_gen.go is stale: run `go generate ./interview/grader/` and commit it")
	}
}
