package grader

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func mustQ(t testing.TB, id string) *Question {
	t.Helper()
	q, ok := loadReal(t).Question(id)
	if !ok {
		t.Fatalf("no question %s", id)
	}
	return q
}

func TestGradeInsufficient(t *testing.T) {
	g := NewGrader(loadReal(t))
	q := mustQ(t, "cache-when-slower")
	for name, answer := range map[string]string{
		"empty":     "   \n ",
		"dont-know": "Honestly, I don't know.",
		"gibberish": "asdf qwkj zxcvb plmokn ghjkl",
		"too-short": "Hmm.",
		"no-idea":   "No idea, sorry",
		"keyboard":  "jjjjjjj kkkkkkk lllllll",
	} {
		t.Run(name, func(t *testing.T) {
			r, err := g.Grade(q, answer)
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != StatusInsufficient || r.Reason == "" {
				t.Fatalf("status %s reason %q overall %v", r.Status, r.Reason, r.Overall)
			}
			if r.Overall != 0 || r.Dimensions != (Dimensions{}) || r.FollowUp != "" {
				t.Errorf("an insufficient answer must carry no scores: %+v", r)
			}
			if len(r.Misses) != len(q.KeyPoints) {
				t.Errorf("misses %d, want every key point", len(r.Misses))
			}
		})
	}
}

// An admission decides an answer only when it is the answer: opening with
// it and then guessing is insufficient at any length; a long answer that
// makes a point first and later says "no idea how that went" of an aside
// is graded.
func TestDontKnowAside(t *testing.T) {
	g := NewGrader(loadReal(t))
	q := mustQ(t, "cache-when-slower")
	story := "At my last job we put Redis in front of a service that was already fast, and it got slower, because every request now paid a network round trip to the cache before falling through to a database that answered in a millisecond anyway. " +
		"The team that owned that service was reorganised the next spring, half of them moved to the payments group, the office moved across town, and the rest of us spent the summer on a new mobile app and a long migration of the build system, "
	for name, c := range map[string]struct {
		answer       string
		insufficient bool
	}{
		"aside after a point": {story + "and I have no idea how that went.", false},
		"admission first":     {"I don't know this one, honestly. " + story + "and we never looked at it again.", true},
		"short admission":     {"No idea, maybe a hot key?", true},
		// Not having done it is an admission too, and the guess after it
		// is not knowledge.
		"never worked with it": {"Honestly I haven't really worked with caches like that. I think a cache adds a network hop to every read, so a fast database gets slower? I'd probably just measure it.", true},
		"asked back":           {"I'm not sure about this one. With a low hit rate most requests pay for the cache lookup and then the database anyway? That's my guess.", true},
		// A point said as a guess beside the admission is a guess too;
		// so is one beside "I couldn't tell you".
		"said as a guess":       {"I don't really know when that happens. I've mostly used caches that helped, so I'd just guess a cache adds a network hop to every read, a low hit rate means most requests pay for the lookup and the database, and a hot key can overload one node.", true},
		"couldn't tell you":     {"Something about a network hop to every read making a fast database slower, but I couldn't tell you the details.", true},
		"a guess, no admission": {"I'd guess the main case is a cache that adds a network hop to every read, so a database that already answers in a millisecond gets slower; a low hit rate makes it worse.", false},
	} {
		r, err := g.Grade(q, c.answer)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Status == StatusInsufficient; got != c.insufficient {
			t.Errorf("%s: insufficient = %v, want %v (overall %.1f, hits %d)", name, got, c.insufficient, r.Overall, len(r.Hits))
		}
	}
	// A point said in other words is a point made: the aside after it
	// does not decline the question either.
	d := parse(story + "and I have no idea how that went.")
	d.resolve(g.bank.vocab)
	lex := scanLexicon(d)
	for _, c := range []struct {
		hit  Hit
		want bool
	}{
		{Hit{ID: "extra-hop", Weight: 2, Partial: true}, false},
		{Hit{ID: "extra-hop", Weight: 2, Named: true}, true}, // a name alone says nothing
	} {
		reason := g.insufficient(q, d, g.classify(d), lex, Result{Hits: []Hit{c.hit}})
		if got := reason != ""; got != c.want {
			t.Errorf("%+v: insufficient = %v (%q), want %v", c.hit, got, reason, c.want)
		}
	}
}

func TestGradeEvidence(t *testing.T) {
	g := NewGrader(loadReal(t))
	q := mustQ(t, "cache-read-volume-tripled")
	r, err := g.Grade(q, q.ModelAnswer)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusGraded || r.Grader != GraderRubric || r.QuestionID != q.ID {
		t.Fatalf("%+v", r)
	}
	for _, h := range r.Hits {
		if h.Sentence == "" || !strings.Contains(q.ModelAnswer, h.Sentence) {
			t.Errorf("hit %s carries sentence %q, not from the answer", h.ID, h.Sentence)
		}
	}
	if r.Beats.Claim == "" || r.Beats.Reasoning == "" || r.Beats.Tradeoff == "" {
		t.Errorf("a model answer has all three beats: %+v", r.Beats)
	}
	if len(r.Hits)+len(r.Misses) != len(q.KeyPoints) {
		t.Errorf("hits %d + misses %d != %d key points", len(r.Hits), len(r.Misses), len(q.KeyPoints))
	}
	// The overall weighs depth and tradeoffs most: dropping the tradeoff
	// sentence from an answer costs more than dropping filler words would.
	shallow, _ := g.Grade(q, "Yeah, we'd cache it.")
	if shallow.Dimensions.Depth >= r.Dimensions.Depth || shallow.Dimensions.Tradeoffs >= r.Dimensions.Tradeoffs {
		t.Errorf("shallow depth/tradeoffs %v/%v vs model %v/%v", shallow.Dimensions.Depth, shallow.Dimensions.Tradeoffs, r.Dimensions.Depth, r.Dimensions.Tradeoffs)
	}
}

func TestRedFlagRefutedIsNotFlagged(t *testing.T) {
	g := NewGrader(loadReal(t))
	q := mustQ(t, "python-asyncio-vs-threads")
	stated, _ := g.Grade(q, "Threads are always faster than asyncio because each thread gets its own core.")
	refuted, _ := g.Grade(q, "People think each thread gets its own core, but that is a myth: the GIL means it is not true for CPU work.")
	if len(stated.RedFlags) == 0 {
		t.Fatal("the stated misconception was not flagged")
	}
	if len(refuted.RedFlags) >= len(stated.RedFlags) {
		t.Errorf("refuting a misconception was flagged like stating it: %v", refuted.RedFlags)
	}
}

func TestFollowUpTargetsHeaviestMiss(t *testing.T) {
	g := NewGrader(loadReal(t))
	for _, q := range loadReal(t).Questions()[:40] {
		r, _ := g.Grade(q, q.ShallowAnswer)
		if !r.Graded() || KindOf(r.FollowUp) == FollowUpPlainWords {
			continue // names without explanations are probed first
		}
		// A key point not fully made is a gap: missed, or only touched on.
		heaviest := 0
		gaps := map[string]int{}
		for _, m := range r.Misses {
			gaps[m.ID] = m.Weight
		}
		for _, h := range r.Hits {
			if h.Partial {
				gaps[h.ID] = h.Weight
			}
		}
		for id, w := range gaps {
			for _, f := range q.FollowUps {
				if f.IfMissing == id && w > heaviest {
					heaviest = w
				}
			}
		}
		if heaviest == 0 {
			continue
		}
		if r.FollowUpTarget == "" {
			t.Errorf("%s: a miss with a follow-up, but no follow-up chosen", q.ID)
			continue
		}
		for _, kp := range q.KeyPoints {
			if kp.ID == r.FollowUpTarget && kp.Weight != heaviest {
				t.Errorf("%s: follow-up targets %s (weight %d), the heaviest gap weighs %d", q.ID, kp.ID, kp.Weight, heaviest)
			}
		}
	}
}

func TestFollowUpNoneWhenComplete(t *testing.T) {
	g := NewGrader(loadReal(t))
	q := mustQ(t, "api-pagination")
	r, _ := g.Grade(q, q.ModelAnswer)
	if len(r.Misses) == 0 && r.Overall >= completeAt && r.FollowUp != "" {
		t.Errorf("a complete answer got a follow-up: %q", r.FollowUp)
	}
	// Already asked follow-ups are not asked again.
	s, _ := g.Grade(q, q.ShallowAnswer)
	first, _ := NextFollowUp(q, s, nil)
	second, _ := NextFollowUp(q, s, []string{first})
	if first == "" || first == second {
		t.Errorf("follow-ups %q then %q", first, second)
	}
}

func TestGradeDeterministic(t *testing.T) {
	g := NewGrader(loadReal(t))
	q := mustQ(t, "db-isolation-ledger-vs-feed")
	a, _ := g.Grade(q, q.ModelAnswer)
	for range 20 {
		b, _ := g.Grade(q, q.ModelAnswer)
		if !reflect.DeepEqual(a, b) {
			t.Fatal("the same answer graded twice gave different results")
		}
	}
}

func TestGradeTooLong(t *testing.T) {
	g := NewGrader(loadReal(t))
	q := mustQ(t, "api-pagination")
	if _, err := g.Grade(q, strings.Repeat("é", MaxAnswerChars)); err != nil {
		t.Errorf("20,000 characters must be accepted: %v", err)
	}
	if _, err := g.Grade(q, strings.Repeat("a", MaxAnswerChars+1)); err != ErrAnswerTooLong {
		t.Errorf("over the limit: %v", err)
	}
}

func TestParseSentences(t *testing.T) {
	d := parse("I'd use e.g. Redis with a 1.5 s TTL. Then warm it!\nNew line here? Yes")
	var got []string
	for _, s := range d.sentences {
		got = append(got, s.text)
	}
	want := []string{"I'd use e.g. Redis with a 1.5 s TTL.", "Then warm it!", "New line here?", "Yes"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sentences %q", got)
	}
}

// A line break ends a sentence unless the next line goes on in lower case,
// as hard-wrapped prose does: "for\nexample" is still an example.
func TestSoftWrappedLines(t *testing.T) {
	for _, c := range []struct {
		text      string
		sentences int
	}{
		{"A plain CREATE INDEX blocks writes for\nthe whole build, so I use CONCURRENTLY.", 1},
		{"Pros:\nFast reads\nCheap to run", 3},
		{"First point\n\nsecond paragraph", 2},
		{"- use a queue\n- add retries", 2},
	} {
		if got := len(parse(c.text).sentences); got != c.sentences {
			t.Errorf("%q: %d sentences, want %d", c.text, got, c.sentences)
		}
	}
}

func TestPhraseMatching(t *testing.T) {
	tests := []struct {
		phrase, text string
		want         bool
	}{
		{"hot key", "a hot-key problem", true},
		{"hot key", "Hot keys!", true},
		{"hot key", "shot keyboard", false},
		{"cache", "we cached it", true},
		{"cache", "caching layer", true},
		{"fix", "switching to uuids fixes it", true}, // -es after x
		{"fix", "it was fixed", true},
		{"replica", "two read replicas", true},
		{"invalidat*", "invalidation on write", true},
		{"read your writes", "read-your-writes consistency", true},
		{"select for update", "SELECT ... FOR UPDATE", false},
		{"index", "the indexes were bloated", true},
		{"event id", "we track event IDs", true}, // a short acronym's plural
		{"pass ids", "I pass IDs, not objects", true},
		{"per ip", "limits on IPs", false},
	}
	for _, tt := range tests {
		p := compilePhrase(tt.phrase) // interns its words before the text is resolved
		if got := parse(tt.text).find(p) >= 0; got != tt.want {
			t.Errorf("%q in %q: %v", tt.phrase, tt.text, got)
		}
	}
}

// FuzzGrade: any input up to the limit grades without panicking, with
// every score in 0–10, the same way twice.
func FuzzGrade(f *testing.F) {
	b, err := LoadBank()
	if err != nil {
		f.Fatal(err)
	}
	g := NewGrader(b)
	qs := b.Questions()
	for _, seed := range []string{
		"", "I don't know", "Yeah, we'd cache it.", qs[0].ModelAnswer, "e.g. e.g. ... 1.2.3 !!! ???",
		"日本語の回答です。キャッシュを使います。", "\x00\xff\xfe", "'''' \"\" ’’ -- ** __", strings.Repeat("why because ", 500),
		"SELECT * FROM t WHERE id = ? FOR UPDATE; -- always faster",
	} {
		f.Add(seed, uint16(0))
	}
	f.Fuzz(func(t *testing.T, answer string, qi uint16) {
		q := qs[int(qi)%len(qs)]
		r, err := g.Grade(q, answer)
		if utf8.RuneCountInString(answer) > MaxAnswerChars {
			if err == nil {
				t.Fatal("an over-long answer was accepted")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []float64{r.Overall, r.Dimensions.Accuracy, r.Dimensions.Depth, r.Dimensions.Tradeoffs,
			r.Dimensions.Structure, r.Dimensions.Specificity, r.Dimensions.Communication} {
			if v < 0 || v > 10 || v != v {
				t.Fatalf("score %v out of 0–10", v)
			}
		}
		again, _ := g.Grade(q, answer)
		if !reflect.DeepEqual(r, again) {
			t.Fatal("not deterministic")
		}
	})
}

// TestGradeTurnNeverRepeatsAFollowUp: a follow-up answer that still misses
// the point gets the next follow-up, not the same one again.
func TestGradeTurnNeverRepeatsAFollowUp(t *testing.T) {
	g := NewGrader(loadReal(t))
	q := mustQ(t, "python-asyncio-vs-threads")
	first, err := g.GradeTurn(q, nil, q.ShallowAnswer)
	if err != nil || first.FollowUp == "" {
		t.Fatalf("a shallow answer should get a follow-up: %v %+v", err, first)
	}
	prev := []TurnRecord{{Step: 0, Status: first.Status, Prompt: q.Prompt, Answer: q.ShallowAnswer, FollowUp: first.FollowUp}}
	second, err := g.GradeTurn(q, prev, "I am not sure, it depends on the workload.")
	if err != nil {
		t.Fatal(err)
	}
	if second.FollowUp == first.FollowUp {
		t.Errorf("the follow-up %q was asked twice", first.FollowUp)
	}
}

// A key point named in a sentence that states a misconception is not
// credited: the sentence is evidence of the misconception, not of the
// point.
func TestWrongSentenceEarnsNoPoint(t *testing.T) {
	g := NewGrader(loadReal(t))
	q := mustQ(t, "cache-when-slower")
	hitIn := func(answer string) bool {
		t.Helper()
		r, err := g.Grade(q, answer)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range r.Hits {
			if h.ID == "hot-key" {
				return true
			}
		}
		return false
	}
	const point = "One hot key concentrates the load on a single cache node, so that node saturates."
	if !hitIn(point + " A cache layer adds a network hop to every request.") {
		t.Fatal("the hot key point is not credited on its own")
	}
	wrong := "One hot key concentrates the load on a single cache node, which is fine because a cache is always faster than the database."
	r, _ := g.Grade(q, wrong+" A cache layer adds a network hop to every request.")
	if len(r.RedFlags) == 0 {
		t.Fatalf("the misconception is not flagged: %+v", r.RedFlags)
	}
	if hitIn(wrong + " A cache layer adds a network hop to every request.") {
		t.Error("a key point stated inside a misconception was credited")
	}
}

// A point told inside a story is this question's answer, diluted: a long
// answer with anecdotes and asides around two key points is capped, not
// called off the question, while another question's answer still is.
func TestStoryAroundThePoint(t *testing.T) {
	g := NewGrader(loadReal(t))
	q := mustQ(t, "cache-when-slower")
	core := "We had put Redis in front of a service that was already fast, and it got slower, because every request now paid a network round trip to the cache before falling through to a database that answered in a millisecond anyway. " +
		"Then during one big sale a single hot key for the headline show took almost all the traffic on one node, and that node fell over while the rest of the cluster sat idle."
	story := "Oh, caches, that takes me back. At my last job we ran a ticketing site for concerts, and the marketing team loved flash sales, which were chaos every single time, with the whole office watching the dashboards and ordering pizza at midnight. We had put Redis in front of a service that was already fast, and it got slower, because every request now paid a network round trip to the cache before falling through to a database that answered in a millisecond anyway. Then during one big sale a single hot key for the headline show took almost all the traffic on one node, and that node fell over while the rest of the cluster sat idle. The band was great, I went to the show afterwards, and the venue had terrible parking, so we took the tram home."
	longStory := "Oh, caches, that takes me back. At my last job we ran a ticketing site for concerts, and the marketing team loved flash sales, which were chaos every single time, with the whole office watching the dashboards and ordering pizza at midnight while the founders argued about the colour of the buy button and whether the mascot should wear a hat. We had put Redis in front of a service that was already fast, and it got slower, because every request now paid a network round trip to the cache before falling through to a database that answered in a millisecond anyway. Then during one big sale a single hot key for the headline show took almost all the traffic on one node, and that node fell over while the rest of the cluster sat idle. The band was great, I went to the show afterwards with two friends from the design team, the venue had terrible parking, the support act was a folk trio from the coast, and we took the last tram home through the rain, which broke down twice, so we walked the final mile past the harbour and the old fish market singing badly."
	grade := func(answer string) Result {
		t.Helper()
		r, err := g.Grade(q, answer)
		if err != nil || r.Status != StatusGraded {
			t.Fatalf("status %s, err %v", r.Status, err)
		}
		return r
	}
	for name, answer := range map[string]string{"story": story, "long story": longStory} {
		r := grade(answer)
		if r.Overall <= capOffTopic || r.Overall > capDiluted || len(r.Hits) < 2 {
			t.Errorf("%s: overall %.1f with %d hits, want above %.1f and at most %.1f (caps %q)", name, r.Overall, len(r.Hits), capOffTopic, capDiluted, r.Caps)
		}
	}
	if r := grade(story); !slices.Contains(r.Caps, dilutedWhy) {
		t.Errorf("story: caps %q, want %q", r.Caps, dilutedWhy)
	}
	if r := grade(core); r.Overall <= capDiluted {
		t.Errorf("the points without the story: overall %.1f, want above %.1f (caps %q)", r.Overall, capDiluted, r.Caps)
	}
	other := mustQ(t, "sec-password-storage")
	if r := grade(other.ModelAnswer); r.Overall > capOffTopic {
		t.Errorf("another question's model answer: overall %.1f, want at most %.1f", r.Overall, capOffTopic)
	}
}

// A brief answer, however right and however many sentences, leaves no
// room for why, what it costs and an example: it is capped like a shallow
// one, and the same points explained at length are not.
func TestBriefAnswerCapped(t *testing.T) {
	g := NewGrader(loadReal(t))
	q := mustQ(t, "cache-when-slower")
	brief := "A cache adds a network hop to every read, so a database that answers in a millisecond gets slower. " +
		"A hot key overloads one node, and with a low hit rate most reads pay for both the cache and the database."
	r, err := g.Grade(q, brief)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) < 2 || r.Overall > capBrief {
		t.Errorf("brief answer: overall %.1f with %d hits, want at most %.1f", r.Overall, len(r.Hits), capBrief)
	}
	// Three sentences in some fifty words are still brief.
	three := "A cache adds a network hop to every read, so a database that already answers in about a millisecond gets slower overall. " +
		"A hot key overloads one cache node while the others sit idle. " +
		"And with a low hit rate most reads pay for both the cache lookup and the database query, which is worse than no cache."
	if r, _ := g.Grade(q, three); r.Words >= briefWords || r.Overall > capBrief {
		t.Errorf("three brief sentences (%d words): overall %.1f, want at most %.1f", r.Words, r.Overall, capBrief)
	}
	if r, _ := g.Grade(q, q.ModelAnswer); r.Overall <= capBrief {
		t.Errorf("model answer: overall %.1f, want above %.1f", r.Overall, capBrief)
	}
}

// An answer to another question of the bank is off this one even when it
// shares enough words to look on topic: a pagination answer asked about
// idempotent retries says "twice" and "request" but fits the pagination
// question far better.
func TestAnswerToAnotherQuestion(t *testing.T) {
	g := NewGrader(loadReal(t))
	q := mustQ(t, "api-idempotent-retries")
	pagination := "For list endpoints I'd page with a cursor, not OFFSET. OFFSET 200000 makes the database read and discard two hundred thousand rows, so deep pages keep getting slower, and rows inserted between two requests make items get skipped or shown twice. Instead, order by a stable unique pair such as (created_at, id) and hand back an opaque cursor that encodes the last row's values; the next request asks for the rows after that pair, which an index on the two columns serves directly. I'd cap the page size at 100, send a null next_cursor on the final page, and base64-encode the cursor so clients can't depend on its format."
	chatty := "Honestly, at my last job we had this exact thing, basically, and anyway, we had a long argument about it. " + pagination
	for name, answer := range map[string]string{"plain": pagination, "chatty": chatty} {
		r, err := g.Grade(q, answer)
		if err != nil {
			t.Fatal(err)
		}
		if r.Overall > capOffTopic {
			t.Errorf("%s pagination answer to %s: overall %.1f, want at most %.1f (caps %q)", name, q.ID, r.Overall, capOffTopic, r.Caps)
		}
	}
	if r, _ := g.Grade(mustQ(t, "api-pagination"), pagination); r.Overall <= capBrief {
		t.Errorf("the same answer to api-pagination: overall %.1f, want above %.1f", r.Overall, capBrief)
	}
}

// The bank's word-to-question lists agree with every question's topic.
func TestQuestionsWith(t *testing.T) {
	b := loadReal(t)
	for id := int32(0); int(id) < b.vocab.size(); id++ {
		got := b.questionsWith(id)
		n := 0
		for qi, q := range b.questions {
			if q.topicIDs.has(id) {
				if n >= len(got) || got[n] != int32(qi) {
					t.Fatalf("word %q: questions %v, want question %d (%s) at %d", b.vocab.words[id], got, qi, q.ID, n)
				}
				n++
			}
		}
		if n != len(got) {
			t.Fatalf("word %q: %d questions listed, want %d", b.vocab.words[id], len(got), n)
		}
	}
}

// An expert who covers the rubric at length, explains and gives specifics
// throughout is not held under capOneMissing for never saying "tradeoff";
// a shorter answer with the same profile is.
func TestThoroughAnswerNeedsNoTradeoffWord(t *testing.T) {
	dm := Dimensions{Accuracy: 10, Depth: 10, Tradeoffs: 4, Structure: 9, Specificity: 10, Communication: 10}
	s := signals{words: 260, sentences: 12, coverage: 0.9, fullHits: 5, onTopic: true, reasoning: 4, specifics: 8, concrete: 3, stopShare: 0.4}
	if !thorough(s) {
		t.Fatalf("signals %+v should be thorough", s)
	}
	if got, _, _ := overall(dm, s, 0, false); got <= capOneMissing {
		t.Errorf("thorough answer without a tradeoff word: overall %.1f, want above %.1f", got, capOneMissing)
	}
	s.words = 120
	if got, _, _ := overall(dm, s, 0, false); got > capOneMissing {
		t.Errorf("short answer without a tradeoff word: overall %.1f, want at most %.1f", got, capOneMissing)
	}
}

// A dense answer that makes the whole rubric, explained, with nothing
// wrong, is good however short and whatever its tradeoff and structure
// dimensions say, and so is one that makes every point, a few of them in
// its own words; one that gets a point wrong or leaves some out is not
// lifted.
func TestCompleteAnswerFloor(t *testing.T) {
	dm := Dimensions{Accuracy: 10, Depth: 7.5, Tradeoffs: 0, Structure: 4, Specificity: 4, Communication: 10}
	base := signals{words: 75, sentences: 4, coverage: 0.9, confirmed: 0.9, fullHits: 4, onTopic: true, specifics: 3, concrete: 1, stopShare: 0.4}
	for _, c := range []struct {
		name     string
		change   func(*signals)
		redFlags int
		want     float64 // the least it scores; 0: not lifted, under completeFloor
	}{
		{"complete", func(*signals) {}, 0, completeFloor},
		{"whole, with a tradeoff", func(s *signals) { s.coverage, s.confirmed, s.fullHits, s.strongTradeoff = 1, 1, 5, 1 }, 0, wholeFloor},
		{"a point left out", func(s *signals) { s.coverage, s.missed = 0.7, 1 }, 0, 0},
		{"named, not explained", func(s *signals) { s.fullHits = 2 }, 0, 0},
		{"inferred, not confirmed", func(s *signals) { s.confirmed, s.missed = 0.5, 1 }, 0, 0},
		{"every point, two in its own words", func(s *signals) { s.coverage, s.confirmed, s.fullHits = 0.75, 0.6, 3 }, 0, completeFloor},
		{"every point, two explained", func(s *signals) { s.coverage, s.confirmed, s.fullHits = 0.75, 0.6, 2 }, 0, 0},
		{"every point, one denied", func(s *signals) { s.coverage, s.confirmed, s.fullHits, s.denied = 0.75, 0.6, 3, 1 }, 0, 0},
		{"a contradiction", func(s *signals) { s.stated = 1 }, 0, 0},
		{"a denied point", func(s *signals) { s.denied = 1 }, 0, 0},
		{"a misconception", func(*signals) {}, 1, 0},
		{"brief", func(s *signals) { s.words = 40 }, 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := base
			c.change(&s)
			got, _, _ := overall(dm, s, c.redFlags, false)
			switch {
			case c.want > 0 && got < c.want:
				t.Errorf("overall %.1f, want at least %.1f", got, c.want)
			case c.want == 0 && got >= completeFloor:
				t.Errorf("overall %.1f, want under %.1f", got, completeFloor)
			}
		})
	}
}

// However much of the rubric it covers, an answer with few numbers,
// examples or named mechanisms is at most very good; with them, it can be
// excellent.
func TestExcellentNeedsSpecifics(t *testing.T) {
	dm := Dimensions{Accuracy: 10, Depth: 10, Tradeoffs: 10, Structure: 10, Specificity: 8.5, Communication: 10}
	s := signals{words: 140, sentences: 7, coverage: 0.95, confirmed: 0.95, fullHits: 5, onTopic: true, reasoning: 3, strongTradeoff: 2, specifics: 4, concrete: 2, stopShare: 0.4}
	if got, _, _ := overall(dm, s, 0, false); got != capFewSpecifics {
		t.Errorf("two examples, four specifics: overall %.1f, want %.1f", got, capFewSpecifics)
	}
	for _, more := range []func(*signals){
		func(s *signals) { s.concrete = excellentConcrete },
		func(s *signals) { s.specifics = excellentSpecifics },
	} {
		c := s
		more(&c)
		if got, _, _ := overall(dm, c, 0, false); got <= capFewSpecifics {
			t.Errorf("%d examples, %d specifics: overall %.1f, want above %.1f", c.concrete, c.specifics, got, capFewSpecifics)
		}
	}
}

// Names in a list beside fewer than two explained points, or beside no
// reasoning at all, are a keyword salad; a dense expert answer that
// explains two of them, says why, and lists the rest is not.
func TestSaladNeedsFewExplained(t *testing.T) {
	s := signals{words: 70, sentences: 3, lists: 2, named: 4, namedWeight: 7, fullHits: 1, explainedWeight: 3, reasoning: 1, onTopic: true}
	if !isSalad(s) {
		t.Errorf("four names beside one explained point: not a salad")
	}
	s.fullHits, s.explainedWeight = saladExplained, 7
	if isSalad(s) {
		t.Errorf("four names beside %d explained points and a reason: a salad", saladExplained)
	}
	s.reasoning = 0
	if !isSalad(s) {
		t.Errorf("four names beside %d explained points and no reason: not a salad", saladExplained)
	}
	s.strongTradeoff = 1
	if isSalad(s) {
		t.Errorf("four names beside %d explained points and a named tradeoff: a salad", saladExplained)
	}
}

// Lists in most sentences, dressed in praise, with not one number or
// example and at most one explaining sentence, are a salad however the
// names are strung together; a number, a second reason or no praise at
// all makes them a list in an answer.
func TestSaladOfListsAndPraise(t *testing.T) {
	salad := signals{words: 65, sentences: 4, lists: 2, buzz: 1, fullHits: 3, explainedWeight: 8, reasoning: 1, onTopic: true}
	for _, c := range []struct {
		name   string
		change func(*signals)
		salad  bool
	}{
		{"lists and praise", func(*signals) {}, true},
		{"with a number", func(s *signals) { s.concrete = 1 }, false},
		{"with reasons", func(s *signals) { s.reasoning = 2 }, false},
		{"without praise", func(s *signals) { s.buzz = 0 }, false},
		{"lists in few sentences", func(s *signals) { s.lists = 1 }, false},
		{"two sentences", func(s *signals) { s.sentences, s.lists = 2, 1 }, false},
	} {
		s := salad
		c.change(&s)
		if got := isSalad(s); got != c.salad {
			t.Errorf("%s: salad %v, want %v", c.name, got, c.salad)
		}
	}
}

// A short answer (under shortAnswerWords) that makes a key point is on the
// question even in a story's own words, and graded as the brief answer it
// is; a short story about something else is not.
func TestShortStoryOnTheQuestion(t *testing.T) {
	g, q := realQuestion(t, "beh-risk-prevented")
	for _, c := range []struct {
		answer string
		graded bool
	}{
		{"While reviewing a dashboard I spotted our main database's disk filling fast, so I told my lead and we added space to the volume before it became a problem.", true},
		{"Last summer I moved flats and packed everything myself over one long weekend, which was tiring but cheaper, and the new place is much closer to the office.", false},
	} {
		r, err := g.Grade(q, c.answer)
		if err != nil {
			t.Fatal(err)
		}
		on := r.Graded() && !slices.Contains(r.Caps, "The answer does not address this question.")
		if on != c.graded {
			t.Errorf("on the question %v, want %v (status %s, overall %.1f, caps %v): %q", on, c.graded, r.Status, r.Overall, r.Caps, c.answer)
		}
		if c.graded && (r.Overall < 4 || r.Overall > capBrief) {
			t.Errorf("overall %.1f, want 4 to %.1f: %q", r.Overall, capBrief, c.answer)
		}
	}
}

// An expert answer at length, specific throughout and wrong nowhere, is
// excellent though it never says "tradeoff"; the same answer cut short,
// or with a misconception, is not lifted.
func TestDetailedAnswer(t *testing.T) {
	g, q := realQuestion(t, "db-index-large-table-online")
	first := `A plain CREATE INDEX on a 500 million row table takes a SHARE lock, so every insert, update and delete waits for the whole build, which can run for 40 minutes or more. In Postgres I would run CREATE INDEX CONCURRENTLY. It scans the table twice and waits for old transactions to finish, so it takes two to three times longer while writes keep flowing the whole time.

It cannot run inside a transaction block, so the migration tool must run it on its own; Flyway and Alembic both have a switch for that. If the build fails or is cancelled, it leaves an INVALID index behind that still slows every write, so I check pg_index.indisvalid, drop it with DROP INDEX CONCURRENTLY and start again.`
	rest := `

The build reads the full table and writes a lot of WAL, so I run it at 3 a.m., raise maintenance_work_mem to 2 GB for the session and watch replication lag on the replicas. Afterwards I run EXPLAIN ANALYZE on the slow query, for example the 800 ms lookup by customer_id, to confirm the planner picks the new index, and in MySQL I would use ALGORITHM=INPLACE, LOCK=NONE or gh-ost for the same job.`
	wrong := " A failed concurrent build cleans up after itself, so there is nothing to check."
	for _, c := range []struct {
		name, answer string
		excellent    bool
	}{
		{"at length", first + rest, true},
		{"cut short", first, false},
		{"with a misconception", first + rest + wrong, false},
	} {
		r, err := g.Grade(q, c.answer)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Overall >= detailedFloor; got != c.excellent {
			t.Errorf("%s: overall %.1f (caps %v), want excellent %v", c.name, r.Overall, r.Caps, c.excellent)
		}
	}
}

// An answer that spends a third of its words or more on something else
// is held at capDigressed; the same points said without the asides are
// not, and a behavioural story is not asked.
func TestDigressionsHeld(t *testing.T) {
	g := NewGrader(loadReal(t))
	asides := " Back then the whole team had just moved offices, and the new coffee machine was so terrible that half of us walked to the bakery every morning. " +
		"Our manager was a huge football fan and booked the big meeting room for every match, so the planning sessions kept getting moved around. " +
		"I also remember the summer party on the boat, where someone dropped a laptop into the harbour and we laughed about it for months."
	held := func(r Result) bool {
		return slices.ContainsFunc(r.Caps, func(c string) bool { return strings.HasPrefix(c, "A third of the answer") })
	}
	q := mustQ(t, "cache-when-slower")
	focused, err := g.Grade(q, q.ModelAnswer)
	if err != nil {
		t.Fatal(err)
	}
	if held(focused) {
		t.Errorf("the model answer is held as digressed: %v", focused.Caps)
	}
	sentences := strings.SplitAfter(q.ModelAnswer, ". ")
	wandering, err := g.Grade(q, strings.Join(sentences[:min(3, len(sentences))], "")+asides)
	if err != nil {
		t.Fatal(err)
	}
	if !held(wandering) || wandering.Overall > capDigressed {
		t.Errorf("an answer with asides: overall %.1f, caps %v; want held at %.1f", wandering.Overall, wandering.Caps, capDigressed)
	}
	beh := mustQ(t, "beh-mistake")
	told := strings.SplitAfter(beh.ModelAnswer, ". ")
	story, err := g.Grade(beh, strings.Join(told[:min(3, len(told))], "")+asides)
	if err != nil {
		t.Fatal(err)
	}
	if held(story) {
		t.Errorf("a behavioural story is held as digressed: %v", story.Caps)
	}
}

// TestGuessBesideAdmission: a key point said in the sentence that admits
// not knowing is a guess; it does not outweigh the admission.
func TestGuessBesideAdmission(t *testing.T) {
	g := NewGrader(loadReal(t))
	for _, c := range []struct{ id, answer string }{
		{"api-deprecation", "Honestly, I haven't had to deal with that. I guess you'd email customers and eventually turn it off, but I don't know the right process."},
		{"beh-disagree-decision", "I can't really think of a time. I usually just go along with whatever the team decides, so I don't have a good example."},
	} {
		if r := gradeReal(t, g, c.id, c.answer); r.Status != StatusInsufficient {
			t.Errorf("%s: %q graded %v (hits %+v), want insufficient", c.id, c.answer, r.Overall, r.Hits)
		}
	}
	// The same point said on its own, beside an admission elsewhere, is
	// knowledge.
	r := gradeReal(t, g, "api-deprecation", "I'd announce a sunset date months ahead, email every customer still calling v1 and send Deprecation and Sunset headers. I don't know every legal detail of the contracts.")
	if r.Status != StatusGraded {
		t.Errorf("a point made on its own beside an admission: %s (%s)", r.Status, r.Reason)
	}
}

// TestAnswerToANeighbourQuestion: an answer whose words sit between this
// question and a neighbour is the neighbour's when it makes far more of
// that rubric; a right answer that only borrows its words stays graded.
func TestAnswerToANeighbourQuestion(t *testing.T) {
	g := NewGrader(loadReal(t))
	for _, c := range []struct {
		id, answer string
		offTopic   bool
	}{
		{"db-optimistic-vs-pessimistic-locking", "Transaction isolation levels control what one transaction can see of others. Read Committed, the default in Postgres, only shows committed data, but two reads of the same row in one transaction can return different values. Repeatable Read gives you a consistent snapshot for the whole transaction, so repeated reads match; in Postgres it also prevents phantoms but can fail with a serialization error that you must retry. Serializable guarantees the result is as if transactions ran one at a time, which catches write skew, such as two doctors both going off call, at the cost of more aborts.", true},
		{"beh-pushback-deadline", "Last year a junior engineer joined my team straight from a bootcamp and was struggling with code reviews; her pull requests were large and came back with dozens of comments. I set up two short pairing sessions a week and we agreed she'd split work into pull requests under about 300 lines. I also started writing review comments that explained the why and linked to examples in our codebase. Within two months her review rounds dropped from four or five to one or two. What I learned is that a lot of what looks like a skill gap is really a feedback-loop problem.", true},
		{"beh-risk-prevented", "Before a seasonal traffic peak I checked our autoscaling limits against the database: at the maximum of 60 pods with 20 connections each, we could open 1,200 connections against a Postgres max_connections of 500. I showed the numbers to the team, we put PgBouncer in transaction mode in front, cut each pod's pool to 10 and added an alert at 70% of connection capacity. At peak we ran 55 pods with no connection errors.", false},
	} {
		r := gradeReal(t, g, c.id, c.answer)
		if got := r.offTopic || r.Status == StatusInsufficient; got != c.offTopic {
			t.Errorf("%s: off the question %v (overall %.1f, caps %q), want %v", c.id, got, r.Overall, r.Caps, c.offTopic)
		}
	}
}

// TestSweepingNeedsAShortAnswer: sweeping words with little of the
// rubric's wording hold a short or middling answer as a confident wrong
// one, not an expert's 200 words in plain language.
func TestSweepingNeedsAShortAnswer(t *testing.T) {
	s := signals{words: 90, sentences: 5, coverage: 0.3, partials: 3, absolutes: 2, reasoning: 3, onTopic: true, stopShare: 0.5}
	swept := func(s signals) bool {
		_, caps, _ := overall(score(s, 0), s, 0, false)
		return slices.ContainsFunc(caps, func(c string) bool { return strings.HasPrefix(c, "Sweeping claims") })
	}
	if !swept(s) {
		t.Errorf("a 90-word answer with sweeping words and little of the rubric is not held")
	}
	s.words, s.sentences = sweepingWords, 11
	if swept(s) {
		t.Errorf("a %d-word answer in plain words is held as sweeping", s.words)
	}
	// A line or two with one sweeping word is a shallow answer; with two,
	// a sweeping one.
	s = signals{words: 22, sentences: 1, coverage: 0.2, fullHits: 1, absolutes: 1, reasoning: 1, onTopic: true, stopShare: 0.5}
	if swept(s) {
		t.Errorf("a 22-word answer with one sweeping word is held as sweeping")
	}
	s.absolutes = 2
	if !swept(s) {
		t.Errorf("a 22-word answer with two sweeping words is not held")
	}
}

// An expert in plain words says most of the rubric in its own words and
// none of it in the rubric's: it is not held as unconfirmed or as a
// confident answer that makes no key point. A short answer that does the
// same is.
func TestPlainWordsExpert(t *testing.T) {
	held := func(s signals) []string {
		_, caps, _ := overall(score(s, 0), s, 0, false)
		return slices.DeleteFunc(caps, func(c string) bool {
			return !strings.HasPrefix(c, "The rubric could not confirm") && !strings.HasPrefix(c, "A long, confident answer")
		})
	}
	s := signals{words: 265, sentences: 12, coverage: 0.45, partials: 5, missed: 1, reasoning: 5, strongTradeoff: 1, onTopic: true, stopShare: 0.5, specifics: 3}
	if caps := held(s); len(caps) > 0 {
		t.Errorf("a 265-word answer with five points in its own words is held: %q", caps)
	}
	s.words, s.sentences = 70, 4
	if caps := held(s); len(caps) == 0 {
		t.Errorf("a 70-word answer that confirms no key point is not held")
	}
	s.words, s.sentences, s.partials, s.missed = 265, 12, 4, 2
	if caps := held(s); len(caps) > 0 {
		t.Errorf("a 265-word answer with four points in its own words and two missed is held: %q", caps)
	}
	s.missed = 3
	if caps := held(s); len(caps) == 0 {
		t.Errorf("a 265-word answer that misses three points and confirms none is not held")
	}
}

// An answer is one to its question by its words and its key points; an
// expert in plain words uses few of the question's terms but says its
// points in other words.
func TestOnQuestion(t *testing.T) {
	for _, c := range []struct {
		name string
		s    signals
		want bool
	}{
		{"mostly the question's words", signals{words: 120, topicShare: 0.6}, true},
		{"a fair share of words and key points", signals{words: 120, topicShare: 0.3, coverage: 0.3}, true},
		{"two key points explained", signals{words: 200, topicShare: 0.22, fullHits: 2}, true},
		{"three key points in its own words", signals{words: 260, topicShare: 0.24, coverage: 0.2, partials: 3}, true},
		{"two in its own words, few of the question's words", signals{words: 260, topicShare: 0.24, coverage: 0.2, partials: 2}, false},
		{"points in its own words, hardly the question's words", signals{words: 260, topicShare: 0.15, coverage: 0.2, partials: 4}, false},
		{"a short answer near a key point", signals{words: 30, topicShare: 0.22, coverage: 0.1}, true},
		{"about something else", signals{words: 120, topicShare: 0.1, coverage: 0.1, fullHits: 1}, false},
	} {
		if got := onQuestion(c.s); got != c.want {
			t.Errorf("%s: on the question %v, want %v", c.name, got, c.want)
		}
	}
}

// A number word before a unit is a measurement, as "200 ms" is: it makes
// an answer concrete; one that counts things does not.
func TestMeasuredInWords(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"The grace period is thirty seconds.", true},
		{"An Erlang process starts at a couple of kilobytes, so you can have millions of users.", true},
		{"Two goroutines write the map.", false},
		{"Thousands of rows come back.", true},
		{"Half the team agreed.", false},
	} {
		d := parse(c.text)
		got := false
		for i := range d.tokens {
			if numberWords[d.tokens[i].stem] && d.measured(i) {
				got = true
			}
		}
		if got != c.want {
			t.Errorf("%q: measured %v, want %v", c.text, got, c.want)
		}
	}
}

// A short answer that waves a risk or a step away, or sells a claim as
// what others miss, in a sentence the rubric cannot check is held where a
// confident error's band and a solid answer's meet; a longer answer or a
// qualified waiver is not.
func TestWaiverHeld(t *testing.T) {
	g, q := testQuestion(t)
	body := "A plain CREATE INDEX blocks writes for the whole build, so on a big table I use CREATE INDEX CONCURRENTLY, which builds it without blocking at the cost of two scans. If it fails it leaves an invalid index, so I drop and retry, and I check with EXPLAIN that the planner uses it."
	held := func(answer string) bool {
		r, err := g.Grade(q, answer)
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(r.Caps, func(c string) bool { return strings.HasPrefix(c, "A claim that waves a risk") })
	}
	for _, c := range []struct {
		name, answer string
		want         bool
	}{
		{"waived", body + " The second scan finishes fast, so there's no need to schedule the build away from peak hours on 500 million rows.", true},
		{"qualified", body + " The second scan finishes fast, so there's probably no need to schedule the build away from peak hours on 500 million rows.", false},
		{"denied", body + " The second scan is slow, so it isn't safe to schedule the build at peak hours on 500 million rows.", false},
		{"none", body + " The second scan is slow, so I schedule the build away from peak hours on 500 million rows.", false},
		{"pitched", body + " What people miss is that the second scan finishes in seconds, even on 500 million rows.", true},
		{"long", body + " The second scan finishes fast, so there's no need to schedule the build away from peak hours on 500 million rows. " + "On a table with 500 million rows the build takes about forty minutes, and the two scans compete with the nightly batch jobs for disk. I watch the progress view while it runs, and I keep lock_timeout short on the migration so a waiting lock never queues the application's writes behind it. Afterwards I compare the query's latency before and after on the dashboard, and I drop any older index the new one makes redundant, since every extra index slows each insert and update a little and takes space in shared buffers.", false},
	} {
		if got := held(c.answer); got != c.want {
			t.Errorf("%s: held %v, want %v", c.name, got, c.want)
		}
	}
}

// Praise of a design beside at most one reason and no examples is held
// where a keyword salad's band meets a shallow answer's; the same answer
// that explains itself, or gives examples, is not.
func TestPraiseWithoutReasons(t *testing.T) {
	held := func(s signals) bool {
		_, caps, _ := overall(score(s, 0), s, 0, false)
		return slices.ContainsFunc(caps, func(c string) bool { return strings.HasPrefix(c, "Praise of the design") })
	}
	s := signals{words: 62, sentences: 3, coverage: 0.5, fullHits: 2, onTopic: true, stopShare: 0.4, specifics: 4, tools: 3, buzz: 1, reasoning: 1}
	if !held(s) {
		t.Errorf("praise with one reason and no example is not held")
	}
	s.reasoning = 2
	if held(s) {
		t.Errorf("praise beside two reasons is held")
	}
	s.reasoning, s.concrete = 1, 2
	if held(s) {
		t.Errorf("praise beside two numbers or examples is held")
	}
	s.buzz, s.concrete = 0, 0
	if held(s) {
		t.Errorf("an answer without praise is held")
	}
}

// An expert in plain words that misses little, explains itself and gets
// nothing wrong scores at least plainFloor; one that explains too little,
// or contradicts a key point, does not.
func TestPlainWordsFloor(t *testing.T) {
	s := signals{words: 260, sentences: 11, coverage: 0.45, partials: 4, missed: 2, reasoning: 3, onTopic: true, stopShare: 0.5, specifics: 2}
	if o, caps, _ := overall(score(s, 0), s, 0, false); o < plainFloor {
		t.Errorf("a plain-words expert scores %.1f (caps %q), want at least %.1f", o, caps, plainFloor)
	}
	s.reasoning = 2
	if o, _, _ := overall(score(s, 0), s, 0, false); o >= plainFloor {
		t.Errorf("with two reasons it scores %.1f, want under %.1f", o, plainFloor)
	}
	s.reasoning, s.stated = 3, 1
	if o, _, _ := overall(score(s, 0), s, 0, false); o >= plainFloor {
		t.Errorf("with a contradiction it scores %.1f, want under %.1f", o, plainFloor)
	}
}
