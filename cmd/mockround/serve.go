package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime/debug"
	"time"

	"github.com/mockround/mockround/handlers"
	"github.com/mockround/mockround/models"
)

// shutdownGrace is how long in-flight requests get to finish on SIGTERM.
const shutdownGrace = 20 * time.Second

// serveGCPercent is the server's GOGC. Most of its live heap (about
// 17 MB) is the compiled question bank, which never becomes garbage, and
// Go's default of 100 lets the heap grow by as much again between
// collections: 17 MB held for garbage a request makes in kilobytes. At
// 30 the server stays under 60 MB resident after wrk's loads (70 MB at
// 100), for collections about three times as often (measured in the
// README, Performance).
const serveGCPercent = 30

// setGCPercent applies serveGCPercent unless GOGC says otherwise.
func setGCPercent(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
}

func serve(ctx context.Context, e env, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Sprintf("serve takes no arguments, got %q", args)}
	}
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		return err
	}
	setGCPercent(e.getenv)
	log := cfg.logger(e.stderr)
	secret, err := cfg.sessionSecret()
	if err != nil {
		return err
	}
	bank, err := loadInterviewBank(e.getenv)
	if err != nil {
		return err
	}
	addr, warning, err := cfg.listenAddr()
	if err != nil {
		return err
	}
	if err := cfg.secureDataFiles(); err != nil {
		return err
	}
	store, closeDB, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeDB()
	var auth *handlers.Auth
	if opts := cfg.authOptions(secret); opts.Configured() {
		opts.Log = log
		if auth, err = handlers.NewAuth(ctx, opts); err != nil {
			return err
		}
		log.Info("login enabled", "providers", len(auth.Providers()))
	} else {
		log.Info("no login provider configured: single-user local mode")
	}
	rates, closeRates, err := cfg.rates(ctx)
	if err != nil {
		return err
	}
	defer closeRates()
	if cfg.RedisURL != "" {
		log.Info("rate limits shared through Redis")
	}
	metrics := handlers.NewMetrics()
	metrics.Token = cfg.MetricsToken
	metrics.OwnListener = cfg.MetricsAddr != ""
	if auth != nil && cfg.MetricsToken == "" && cfg.MetricsAddr == "" {
		log.Warn("/metrics is open to anyone: set METRICS_TOKEN or METRICS_ADDR")
	}
	grader, analyzeJD, err := cfg.interviewer(bank, metrics.Registry)
	if err != nil {
		return err
	}
	if grader.Client != nil {
		log.Info("LLM interviewer on", "model", grader.Client.Model(), "url", cfg.LLM.BaseURL)
	}
	h, err := handlers.New(ctx, handlers.Deps{
		Store:         store,
		Log:           log,
		Now:           time.Now,
		BaseURL:       cfg.BaseURL,
		SessionSecret: secret,
		Bank:          bank,
		Auth:          auth,
		Metrics:       metrics,
		Grader:        grader,
		AnalyzeJD:     analyzeJD,
		LLMModel:      cfg.LLM.Model,
		Limits:        cfg.Limits,
		Rates:         rates,
		Version:       buildVersion(),
	})
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           h.Echo(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	// Both listeners are open before either serves: once the app answers,
	// so do the metrics.
	var mln net.Listener
	if cfg.MetricsAddr != "" {
		if mln, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			ln.Close()
			return fmt.Errorf("listen on METRICS_ADDR %s: %w", cfg.MetricsAddr, err)
		}
	}
	if warning != "" {
		log.Warn(warning)
	}
	log.Info("mockround listening", "version", buildVersion(), "addr", ln.Addr().String(), "url", cfg.BaseURL, "database", dbKind(cfg.DatabaseURL))

	// Answers stored but not graded when the server last stopped are
	// graded now, in the background: pages never grade.
	go func() {
		if err := h.GradePending(ctx); err != nil {
			log.Error("grade pending answers", "err", err)
		}
	}()
	// Loading the question bank (YAML) and compiling its phrases leave
	// garbage the size of the live heap: hand it back to the system now
	// rather than carry it as resident memory until the scavenger does.
	debug.FreeOSMemory()
	errc := make(chan error, 2)
	var msrv *http.Server
	if mln != nil {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", metrics.Handler())
		// The operator's own listener also serves Go's profiles (behind
		// the metrics token, when one is set), so a slow instance can be
		// looked at where it runs.
		mux.Handle("GET /debug/pprof/", metrics.Protect(http.HandlerFunc(pprof.Index)))
		mux.Handle("GET /debug/pprof/profile", metrics.Protect(http.HandlerFunc(pprof.Profile)))
		mux.Handle("GET /debug/pprof/trace", metrics.Protect(http.HandlerFunc(pprof.Trace)))
		msrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
		log.Info("metrics listening", "addr", mln.Addr().String())
		go func() {
			if err := msrv.Serve(mln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("metrics: %w", err)
			}
		}()
	}
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	if msrv != nil {
		msrv.Close()
	}
	log.Info("shutting down: letting in-flight requests finish", "grace", shutdownGrace)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

func dbKind(url string) string {
	if models.IsPostgres(url) {
		return "postgresql"
	}
	return "sqlite " + url
}

// openStore opens the configured database and brings its schema up to
// date; closeDB releases it.
func openStore(ctx context.Context, cfg Config, log *slog.Logger) (store *models.Store, closeDB func(), err error) {
	db, err := models.Open(cfg.DatabaseURL, log)
	if err != nil {
		return nil, nil, err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, nil, err
	}
	if err := models.Migrate(ctx, db); err != nil {
		sqlDB.Close()
		return nil, nil, err
	}
	return models.NewStore(db), func() { sqlDB.Close() }, nil
}
