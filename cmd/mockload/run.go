package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/mockround/mockround/interview/grader"
)

// options are mockload's flags.
type options struct {
	url       string
	server    string
	database  string
	learners  int
	duration  time.Duration
	think     time.Duration
	ramp      time.Duration
	questions int
	maxP99    time.Duration
	// login: each learner logs in through the provider first (-server);
	// against -url the server is in local mode and everyone is one user.
	login bool
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("mockload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.url, "url", "", "base URL of a running mockround in local mode (its rate limits raised), e.g. http://127.0.0.1:8080")
	fs.StringVar(&o.server, "server", "", "a mockround binary to start on a fresh database instead of -url")
	fs.StringVar(&o.database, "database", "sqlite", "with -server: sqlite, or postgres (a fresh schema of TEST_DATABASE_URL)")
	fs.IntVar(&o.learners, "learners", 200, "simulated learners, each doing whole rounds one after another")
	fs.DurationVar(&o.duration, "duration", 30*time.Second, "how long to run; rounds under way at the end are finished first")
	fs.DurationVar(&o.think, "think", time.Second, "pause between a learner's requests (reading, typing), ±50% at random")
	fs.DurationVar(&o.ramp, "ramp", 0, "learners arrive at random over this long (0: over one think time)")
	fs.IntVar(&o.questions, "questions", 3, "questions per round (a focused drill)")
	fs.DurationVar(&o.maxP99, "max-p99", 0, "fail when any route's p99 is above this (0: report only)")
	floor := fs.String("floor", "", "serve only the framework floor (echo writing a small constant page) on this address, for wrk")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *floor != "" {
		fmt.Fprintf(stdout, "mockload: the framework floor on http://%s/\n", *floor)
		return serveFloor(ctx, *floor)
	}
	if (o.url == "") == (o.server == "") {
		return errors.New("give -url of a running server, or -server BIN to start one")
	}
	if o.learners < 1 || o.questions < 1 || o.questions > 20 || o.duration <= 0 {
		return errors.New("-learners must be at least 1, -questions 1 to 20, -duration positive")
	}
	bank, err := grader.LoadBank()
	if err != nil {
		return err
	}
	base := o.url
	var srv *server
	if o.server != "" {
		if srv, err = startServer(ctx, o.server, o.database, o.learners, getenv, stderr); err != nil {
			return err
		}
		defer srv.stop()
		base = srv.base
		o.login = true
	}
	if o.ramp <= 0 {
		o.ramp = o.think
	}
	fmt.Fprintf(stdout, "mockload: %d learners arriving over %s, %s, think %s, %d-question drills, against %s\n", o.learners, o.ramp, o.duration, o.think, o.questions, describe(o, srv))
	var cpuBefore time.Duration
	if srv != nil {
		cpuBefore = srv.cpu()
	}
	rec := newRecorder()
	runCtx, cancel := context.WithTimeout(ctx, o.duration)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for i := range o.learners {
		l := newLearner(i, base, bank, rec, o)
		wg.Go(func() { l.work(runCtx, ctx) })
	}
	wg.Wait()
	elapsed := time.Since(start)
	rss := ""
	var cpu time.Duration
	if srv != nil {
		rss = srv.rss()
		if cpuBefore > 0 {
			cpu = srv.cpu() - cpuBefore
		}
	}
	report := rec.report(elapsed)
	printReport(stdout, report, elapsed, rss)
	if cpu > 0 && report.total.n > 0 {
		fmt.Fprintf(stdout, "server CPU during the load: %.1f s, %.2f ms a request\n", cpu.Seconds(), float64(cpu.Microseconds())/1000/float64(report.total.n))
	}
	var problems []string
	if n := rec.errorCount(); n > 0 {
		problems = append(problems, fmt.Sprintf("%d failed requests, the first: %s", n, rec.firstError()))
	}
	if report.total.n == 0 {
		problems = append(problems, "no request completed")
	}
	if o.maxP99 > 0 {
		for _, r := range report.routes {
			if r.p99 > o.maxP99 {
				problems = append(problems, fmt.Sprintf("%s: p99 %s is over -max-p99 %s", r.route, ms(r.p99), ms(o.maxP99)))
			}
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

func describe(o options, srv *server) string {
	if srv == nil {
		return o.url
	}
	return fmt.Sprintf("%s on %s (fresh, pid %d)", o.server, o.database, srv.cmd.Process.Pid)
}

// recorder collects every request's latency, by route.
type recorder struct {
	mu      sync.Mutex
	samples map[string][]time.Duration
	errors  map[string]int
	first   string
}

func newRecorder() *recorder {
	return &recorder{samples: map[string][]time.Duration{}, errors: map[string]int{}}
}

func (r *recorder) add(route string, d time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.samples[route] = append(r.samples[route], d)
	if err != nil {
		r.errors[route]++
		if r.first == "" {
			r.first = route + ": " + err.Error()
		}
	}
}

func (r *recorder) errorCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.errors {
		n += e
	}
	return n
}

func (r *recorder) firstError() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.first
}

// routeStats are one route's figures.
type routeStats struct {
	route         string
	n, errors     int
	p50, p95, p99 time.Duration
	max           time.Duration
}

type loadReport struct {
	routes []routeStats
	// journey is every request of the rounds themselves (home, start,
	// question, drafts, answers, report, dashboard), without the logins:
	// those wait on the in-process identity provider, which signs its
	// tokens one at a time on the same cores.
	journey routeStats
	total   routeStats
}

// loginRoute reports a request of the OpenID Connect login.
func loginRoute(route string) bool { return strings.HasPrefix(route, "GET /auth/") }

func (r *recorder) report(elapsed time.Duration) loadReport {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out loadReport
	var all, journey []time.Duration
	allErrors, journeyErrors := 0, 0
	for route, ds := range r.samples {
		out.routes = append(out.routes, stats(route, ds, r.errors[route]))
		all = append(all, ds...)
		allErrors += r.errors[route]
		if !loginRoute(route) {
			journey = append(journey, ds...)
			journeyErrors += r.errors[route]
		}
	}
	sort.Slice(out.routes, func(i, j int) bool { return routeOrder(out.routes[i].route) < routeOrder(out.routes[j].route) })
	out.journey = stats("journey (no login)", journey, journeyErrors)
	out.total = stats("all", all, allErrors)
	return out
}

var routes = []string{"GET /auth/:provider", "GET /auth/:provider/callback", "GET /", "POST /rounds", "GET /rounds/:id", "POST /rounds/:id/draft", "POST /rounds/:id/answers", "GET /rounds/:id/report", "GET /dashboard"}

func routeOrder(r string) int {
	for i, x := range routes {
		if x == r {
			return i
		}
	}
	return len(routes)
}

func stats(route string, ds []time.Duration, errs int) routeStats {
	s := routeStats{route: route, n: len(ds), errors: errs}
	if len(ds) == 0 {
		return s
	}
	sorted := append([]time.Duration(nil), ds...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	at := func(q float64) time.Duration { return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))] }
	s.p50, s.p95, s.p99, s.max = at(0.50), at(0.95), at(0.99), sorted[len(sorted)-1]
	return s
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func printReport(w io.Writer, r loadReport, elapsed time.Duration, rss string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "route\trequests\terrors\treq/s\tp50\tp95\tp99\tmax\t")
	for _, s := range append(r.routes, r.journey, r.total) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%s\t%s\t%s\t%s\t\n", s.route, s.n, s.errors,
			float64(s.n)/elapsed.Seconds(), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max))
	}
	tw.Flush()
	if rss != "" {
		fmt.Fprintf(w, "server memory after the load: %s\n", rss)
	}
}

// checkStatus is the error of a response with a status other than want.
func checkStatus(res *http.Response, want int) error {
	if res.StatusCode != want {
		return fmt.Errorf("status %d, want %d", res.StatusCode, want)
	}
	return nil
}
