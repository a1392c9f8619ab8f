package grader

import "testing"

const (
	coveringID  = "db-covering-vs-single-column-index"
	jargonOnly  = "Index-only scans, INCLUDE columns, a bigger index, hot queries and the visibility map all play a role here, along with vacuum."
	plainAnswer = "Normally the database finds the rows through the index and then has to go to the table to fetch the other columns, like looking up a book in a library catalogue and then walking to the shelf. If the index already stores the columns the query wants, the query gets everything without that trip, which saves a lot of slow random reads."
)

func TestKindOf(t *testing.T) {
	for _, c := range []struct {
		prompt string
		want   FollowUpKind
	}{
		{plainWordsPrompt("a covering index"), FollowUpPlainWords},
		{redirectLead + "What is a covering index?", FollowUpRedirect},
		{"What happens when the table doubles?", FollowUpGap},
		{"Explain how you would shard it.", FollowUpGap},
	} {
		if got := KindOf(c.prompt); got != c.want {
			t.Errorf("KindOf(%q) = %s, want %s", c.prompt, got, c.want)
		}
		if term, ok := ProbeTerm(c.prompt); ok != (c.want == FollowUpPlainWords) || ok && term != "a covering index" {
			t.Errorf("ProbeTerm(%q) = %q, %v", c.prompt, term, ok)
		}
	}
}

// The probe fires on names without explanations, and not on an answer
// that explains itself.
func TestPlainWordsProbeFires(t *testing.T) {
	b := loadReal(t)
	g := NewGrader(b)
	q, _ := b.Question(coveringID)
	named, err := g.Grade(q, jargonOnly)
	if err != nil {
		t.Fatal(err)
	}
	if KindOf(named.FollowUp) != FollowUpPlainWords {
		t.Fatalf("names without explanations: follow-up %q, want the plain-words probe", named.FollowUp)
	}
	if want := plainWordsPrompt("index-only scans"); named.FollowUp != want {
		t.Errorf("probe %q, want %q (the heaviest point named, in the candidate's words)", named.FollowUp, want)
	}
	explained, _ := g.Grade(q, q.ModelAnswer)
	if KindOf(explained.FollowUp) == FollowUpPlainWords {
		t.Errorf("the model answer is probed for plain words: %q", explained.FollowUp)
	}
}

// A plain explanation with an analogy earns the point; the jargon said
// again, or "I don't know", earns nothing; the probe is asked once.
func TestPlainWordsProbeJudged(t *testing.T) {
	b := loadReal(t)
	g := NewGrader(b)
	q, _ := b.Question(coveringID)
	for _, c := range []struct {
		name      string
		answer    string
		explained bool
	}{
		{"plain words and an analogy", plainAnswer, true},
		{"jargon repeated", "An index-only scan is an index-only scan: the index only scan scans the index, so it is index only, because of the index-only scan and INCLUDE columns.", false},
		{"don't know", "I don't know, sorry.", false},
		{"plain but off the point", "Think of it like a birthday party where everybody brings cake and the music plays all night long, because people enjoy dancing together.", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			conv, err := g.GradeConversation(q, []string{jargonOnly, c.answer})
			if err != nil {
				t.Fatal(err)
			}
			turn := conv.Turns[1]
			if turn.Probe != FollowUpPlainWords || KindOf(turn.Asked) != FollowUpPlainWords {
				t.Fatalf("turn 2 replies to %q (probe %q), want the plain-words probe", turn.Asked, turn.Probe)
			}
			if turn.Explained != c.explained {
				t.Errorf("explained %v, want %v", turn.Explained, c.explained)
			}
			first := conv.Turns[0].Overall
			if c.explained {
				if turn.Contribution <= 0 || conv.Overall <= first {
					t.Errorf("explained, but the score went %.1f -> %.1f", first, conv.Overall)
				}
				for _, h := range conv.Hits {
					if h.ID == "index-only-scan" && h.Named {
						t.Errorf("the point is still only named after a plain explanation")
					}
				}
			} else if conv.Overall != first || turn.Contribution != 0 {
				t.Errorf("not explained, but the score went %.1f -> %.1f", first, conv.Overall)
			}
			if KindOf(conv.FollowUp) == FollowUpPlainWords {
				t.Errorf("the probe is asked twice: %q", conv.FollowUp)
			}
		})
	}
}

// In a round, the answer to the probe is judged in its conversation even
// when, alone, it reads as off the topic.
func TestPlainWordsProbeInARound(t *testing.T) {
	b := loadReal(t)
	g := NewGrader(b)
	q, _ := b.Question(coveringID)
	first, err := g.GradeTurn(q, nil, jargonOnly)
	if err != nil {
		t.Fatal(err)
	}
	if KindOf(first.FollowUp) != FollowUpPlainWords {
		t.Fatalf("follow-up %q, want the probe", first.FollowUp)
	}
	prev := []TurnRecord{{Position: 0, Step: 0, Status: first.Status, Answer: jargonOnly, FollowUp: first.FollowUp, Overall: first.Result.Overall}}
	second, err := g.GradeTurn(q, prev, plainAnswer)
	if err != nil {
		t.Fatal(err)
	}
	if second.Status != TurnGraded || second.Result.Overall <= first.Result.Overall {
		t.Errorf("probe answered in plain words: %s %.1f, want graded above %.1f", second.Status, second.Result.Overall, first.Result.Overall)
	}
}
