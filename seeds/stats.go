package seeds

// Stats counts a bank's questions by area, level, stack and kind. A question
// at two levels counts once for each.
type Stats struct {
	Total   int            `json:"total"`
	ByArea  map[string]int `json:"by_area"`
	ByLevel map[string]int `json:"by_level"`
	ByStack map[string]int `json:"by_stack"`
	ByKind  map[string]int `json:"by_kind"`
}

// Count returns the stats of qs.
func Count(qs []Question) Stats {
	s := Stats{
		Total:   len(qs),
		ByArea:  map[string]int{},
		ByLevel: map[string]int{},
		ByStack: map[string]int{},
		ByKind:  map[string]int{},
	}
	for _, q := range qs {
		s.ByArea[q.Area]++
		s.ByKind[q.Kind]++
		for _, l := range q.Levels {
			s.ByLevel[l]++
		}
		for _, st := range q.Stacks {
			s.ByStack[st]++
		}
	}
	return s
}
