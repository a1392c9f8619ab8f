// Package interview is mockround's interviewer: the rules of a round (the
// planner that picks its questions, the round engine, reviews and drills),
// job description analysis, pacing and level readiness. The grader that
// judges each answer lives in interview/grader. Everything here is pure:
// values in, values out, time passed in.
package interview
