package handlers

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are mockround's Prometheus metrics, in a registry of their own
// (no package globals), served at /metrics.
type Metrics struct {
	Registry *prometheus.Registry
	// Token, when set, is the bearer token /metrics requires.
	Token string
	// OwnListener serves the metrics on a listener of their own
	// (METRICS_ADDR): the app's /metrics then answers 404.
	OwnListener bool
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
}

// NewMetrics registers the HTTP metrics and the Go runtime collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mockround_http_requests_total",
			Help: "HTTP requests by method, route and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "mockround_http_request_duration_seconds",
			Help:    "HTTP request latency by method and route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
	}
	m.Registry.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// metricMethods are the methods counted by name; any other is "other", so
// made-up methods cannot grow the label set.
var metricMethods = map[string]bool{http.MethodGet: true, http.MethodHead: true, http.MethodPost: true,
	http.MethodPut: true, http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true}

func methodLabel(m string) string {
	if metricMethods[m] {
		return m
	}
	return "other"
}

// middleware counts every request under its route template (/rounds/:id,
// not /rounds/42) and a known method so the label set stays small and
// fixed.
func (m *Metrics) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		status := c.Response().Status
		if err != nil {
			var he *echo.HTTPError
			if errors.As(err, &he) {
				status = he.Code
			} else {
				status, _ = errorStatus(err)
			}
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		method := methodLabel(c.Request().Method)
		m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
		m.latency.WithLabelValues(method, route).Observe(time.Since(start).Seconds())
		return err
	}
}

// Handler serves the registry, to holders of the token when one is set.
func (m *Metrics) Handler() http.Handler {
	return m.Protect(promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry}))
}

// Protect serves h only to requests that carry the metrics token, when
// one is set: the metrics and the operator's other endpoints (profiles).
func (m *Metrics) Protect(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if m.Token != "" {
			got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(m.Token)) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
				http.Error(w, "metrics need a bearer token", http.StatusUnauthorized)
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// metrics serves /metrics on the app's address, unless they have a
// listener of their own.
func (h *Handlers) metrics(c echo.Context) error {
	if h.Metrics.OwnListener {
		return echo.ErrNotFound
	}
	h.Metrics.Handler().ServeHTTP(c.Response(), c.Request())
	return nil
}
