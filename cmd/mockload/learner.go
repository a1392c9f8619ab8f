package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/mockround/mockround/interview/grader"
)

// learner is one simulated person: a browser of their own (cookies, CSRF
// token) doing whole rounds, with pauses to read and type.
type learner struct {
	base    string
	rec     *recorder
	o       options
	client  *http.Client
	csrf    string
	rng     *rand.Rand
	answers map[string]string
}

// drillAreas are the areas the learners practise, in turn.
var drillAreas = []string{"caching", "databases", "apis", "concurrency"}

func newLearner(i int, base string, bank *grader.Bank, rec *recorder, o options) *learner {
	jar, _ := cookiejar.New(nil)
	return &learner{
		base: base, rec: rec, o: o,
		client: &http.Client{Jar: jar, Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			Transport:     &http.Transport{MaxIdleConnsPerHost: 2, IdleConnTimeout: time.Minute}},
		rng:     rand.New(rand.NewPCG(uint64(i), 7)),
		answers: answersByPrompt(bank),
	}
}

// work does rounds until runCtx ends; a round under way is finished. A
// failed request ends the learner's work (it is recorded).
func (l *learner) work(runCtx, ctx context.Context) {
	l.pause(ctx, l.arrival())
	if l.o.login {
		if err := l.login(ctx); err != nil {
			return
		}
	}
	for i := 0; runCtx.Err() == nil; i++ {
		if err := l.round(ctx, drillAreas[i%len(drillAreas)]); err != nil {
			return
		}
	}
}

// arrival is how long after the start the learner arrives: at random over
// the ramp, so the learners do not all start at once.
func (l *learner) arrival() time.Duration {
	return time.Duration(l.rng.Int64N(int64(l.o.ramp) + 1))
}

var (
	csrfRe     = regexp.MustCompile(`X-CSRF-Token(?:&#34;|&quot;|")\s*:\s*(?:&#34;|&quot;|")([^&"]+)`)
	positionRe = regexp.MustCompile(`name="position" value="(\d+)"`)
	stepRe     = regexp.MustCompile(`name="step" value="(\d+)"`)
	promptRe   = regexp.MustCompile(`data-testid="prompt">([^<]*)<`)
)

// round is one whole round: start, every question and follow-up, the
// report, the dashboard.
func (l *learner) round(ctx context.Context, area string) error {
	_, body, err := l.do(ctx, "GET /", http.MethodGet, "/", nil, false, http.StatusOK)
	if err != nil {
		return err
	}
	if m := csrfRe.FindStringSubmatch(body); m != nil {
		l.csrf = m[1]
	}
	l.pause(ctx, l.think())
	res, _, err := l.do(ctx, "POST /rounds", http.MethodPost, "/rounds", url.Values{
		"stack": {"go"}, "level": {"middle"}, "type": {"drill"}, "area": {area},
		"count": {fmt.Sprint(l.o.questions)}, "feedback": {"study"},
	}, false, http.StatusSeeOther)
	if err != nil {
		return err
	}
	roundURL := res.Header.Get("Location")
	for range 4 * l.o.questions { // at most two follow-ups a question, and a repeat
		l.pause(ctx, l.think())
		res, body, err := l.do(ctx, "GET /rounds/:id", http.MethodGet, roundURL, nil, false, 0)
		if err != nil {
			return err
		}
		if res.StatusCode == http.StatusSeeOther {
			break // the round is over: its report
		}
		if err := checkStatus(res, http.StatusOK); err != nil {
			l.rec.add("GET /rounds/:id", 0, err)
			return err
		}
		pos, step, prompt := find(positionRe, body), find(stepRe, body), html.UnescapeString(find(promptRe, body))
		if pos == "" || step == "" || prompt == "" {
			err := errors.New("the round page has no answer form")
			l.rec.add("GET /rounds/:id", 0, err)
			return err
		}
		answer := l.answerTo(prompt)
		l.pause(ctx, l.think())
		if _, _, err := l.do(ctx, "POST /rounds/:id/draft", http.MethodPost, roundURL+"/draft",
			url.Values{"position": {pos}, "step": {step}, "answer": {answer[:len(answer)/2]}}, true, http.StatusNoContent); err != nil {
			return err
		}
		l.pause(ctx, l.think())
		res, _, err = l.do(ctx, "POST /rounds/:id/answers", http.MethodPost, roundURL+"/answers",
			url.Values{"position": {pos}, "step": {step}, "answer": {answer}}, true, http.StatusOK)
		if err != nil {
			return err
		}
		if res.Header.Get("HX-Redirect") != "" {
			break
		}
	}
	l.pause(ctx, l.think())
	if _, _, err := l.do(ctx, "GET /rounds/:id/report", http.MethodGet, roundURL+"/report", nil, false, http.StatusOK); err != nil {
		return err
	}
	l.pause(ctx, l.think())
	_, _, err = l.do(ctx, "GET /dashboard", http.MethodGet, "/dashboard", nil, false, http.StatusOK)
	return err
}

// login goes through the OpenID Connect login: the app's begin URL, the
// provider's authorize endpoint (not counted), the app's callback.
func (l *learner) login(ctx context.Context) error {
	res, _, err := l.do(ctx, "GET /auth/:provider", http.MethodGet, "/auth/openid-connect", nil, false, http.StatusFound)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, res.Header.Get("Location"), nil)
	if err != nil {
		return err
	}
	res, err = l.client.Do(req)
	if err != nil {
		l.rec.add("GET /auth/:provider/callback", 0, fmt.Errorf("provider: %w", err))
		return err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	cb, err := url.Parse(res.Header.Get("Location"))
	if err != nil || cb.Host == "" {
		err = fmt.Errorf("provider answered %d without a callback", res.StatusCode)
		l.rec.add("GET /auth/:provider/callback", 0, err)
		return err
	}
	_, _, err = l.do(ctx, "GET /auth/:provider/callback", http.MethodGet, cb.RequestURI(), nil, false, http.StatusSeeOther)
	return err
}

func find(re *regexp.Regexp, s string) string {
	if m := re.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

// do sends one request and records its latency (the whole body read)
// under route. want 0 accepts any status below 400.
func (l *learner) do(ctx context.Context, route, method, path string, form url.Values, htmx bool, want int) (*http.Response, string, error) {
	var body io.Reader
	if form != nil {
		if !htmx {
			form.Set("_csrf", l.csrf)
		}
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, l.base+path, body)
	if err != nil {
		return nil, "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if htmx {
		req.Header.Set("HX-Request", "true")
		req.Header.Set("X-CSRF-Token", l.csrf)
	}
	start := time.Now()
	res, err := l.client.Do(req)
	if err != nil {
		l.rec.add(route, time.Since(start), err)
		return nil, "", err
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	d := time.Since(start)
	switch {
	case err != nil:
	case want != 0 && res.StatusCode != want:
		err = fmt.Errorf("%s %s: status %d, want %d", method, path, res.StatusCode, want)
	case want == 0 && res.StatusCode >= 400:
		err = fmt.Errorf("%s %s: status %d", method, path, res.StatusCode)
	}
	l.rec.add(route, d, err)
	return res, string(b), err
}

// think is a pause to read or type: the think time ±50%.
func (l *learner) think() time.Duration {
	if l.o.think <= 0 {
		return 0
	}
	return l.o.think/2 + time.Duration(l.rng.Int64N(int64(l.o.think)))
}

func (l *learner) pause(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// answerTo is a realistic answer of about 150 words to a prompt: the
// start of its question's model answer.
func (l *learner) answerTo(prompt string) string {
	if a, ok := l.answers[prompt]; ok {
		return a
	}
	return fallbackAnswer
}

const answerWords = 150

// answersByPrompt maps every question's and follow-up's prompt to the
// first 150 words of the question's model answer.
func answersByPrompt(bank *grader.Bank) map[string]string {
	out := map[string]string{}
	for _, q := range bank.Questions() {
		words := strings.Fields(q.ModelAnswer)
		for len(words) < answerWords {
			words = append(words, strings.Fields(fallbackAnswer)...)
		}
		a := strings.Join(words[:answerWords], " ")
		out[q.Prompt] = a
		for _, f := range q.FollowUps {
			if _, ok := out[f.Prompt]; !ok {
				out[f.Prompt] = a
			}
		}
	}
	return out
}

const fallbackAnswer = "I would start from what the system has to guarantee and measure where the time goes, " +
	"because the right fix depends on it. If reads dominate, a cache in front of the database cuts latency " +
	"from about 20 ms to under 1 ms, but it brings staleness, so I would pick a TTL per key and invalidate on " +
	"write where freshness matters. The tradeoff is consistency against load: for a balance or an order status " +
	"I would read from the primary, for a product page a few seconds of staleness is fine. I would watch the hit " +
	"ratio, p99 latency and the eviction rate, and load test with realistic traffic before and after the change."
