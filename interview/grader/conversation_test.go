package grader

import (
	"strings"
	"testing"
)

func TestConversationEngine(t *testing.T) {
	g, q := testQuestion(t)
	const (
		shallow  = "I'd use CONCURRENTLY so the table keeps taking writes while the index builds."
		wrong    = "A plain CREATE INDEX doesn't block anything, so I'd just run it in the migration at noon because it is simple."
		invalid  = "If the build fails it leaves an invalid index behind, so I check indisvalid, drop and retry, because it still costs writes."
		fixed    = "I was wrong earlier: a plain CREATE INDEX blocks writes for the whole build, so I'd use CONCURRENTLY because writes keep flowing, and check for an invalid index after."
		offTopic = "I would put a token bucket in Redis for every API key, refill it each second, and return 429 with Retry-After when it runs dry."
	)
	grade := func(answers ...string) ConversationResult {
		t.Helper()
		c, err := g.GradeConversation(q, answers)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	first := grade(shallow)
	if first.FollowUp != "What if the build fails halfway?" {
		t.Errorf("follow-up after a shallow answer %q, want the one for the heaviest missed point", first.FollowUp)
	}

	// A follow-up earns the key points it adds, and no more.
	two := grade(shallow, invalid)
	if two.Overall <= first.Overall {
		t.Errorf("a follow-up that adds a key point: %.1f, first answer %.1f", two.Overall, first.Overall)
	}
	if gain := two.Overall - first.Overall; gain > followUpGain*2/9+0.05 {
		t.Errorf("a follow-up adding weight 2 of 9 gained %.1f", gain)
	}
	if got := two.Turns[1].NewPoints; len(got) != 1 || got[0] != "invalid" {
		t.Errorf("new points %v, want [invalid]", got)
	}
	if strings.Contains(two.FollowUp, "fails halfway") {
		t.Error("asked again about a point already made")
	}

	// "I don't know" never raises a score.
	dk := grade(shallow, "I'm not sure, I think it just keeps working?")
	if dk.Overall > first.Overall || dk.Turns[1].Status != StatusInsufficient {
		t.Errorf("'not sure' follow-up: %.1f (%s), first answer %.1f", dk.Overall, dk.Turns[1].Status, first.Overall)
	}

	// A contradiction is not lifted by a good follow-up, unless corrected.
	w := grade(wrong)
	locked := grade(wrong, invalid)
	if locked.Overall > w.Overall || !locked.Turns[1].Locked {
		t.Errorf("contradiction %.1f lifted to %.1f by a follow-up (locked %v)", w.Overall, locked.Overall, locked.Turns[1].Locked)
	}
	corrected := grade(wrong, fixed)
	if !corrected.Turns[1].Corrected || corrected.Overall <= w.Overall {
		t.Errorf("an explicit correction: corrected %v, %.1f from %.1f", corrected.Turns[1].Corrected, corrected.Overall, w.Overall)
	}
	if len(corrected.Contradictions) != 0 {
		t.Errorf("the corrected claim still counts: %+v", corrected.Contradictions)
	}

	// After an off-topic answer the interviewer redirects; what follows
	// does not lift it.
	off := grade(offTopic)
	if !strings.HasPrefix(off.FollowUp, redirectLead) || !strings.HasSuffix(off.FollowUp, q.Prompt) {
		t.Errorf("after an off-topic answer the interviewer asks %q, want a redirect", off.FollowUp)
	}
	if got := overallOf(grade(offTopic, q.ModelAnswer).Result); got > 3 {
		t.Errorf("off-topic + the model answer = %.1f", got)
	}
}

// TestShortLineAsksForMore: a line too short to place is not called off
// the question: the interviewer asks for more, and a full answer after it
// earns its points instead of being held at the off-topic hold. A line
// long enough to be about something else still is.
func TestShortLineAsksForMore(t *testing.T) {
	g := NewGrader(loadReal(t))
	q := mustQ(t, "db-check-constraints-vs-validation")
	const short = "Hard rules in the database, user-facing checks in the app."
	first, err := g.GradeTurn(q, nil, short)
	if err != nil {
		t.Fatal(err)
	}
	if first.Status != string(StatusInsufficient) || !strings.HasPrefix(first.Result.Reason, "Too short to tell") {
		t.Errorf("a short line: %s %q, want insufficient, too short to tell", first.Status, first.Result.Reason)
	}
	if first.FollowUp != expandLead+q.Prompt {
		t.Errorf("after a short line the interviewer asks %q, want %q", first.FollowUp, expandLead+q.Prompt)
	}
	prev := []TurnRecord{{Step: 0, Status: first.Status, Prompt: q.Prompt, Answer: short, FollowUp: first.FollowUp}}
	full, err := g.GradeTurn(q, prev, q.ModelAnswer)
	if err != nil {
		t.Fatal(err)
	}
	if full.Result.Overall <= capOffTopic+1 || full.FollowUp == first.FollowUp {
		t.Errorf("the model answer after a short line: %.1f (caps %q), next %q", full.Result.Overall, full.Result.Caps, full.FollowUp)
	}
	conv, err := g.GradeConversation(q, []string{short})
	if err != nil {
		t.Fatal(err)
	}
	if conv.FollowUp != first.FollowUp {
		t.Errorf("GradeConversation asks %q after a short line, GradeTurn %q", conv.FollowUp, first.FollowUp)
	}

	// Long enough to be about something else: redirected, and held.
	const off = "I would put a token bucket in Redis for every API key, refill it each second, and return 429 with Retry-After when it runs dry."
	o, err := g.GradeTurn(q, nil, off)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(o.FollowUp, redirectLead) {
		t.Errorf("after an off-topic answer the interviewer asks %q, want a redirect", o.FollowUp)
	}
	prev = []TurnRecord{{Step: 0, Status: o.Status, Prompt: q.Prompt, Answer: off, FollowUp: o.FollowUp}}
	held, err := g.GradeTurn(q, prev, q.ModelAnswer)
	if err != nil {
		t.Fatal(err)
	}
	if held.Result.Overall > capOffTopic {
		t.Errorf("the model answer after an off-topic one: %.1f, want at most %v", held.Result.Overall, capOffTopic)
	}
}
