package interview

import (
	"errors"
	"strings"
	"testing"

	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/seeds"
)

func engineQuestions(n int) []*grader.Question {
	skills := []string{"databases/locking", "caching/pitfalls", "databases/locking", "apis/rest"}
	out := make([]*grader.Question, n)
	for i := range out {
		skill := skills[i%len(skills)]
		out[i] = &grader.Question{Question: seeds.Question{ID: "q" + string(rune('a'+i)), Skill: skill, Area: strings.SplitN(skill, "/", 2)[0], Prompt: "Question " + string(rune('A'+i))}}
	}
	return out
}

func graded(overall float64, followUp string) grader.Graded {
	return grader.Graded{Status: grader.TurnGraded, FollowUp: followUp, Result: grader.Result{Overall: overall,
		Dimensions: dims(overall, overall, overall, overall, overall, overall)}}
}

var insufficient = grader.Graded{Status: grader.TurnInsufficient}

// step is one action on a round in a table test.
type step struct {
	do       string // answer, grade, skip, end
	pos, stp int
	g        grader.Graded
	wantErr  error
}

func play(t *testing.T, r *Round, steps []step) {
	t.Helper()
	for i, s := range steps {
		var err error
		switch s.do {
		case "answer":
			_, err = r.Answer(s.pos, s.stp, "an answer")
		case "grade":
			_, err = r.Grade(s.pos, s.stp, s.g)
		case "answer+grade":
			if _, err = r.Answer(s.pos, s.stp, "an answer"); err == nil {
				_, err = r.Grade(s.pos, s.stp, s.g)
			}
		case "skip":
			_, err = r.Skip(s.pos, s.stp)
		case "end":
			err = r.End()
		default:
			t.Fatalf("step %d: unknown action %q", i, s.do)
		}
		if !errors.Is(err, s.wantErr) || (err != nil && s.wantErr == nil) {
			t.Fatalf("step %d (%s %d.%d): err %v, want %v", i, s.do, s.pos, s.stp, err, s.wantErr)
		}
	}
}

func TestEngineTransitions(t *testing.T) {
	tests := []struct {
		name      string
		questions int
		steps     []step
		// wantSlot is the current slot; wantOK false when there is none.
		wantSlot grader.Slot
		wantOK   bool
		wantDone bool
		wantPos  int
	}{
		{name: "OK fresh round asks the first question", questions: 2,
			wantSlot: grader.Slot{Position: 0, Step: 0, Prompt: "Question A"}, wantOK: true},
		{name: "OK pending answer keeps its slot current", questions: 2,
			steps:    []step{{do: "answer"}},
			wantSlot: grader.Slot{Position: 0, Step: 0, Prompt: "Question A", Pending: true}, wantOK: true},
		{name: "OK follow-up asked after a graded answer", questions: 2,
			steps:    []step{{do: "answer+grade", g: graded(5, "Why?")}},
			wantSlot: grader.Slot{Position: 0, Step: 1, Prompt: "Why?", FollowUp: true}, wantOK: true},
		{name: "OK no follow-up moves on", questions: 2,
			steps:    []step{{do: "answer+grade", g: graded(9, "")}},
			wantSlot: grader.Slot{Position: 1, Step: 0, Prompt: "Question B"}, wantOK: true, wantPos: 1},
		{name: "OK follow-ups stop at MaxFollowUps", questions: 2,
			steps: []step{
				{do: "answer+grade", g: graded(4, "F1")},
				{do: "answer+grade", stp: 1, g: graded(5, "F2")},
				{do: "answer+grade", stp: 2, g: graded(6, "F3 never asked")},
			},
			wantSlot: grader.Slot{Position: 1, Step: 0, Prompt: "Question B"}, wantOK: true, wantPos: 1},
		{name: "OK insufficient answer asks no follow-up", questions: 2,
			steps:    []step{{do: "answer+grade", g: insufficient}},
			wantSlot: grader.Slot{Position: 1, Step: 0, Prompt: "Question B"}, wantOK: true, wantPos: 1},
		{name: "OK skip moves on", questions: 2,
			steps:    []step{{do: "skip"}},
			wantSlot: grader.Slot{Position: 1, Step: 0, Prompt: "Question B"}, wantOK: true, wantPos: 1},
		{name: "OK skipping a follow-up moves on", questions: 2,
			steps:    []step{{do: "answer+grade", g: graded(5, "F1")}, {do: "skip", stp: 1}},
			wantSlot: grader.Slot{Position: 1, Step: 0, Prompt: "Question B"}, wantOK: true, wantPos: 1},
		{name: "OK last question done", questions: 1,
			steps:    []step{{do: "skip"}},
			wantDone: true, wantPos: 1},
		{name: "ErrStaleSlot answer for a past slot", questions: 2,
			steps:    []step{{do: "skip"}, {do: "answer", wantErr: ErrStaleSlot}},
			wantSlot: grader.Slot{Position: 1, Step: 0, Prompt: "Question B"}, wantOK: true, wantPos: 1},
		{name: "ErrStaleSlot second answer while pending", questions: 2,
			steps:    []step{{do: "answer"}, {do: "answer", wantErr: ErrStaleSlot}, {do: "skip", wantErr: ErrStaleSlot}},
			wantSlot: grader.Slot{Position: 0, Step: 0, Prompt: "Question A", Pending: true}, wantOK: true},
		{name: "ErrStaleSlot grading twice", questions: 2,
			steps:    []step{{do: "answer+grade", g: graded(9, "")}, {do: "grade", g: graded(1, ""), wantErr: ErrStaleSlot}},
			wantSlot: grader.Slot{Position: 1, Step: 0, Prompt: "Question B"}, wantOK: true, wantPos: 1},
		{name: "ErrPending end while an answer waits", questions: 2,
			steps:    []step{{do: "answer"}, {do: "end", wantErr: ErrPending}},
			wantSlot: grader.Slot{Position: 0, Step: 0, Prompt: "Question A", Pending: true}, wantOK: true},
		{name: "ErrRoundOver answer after the end", questions: 2,
			steps: []step{{do: "end"}, {do: "answer", wantErr: ErrRoundOver}, {do: "skip", wantErr: ErrRoundOver}, {do: "end", wantErr: ErrRoundOver}}},
		{name: "ErrRoundOver answer after the last question", questions: 1,
			steps:    []step{{do: "answer+grade", g: graded(9, "")}, {do: "answer", stp: 1, wantErr: ErrRoundOver}},
			wantDone: true, wantPos: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewRound(engineQuestions(tt.questions), nil, false)
			if err != nil {
				t.Fatal(err)
			}
			play(t, r, tt.steps)
			slot, ok := r.Current()
			if ok != tt.wantOK || slot != tt.wantSlot {
				t.Errorf("current %+v %v, want %+v %v", slot, ok, tt.wantSlot, tt.wantOK)
			}
			if r.Done() != tt.wantDone {
				t.Errorf("done %v, want %v", r.Done(), tt.wantDone)
			}
			if r.Position() != tt.wantPos {
				t.Errorf("position %d, want %d", r.Position(), tt.wantPos)
			}
		})
	}
}

func TestEngineTotals(t *testing.T) {
	tests := []struct {
		name   string
		n      int
		steps  []step
		end    bool
		want   RoundTotals
		skills []SkillScore
		finals []int // positions of final turns
	}{
		{name: "OK one answered nine skipped", n: 10,
			steps: append([]step{{do: "answer+grade", g: graded(9, "")}},
				skips(1, 9)...),
			want:   RoundTotals{Overall: 0.9, Dimensions: dims(9, 9, 9, 9, 9, 9), Planned: 10, Answered: 1, Skipped: 9, Complete: true},
			skills: []SkillScore{{"apis/rest", 0}, {"caching/pitfalls", 0}, {"databases/locking", 1.8}},
			finals: []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{name: "OK ended early: unreached questions are not scored", n: 4,
			steps: []step{{do: "answer+grade", g: graded(8, "")}, {do: "skip", pos: 1}}, end: true,
			want:   RoundTotals{Overall: 4, Dimensions: dims(8, 8, 8, 8, 8, 8), Planned: 4, Answered: 1, Skipped: 1, Unreached: 2},
			skills: []SkillScore{{"caching/pitfalls", 0}, {"databases/locking", 8}},
			finals: []int{0, 1}},
		{name: "OK follow-up raises the question's score", n: 1,
			steps:  []step{{do: "answer+grade", g: graded(4, "F1")}, {do: "answer+grade", stp: 1, g: graded(7, "")}},
			want:   RoundTotals{Overall: 7, Dimensions: dims(7, 7, 7, 7, 7, 7), Planned: 1, Answered: 1, Complete: true},
			skills: []SkillScore{{"databases/locking", 7}},
			finals: []int{0}},
		{name: "OK insufficient follow-up keeps the earlier score", n: 1,
			steps:  []step{{do: "answer+grade", g: graded(6, "F1")}, {do: "answer+grade", stp: 1, g: insufficient}},
			want:   RoundTotals{Overall: 6, Dimensions: dims(6, 6, 6, 6, 6, 6), Planned: 1, Answered: 1, Complete: true},
			skills: []SkillScore{{"databases/locking", 6}},
			finals: []int{0}},
		{name: "OK insufficient answer counts 0", n: 2,
			steps:  []step{{do: "answer+grade", g: insufficient}, {do: "answer+grade", pos: 1, g: graded(8, "")}},
			want:   RoundTotals{Overall: 4, Dimensions: dims(8, 8, 8, 8, 8, 8), Planned: 2, Answered: 2, Complete: true},
			skills: []SkillScore{{"caching/pitfalls", 8}, {"databases/locking", 0}},
			finals: []int{0, 1}},
		{name: "OK ended mid-conversation counts the score so far", n: 2,
			steps: []step{{do: "answer+grade", g: graded(5, "F1")}}, end: true,
			want:   RoundTotals{Overall: 5, Dimensions: dims(5, 5, 5, 5, 5, 5), Planned: 2, Answered: 1, Unreached: 1},
			skills: []SkillScore{{"databases/locking", 5}},
			finals: []int{0}},
		{name: "OK nothing answered", n: 3, end: true,
			want: RoundTotals{Planned: 3, Unreached: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewRound(engineQuestions(tt.n), nil, false)
			if err != nil {
				t.Fatal(err)
			}
			play(t, r, tt.steps)
			if tt.end {
				if err := r.End(); err != nil {
					t.Fatal(err)
				}
			}
			if got := r.Totals(); got != tt.want {
				t.Errorf("totals %+v\nwant   %+v", got, tt.want)
			}
			got := r.SkillScores()
			if len(got) != len(tt.skills) {
				t.Fatalf("skills %v, want %v", got, tt.skills)
			}
			for i := range got {
				if got[i] != tt.skills[i] {
					t.Errorf("skill %d: %v, want %v", i, got[i], tt.skills[i])
				}
			}
			var finals []int
			for _, f := range r.FinalTurns() {
				finals = append(finals, f.Position)
			}
			if len(finals) != len(tt.finals) {
				t.Fatalf("final turns at %v, want %v", finals, tt.finals)
			}
			for i := range finals {
				if finals[i] != tt.finals[i] {
					t.Errorf("final turns at %v, want %v", finals, tt.finals)
				}
			}
		})
	}
}

func skips(from, n int) []step {
	out := make([]step, n)
	for i := range out {
		out[i] = step{do: "skip", pos: from + i}
	}
	return out
}

func TestEngineRebuildsFromStoredTurns(t *testing.T) {
	qs := engineQuestions(3)
	stored := []grader.TurnRecord{
		{Position: 0, Step: 1, Status: grader.TurnGraded, Prompt: "F1", Overall: 7},
		{Position: 0, Step: 0, Status: grader.TurnGraded, Prompt: "Question A", Overall: 4, FollowUp: "F1"},
		{Position: 1, Step: 0, Status: grader.TurnPending, Prompt: "Question B", Answer: "saved"},
	}
	r, err := NewRound(qs, stored, false)
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := r.Pending(); !ok || p.Position != 1 || p.Answer != "saved" {
		t.Errorf("pending %+v %v", p, ok)
	}
	if slot, _ := r.Current(); slot.Position != 1 || !slot.Pending {
		t.Errorf("current %+v", slot)
	}
	if got := r.Previous(0, 1); len(got) != 1 || got[0].Step != 0 {
		t.Errorf("previous %+v", got)
	}
	if _, err := NewRound(qs, []grader.TurnRecord{{Position: 3}}, false); err == nil {
		t.Error("a turn past the plan should be refused")
	}
}

// dims builds dimensions from values in DimensionNames' order.
func dims(vs ...float64) grader.Dimensions {
	var d grader.Dimensions
	for i, n := range grader.DimensionNames {
		d.Set(n, vs[i])
	}
	return d
}
