package grader

import (
	"errors"
	"reflect"
	"testing"
)

// disputeAnswer makes the low-hit-rate point in words the rubric does not
// recognise, and says a cache always helps (a red flag).
const disputeAnswer = "A cache makes things slower when the data I look up is requested once and then evicted, so every request goes to Redis, about 1 ms, and then to Postgres, two trips instead of one. " +
	"Hot keys can also overload one cache node, for example a celebrity profile at 50k reads per second. " +
	"The tradeoff is staleness against load on the database. " +
	"In most systems I have run, a cache can only help reads though."

func TestCheckDispute(t *testing.T) {
	res := Result{
		Status:         StatusGraded,
		Hits:           []Hit{{ID: "hot-key", Weight: 2}, {ID: "stampede", Weight: 2, Partial: true}},
		Misses:         []Miss{{ID: "low-hit-rate", Weight: 3}},
		RedFlags:       []Flag{{Text: "Claims a cache always reduces latency", Sentence: "A cache always helps."}},
		Contradictions: []Contradiction{{ID: "extra-hop", Sentence: "Lookups cost nothing."}},
	}
	sentences := []string{"Every request misses the cache.", "A cache always helps."}
	for _, tc := range []struct {
		name    string
		res     Result
		earlier []Dispute
		d       Dispute
		want    error
	}{
		{"OK missed", res, nil, Dispute{DisputeMissed, "low-hit-rate", "Every request misses the cache."}, nil},
		{"OK missed, other punctuation and case", res, nil, Dispute{DisputeMissed, "low-hit-rate", "every request misses the cache"}, nil},
		{"OK touched on becomes made", res, nil, Dispute{DisputeMissed, "stampede", "Every request misses the cache."}, nil},
		{"OK red flag", res, nil, Dispute{DisputeRedFlag, "Claims a cache always reduces latency", "A cache always helps."}, nil},
		{"OK contradiction", res, nil, Dispute{DisputeContradiction, "extra-hop", ""}, nil},
		{"ErrDisputeAlreadyHit", res, nil, Dispute{DisputeMissed, "hot-key", "Every request misses the cache."}, ErrDisputeAlreadyHit},
		{"ErrDisputeSentence", res, nil, Dispute{DisputeMissed, "low-hit-rate", "A sentence I never wrote."}, ErrDisputeSentence},
		{"ErrDisputeSentence empty", res, nil, Dispute{DisputeMissed, "low-hit-rate", ""}, ErrDisputeSentence},
		{"ErrDisputeUnknown key point", res, nil, Dispute{DisputeMissed, "no-such-point", "Every request misses the cache."}, ErrDisputeUnknown},
		{"ErrDisputeUnknown red flag", res, nil, Dispute{DisputeRedFlag, "Some other flag", ""}, ErrDisputeUnknown},
		{"ErrDisputeUnknown contradiction", res, nil, Dispute{DisputeContradiction, "hot-key", ""}, ErrDisputeUnknown},
		{"ErrDisputeKind", res, nil, Dispute{"other", "hot-key", ""}, ErrDisputeKind},
		{"ErrDisputeTwice", res, []Dispute{{DisputeRedFlag, "Claims a cache always reduces latency", ""}}, Dispute{DisputeRedFlag, "Claims a cache always reduces latency", ""}, ErrDisputeTwice},
		{"ErrDisputeNotGraded", Result{Status: StatusInsufficient}, nil, Dispute{DisputeMissed, "low-hit-rate", "Every request misses the cache."}, ErrDisputeNotGraded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := CheckDispute(tc.res, sentences, tc.earlier, tc.d); !errors.Is(err, tc.want) {
				t.Errorf("CheckDispute = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestSentences(t *testing.T) {
	got := Sentences("One cache node melts. It is hot.", "It is hot! A new point here.")
	want := []string{"One cache node melts.", "It is hot.", "A new point here."}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Sentences = %q, want %q", got, want)
	}
}

func TestAdjust(t *testing.T) {
	g := NewGrader(loadReal(t))
	q := mustQ(t, "cache-when-slower")
	orig, err := g.Grade(q, disputeAnswer)
	if err != nil {
		t.Fatal(err)
	}
	if !orig.Graded() || len(orig.RedFlags) != 1 || !missed(orig, "low-hit-rate") {
		t.Fatalf("the answer must be graded with one red flag and low-hit-rate missed: %+v", orig)
	}
	first := Sentences(disputeAnswer)[0]
	flag := orig.RedFlags[0].Text
	missedPoint := Dispute{DisputeMissed, "low-hit-rate", first}
	misreading := Dispute{DisputeRedFlag, flag, orig.RedFlags[0].Sentence}
	for _, tc := range []struct {
		name    string
		earlier []Dispute
		d       Dispute
		check   func(t *testing.T, adj Result)
	}{
		{"OK missed point made", nil, missedPoint, func(t *testing.T, adj Result) {
			if missed(adj, "low-hit-rate") {
				t.Error("the disputed point is still missed")
			}
			h := hitOf(adj, "low-hit-rate")
			if h == nil || !h.Disputed || h.Sentence != first || h.Partial || h.Named {
				t.Errorf("the disputed point is not a full hit in the learner's sentence: %+v", h)
			}
			if adj.Dimensions.Depth <= orig.Dimensions.Depth || adj.Dimensions.Accuracy <= orig.Dimensions.Accuracy {
				t.Errorf("depth %v→%v accuracy %v→%v: a point of weight 3 must raise both", orig.Dimensions.Depth, adj.Dimensions.Depth, orig.Dimensions.Accuracy, adj.Dimensions.Accuracy)
			}
			if len(adj.RedFlags) != 1 {
				t.Errorf("the red flag was not disputed and must stay: %+v", adj.RedFlags)
			}
		}},
		{"OK red flag misread", nil, misreading, func(t *testing.T, adj Result) {
			if len(adj.RedFlags) != 0 {
				t.Errorf("red flags %+v", adj.RedFlags)
			}
			if adj.Overall <= orig.Overall || adj.Dimensions.Accuracy <= orig.Dimensions.Accuracy {
				t.Errorf("overall %v→%v accuracy %v→%v: dropping a red flag must lift its penalty and cap", orig.Overall, adj.Overall, orig.Dimensions.Accuracy, adj.Dimensions.Accuracy)
			}
		}},
		{"OK both", []Dispute{misreading}, missedPoint, func(t *testing.T, adj Result) {
			alone, _ := g.Adjust(q, nil, disputeAnswer, orig, nil, misreading)
			if adj.Overall <= alone.Overall || len(adj.RedFlags) != 0 || missed(adj, "low-hit-rate") {
				t.Errorf("both disputes: overall %v (flag alone %v), flags %v", adj.Overall, alone.Overall, adj.RedFlags)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			adj, err := g.Adjust(q, nil, disputeAnswer, orig, tc.earlier, tc.d)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, adj)
			// The grader's own grade of the answer is unchanged.
			again, _ := g.Grade(q, disputeAnswer)
			if !reflect.DeepEqual(again, orig) {
				t.Error("Adjust changed the grader's own grading")
			}
		})
	}
	t.Run("ErrDisputeAlreadyHit", func(t *testing.T) {
		_, err := g.Adjust(q, nil, disputeAnswer, orig, nil, Dispute{DisputeMissed, "hot-key", first})
		if !errors.Is(err, ErrDisputeAlreadyHit) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("ErrDisputeSentence", func(t *testing.T) {
		_, err := g.Adjust(q, nil, disputeAnswer, orig, nil, Dispute{DisputeMissed, "low-hit-rate", "Misses are the problem."})
		if !errors.Is(err, ErrDisputeSentence) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("OK a follow-up's conversation", func(t *testing.T) {
		// The point disputed in the first answer counts in the
		// conversation graded after a follow-up.
		prev := []TurnRecord{{Position: 0, Step: 0, Status: TurnGraded, Answer: disputeAnswer}}
		follow := "Serialization of large values costs time too, about 2 ms per lookup, which is slower than an indexed read."
		conv, err := g.GradeTurn(q, prev, follow)
		if err != nil {
			t.Fatal(err)
		}
		adj, err := g.Adjust(q, prev, follow, conv.Result, nil, missedPoint)
		if err != nil {
			t.Fatal(err)
		}
		if missed(adj, "low-hit-rate") || adj.Overall < conv.Result.Overall {
			t.Errorf("overall %v→%v, misses %+v", conv.Result.Overall, adj.Overall, adj.Misses)
		}
	})
}

func missed(r Result, id string) bool {
	for _, m := range r.Misses {
		if m.ID == id {
			return true
		}
	}
	return false
}

func hitOf(r Result, id string) *Hit {
	for i := range r.Hits {
		if r.Hits[i].ID == id {
			return &r.Hits[i]
		}
	}
	return nil
}

// TestSentencesOfTheBank: Sentences, which splits every answer into one
// recycled doc, finds what a fresh parse of each answer finds, for every
// model and shallow answer of the bank.
func TestSentencesOfTheBank(t *testing.T) {
	for _, q := range loadReal(t).Questions() {
		var want []string
		seen := map[string]bool{}
		for _, a := range []string{q.ModelAnswer, q.ShallowAnswer, q.ModelAnswer} {
			for _, s := range parse(a).sentences {
				if k := sentenceKey(s.text); k != "" && !seen[k] {
					seen[k] = true
					want = append(want, s.text)
				}
			}
		}
		if got := Sentences(q.ModelAnswer, q.ShallowAnswer, q.ModelAnswer); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Sentences = %q, want %q", q.ID, got, want)
		}
	}
}
