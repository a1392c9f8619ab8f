package grader

import (
	"slices"
	"strings"
)

// A question is a conversation: the answer, then up to MaxFollowUps
// answers to the interviewer's follow-ups. Its score is the whole
// conversation's, under rules that keep follow-ups honest:
//
//   - a follow-up earns credit only for key points it newly asserts, at
//     most followUpGain points per unit of the rubric's weight;
//   - it cannot lift an answer capped for being off-topic, a misconception
//     or a contradiction, unless it explicitly corrects the claim ("I was
//     wrong: …"), which then retracts the earlier sentence;
//   - "I don't know" never raises a score;
//   - no follow-up asks about a point already made, and after an
//     off-topic answer the interviewer redirects instead of following up.

// followUpGain is how much a follow-up may raise the conversation's overall
// per unit of the rubric's weight it newly asserts: a point of weight 3
// in a rubric of weight 12 is worth at most 2 points.
const followUpGain = 8.0

// redirectLead opens the interviewer's redirect after an off-topic answer.
const redirectLead = "That's not quite what I asked: "

// expandLead opens the interviewer's request for more after an answer too
// short to place.
const expandLead = "Could you say more? "

// TurnResult is one answer of a conversation and what it added.
type TurnResult struct {
	// Asked is the question or follow-up this answer replies to.
	Asked string `json:"asked"`
	// Status and Alone are the answer graded on its own.
	Status Status  `json:"status"`
	Alone  float64 `json:"answer_overall"`
	// Overall is the conversation's score after this answer, Contribution
	// what this answer changed it by.
	Overall      float64 `json:"overall"`
	Contribution float64 `json:"contribution"`
	// NewPoints are the key points this answer asserted first.
	NewPoints []string `json:"new_points"`
	// Corrected is set when the answer explicitly takes back an earlier
	// contradiction or misconception.
	Corrected bool `json:"corrected,omitempty"`
	// Locked is set when an earlier cap held: an off-topic answer, a
	// misconception or a contradiction that was not corrected.
	Locked bool `json:"locked,omitempty"`
	// Probe is set when the answer replies to the plain-words probe, and
	// Explained when it explained the mechanism in plain words.
	Probe     FollowUpKind `json:"probe,omitempty"`
	Explained bool         `json:"explained,omitempty"`
}

// Conversation is a question's graded conversation: the final result and
// each turn's part in it.
type ConversationResult struct {
	Result
	Turns []TurnResult `json:"turns"`
}

// GradeConversation grades an answer and the answers to the follow-ups
// the engine asks after it. The follow-up prompts are chosen here, from
// the conversation so far: the caller gives only the answers. Result's
// FollowUp is what the interviewer would ask next ("" when done).
func (g *Grader) GradeConversation(q *Question, answers []string) (ConversationResult, error) {
	var out ConversationResult
	var conv Result
	var texts []string
	asked := q.Prompt
	var prompts []string
	for i, a := range answers {
		alone, err := g.Grade(q, a)
		if err != nil {
			return ConversationResult{}, err
		}
		turn := TurnResult{Asked: asked, Status: alone.Status, Alone: alone.Overall, NewPoints: []string{}}
		if i == 0 {
			conv, texts = alone, []string{a}
			turn.Overall, turn.Contribution = conv.Overall, conv.Overall
			turn.NewPoints = assertedIDs(conv)
		} else {
			next, t, err := g.followUpTurn(q, conv, texts, alone, asked, a)
			if err != nil {
				return ConversationResult{}, err
			}
			t.Asked = asked
			turn = t
			if t.Status == StatusGraded {
				texts = append(texts, a)
				if t.Corrected {
					texts = retract(texts, conv)
				}
			}
			conv = next
		}
		out.Turns = append(out.Turns, turn)
		if i >= MaxFollowUps {
			break // the interviewer asks no more: later answers are not part of it
		}
		asked = g.followUpFor(q, conv, texts, prompts)
		if asked != "" {
			prompts = append(prompts, asked)
		}
	}
	conv.FollowUp = ""
	if len(answers) <= MaxFollowUps {
		conv.FollowUp = asked
	}
	out.Result = conv
	return out, nil
}

// followUpFor is the interviewer's next follow-up after conv (graded from
// texts), or "": a redirect after an off-topic answer, or a request for
// more after one too short to place (once each); a request
// for a named mechanism in plain words when the answer explains none
// (once); else the rubric's follow-up for the most important point not
// yet made.
func (g *Grader) followUpFor(q *Question, conv Result, texts, asked []string) string {
	if conv.offTopic || conv.short {
		lead := redirectLead
		if conv.short {
			lead = expandLead
		}
		if again := lead + q.Prompt; !slices.Contains(asked, again) {
			return again
		}
		return ""
	}
	if conv.Status != StatusGraded {
		return ""
	}
	if !slices.ContainsFunc(asked, func(a string) bool { return KindOf(a) == FollowUpPlainWords }) {
		if kp, term := g.probeTarget(q, conv, texts); kp != nil {
			return plainWordsPrompt(term)
		}
	}
	p, _ := nextFollowUp(q, conv, asked)
	return p
}

// followUpTurn grades the answer to a follow-up into the conversation so
// far (conv, from texts), by the rules above.
func (g *Grader) followUpTurn(q *Question, conv Result, texts []string, alone Result, asked, answer string) (Result, TurnResult, error) {
	turn := TurnResult{Status: alone.Status, Alone: alone.Overall, NewPoints: []string{}, Overall: conv.Overall}
	if KindOf(asked) == FollowUpPlainWords {
		// Judged for plain words, and as any follow-up for the other
		// points it makes: the better of the two stands.
		probed, pt := g.plainWordsTurn(q, conv, texts, turn, answer)
		if !alone.Graded() {
			return probed, pt, nil
		}
		whole, wt, err := g.followUpTurn(q, conv, texts, alone, "", answer)
		if err != nil || whole.Overall <= probed.Overall {
			return probed, pt, err
		}
		keepMade(&whole, probed) // the point explained in plain words stays explained
		wt.Probe, wt.Explained = pt.Probe, pt.Explained
		return whole, wt, nil
	}
	if !alone.Graded() {
		// "I don't know" (or nothing) adds nothing, and takes nothing away.
		return conv, turn, nil
	}
	if conv.Status != StatusGraded {
		if conv.offTopic {
			// The question asked again after an answer about something
			// else: the new answer is graded, but an off-topic start is
			// not lifted by what follows.
			turn.Locked = true
			if alone.Overall > capOffTopic {
				alone.Overall = capOffTopic
				alone.Caps = append(alone.Caps, "The first answer was about something else: an answer after the interviewer asks again counts at most "+points(capOffTopic)+".")
			}
			turn.Overall, turn.Contribution = alone.Overall, alone.Overall
			turn.NewPoints = assertedIDs(alone)
			return alone, turn, nil
		}
		// The first answer said nothing: this one earns its own points.
		limit := gainFor(q, alone.Hits, nil)
		if alone.Overall > limit {
			alone.Overall = round1(limit)
			alone.Caps = append(alone.Caps, "A follow-up raises the score only by the key points it adds.")
		}
		turn.Overall, turn.Contribution = alone.Overall, alone.Overall
		turn.NewPoints = assertedIDs(alone)
		return alone, turn, nil
	}
	made := map[string]bool{}
	for _, id := range assertedIDs(conv) {
		made[id] = true
	}
	for _, h := range alone.Hits {
		if !h.Partial && !made[h.ID] {
			turn.NewPoints = append(turn.NewPoints, h.ID)
		}
	}
	turn.Corrected = corrects(answer, alone) && (len(conv.Contradictions) > 0 || len(conv.RedFlags) > 0)
	joined := texts
	if turn.Corrected {
		joined = retract(texts, conv)
	}
	whole, err := g.Grade(q, strings.Join(append(slices.Clone(joined), answer), "\n\n"))
	if err != nil {
		return Result{}, TurnResult{}, err
	}
	capped := conv.offTopic || len(conv.RedFlags) > 0 || len(conv.Contradictions) > 0
	limit := conv.Overall + gainFor(q, alone.Hits, made)
	if capped && !turn.Corrected {
		limit = conv.Overall
		turn.Locked = true
	}
	if whole.Overall > limit {
		whole.Overall = round1(limit)
		whole.Caps = append(whole.Caps, "A follow-up raises the score only by the key points it adds.")
	}
	keepMade(&whole, conv)
	// A follow-up lowers the score only with a new misconception.
	if whole.Overall < conv.Overall && len(alone.RedFlags) == 0 && len(alone.Contradictions) == 0 {
		whole.Overall = conv.Overall
	}
	turn.Overall = whole.Overall
	turn.Contribution = round1(whole.Overall - conv.Overall)
	return whole, turn, nil
}

// assertedIDs lists the key points a result makes (fully or by name).
func assertedIDs(r Result) []string {
	out := []string{}
	for _, h := range r.Hits {
		if !h.Partial {
			out = append(out, h.ID)
		}
	}
	return out
}

// corrects reports an answer that explicitly takes back an earlier claim
// and makes no new misconception.
func corrects(answer string, alone Result) bool {
	if len(alone.Contradictions) > 0 || len(alone.RedFlags) > 0 {
		return false
	}
	d := parse(answer)
	return anyFound(d, correctionPhrases)
}

// retract removes from earlier answers the sentences a correction takes
// back: the ones that carried a contradiction or a misconception.
func retract(texts []string, conv Result) []string {
	out := slices.Clone(texts)
	for i := range out {
		for _, c := range conv.Contradictions {
			out[i] = strings.ReplaceAll(out[i], c.Sentence, "")
		}
		for _, f := range conv.RedFlags {
			out[i] = strings.ReplaceAll(out[i], f.Sentence, "")
		}
	}
	return out
}

// gradeTurn grades answer after the earlier answers of its question, for
// a round: the result is the conversation's, and the follow-up the next
// one not yet asked.
func (g *Grader) gradeTurn(q *Question, earlier, asked []string, answer string) (Graded, error) {
	alone, err := g.Grade(q, answer)
	if err != nil {
		return Graded{}, err
	}
	// A follow-up answer that strays, or is too short to place, keeps the
	// conversation's score (it adds nothing); one that says "I don't know"
	// is insufficient. A
	// plain-words explanation is judged in its conversation whatever the
	// rubric makes of it alone.
	probed := len(asked) > 0 && KindOf(asked[len(asked)-1]) == FollowUpPlainWords
	if !alone.Graded() && !(len(earlier) > 0 && (alone.offTopic || alone.short || probed)) {
		out := Graded{Result: alone, Status: string(alone.Status)}
		if (alone.offTopic || alone.short) && len(earlier) == 0 {
			out.FollowUp = alone.FollowUp // the interviewer redirects, or asks for more
		}
		return out, nil
	}
	res := alone
	if len(earlier) > 0 {
		c, err := g.GradeConversation(q, append(slices.Clone(earlier), answer))
		if err != nil {
			return Graded{}, err
		}
		res = c.Result
	}
	out := Graded{Result: res, Status: string(res.Status)}
	if len(earlier) < MaxFollowUps {
		out.FollowUp = g.followUpFor(q, res, append(slices.Clone(earlier), answer), asked)
	}
	out.Result.FollowUp = out.FollowUp
	return out, nil
}

// gainFor is the most a follow-up's hits may add: followUpGain per unit
// of the rubric's weight they newly assert (names count a quarter).
func gainFor(q *Question, hits []Hit, made map[string]bool) float64 {
	if q.totalWeight == 0 {
		return 0
	}
	w := 0.0
	for _, h := range hits {
		if h.Partial || made[h.ID] {
			continue
		}
		w += h.credit()
	}
	return followUpGain * w / float64(q.totalWeight)
}

// keepMade keeps in whole the points conv made: a point explained stays
// explained when the conversation is graded again.
func keepMade(whole *Result, conv Result) {
	for _, h := range conv.Hits {
		if h.Partial || h.Named {
			continue
		}
		for i := range whole.Hits {
			if whole.Hits[i].ID == h.ID && (whole.Hits[i].Partial || whole.Hits[i].Named) {
				whole.Hits[i] = h
			}
		}
	}
}

// plainWordsTurn grades the answer to the plain-words probe: explained,
// the point counts as explained rather than named, and the conversation
// gains what the explanation adds to the name.
func (g *Grader) plainWordsTurn(q *Question, conv Result, texts []string, turn TurnResult, answer string) (Result, TurnResult) {
	turn.Probe = FollowUpPlainWords
	kp, _ := g.probeTarget(q, conv, texts)
	if kp == nil || !explainsPlainly(q, kp, answer) {
		return conv, turn
	}
	turn.Explained = true
	out := conv
	out.Hits = slices.Clone(conv.Hits)
	for i, h := range out.Hits {
		if h.ID == kp.ID {
			out.Hits[i].Named = false
			out.Hits[i].Sentence = firstSentence(answer)
		}
	}
	turn.Status = StatusGraded
	gain := followUpGain * (1 - namedCredit) * float64(kp.Weight) / float64(max(q.totalWeight, 1))
	out.Overall = round1(min(10, conv.Overall+gain))
	turn.NewPoints = []string{kp.ID}
	turn.Overall, turn.Contribution = out.Overall, round1(out.Overall-conv.Overall)
	return out, turn
}

// firstSentence is the first sentence of text, as evidence.
func firstSentence(text string) string {
	d := tokenize(text)
	if len(d.sentences) == 0 {
		return strings.TrimSpace(text)
	}
	return d.sentenceOf(d.sentences[0].first)
}
