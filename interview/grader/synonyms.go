package grader

import (
	"slices"
	"strings"
	"sync"
)

// The synonym table lets the grader match an answer's plain words to the
// rubric's terms: a candidate who says "mistake" or "quick" means the
// rubric's "error" or "fast". It is built from WordNet 3.0 for every word of
// the question bank (seeds/*.yaml) by internal/wordnetgen and committed as
// synonyms_gen.go, so neither the build nor the app fetches anything.
// After changing the bank, with the WordNet files installed (Debian:
// apt-get install wordnet-base), regenerate it with
//
//	go generate ./interview/grader/
//
// WordNet 3.0 Copyright 2006 by Princeton University, used under the
// WordNet license (reproduced in full in synonyms_gen.go).

//go:generate go run ./internal/wordnetgen -dict /usr/share/wordnet -seeds ../../seeds -out synonyms_gen.go

var loadSynonymGroups = sync.OnceValue(func() map[string][]string {
	return parseSynonymGroups(wordnetSynonymData)
})

// synonymGroups returns, for a lower-case word, its WordNet synonyms,
// sorted. The relation is symmetric: a bank word lists its synonyms, and
// each synonym lists the bank words it is a synonym of, so an answer's word
// finds the rubric's. The map is parsed once and shared: do not modify it.
func synonymGroups() map[string][]string {
	return loadSynonymGroups()
}

// parseSynonymGroups reads lines of "word syn1 syn2 ..." into a symmetric
// map of sorted, distinct synonyms.
func parseSynonymGroups(data string) map[string][]string {
	m := make(map[string][]string)
	for line := range strings.Lines(data) {
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		w := fields[0]
		for _, s := range fields[1:] {
			if s == w {
				continue
			}
			m[w] = append(m[w], s)
			m[s] = append(m[s], w)
		}
	}
	for w, syns := range m {
		slices.Sort(syns)
		m[w] = slices.Clip(slices.Compact(syns))
	}
	return m
}
