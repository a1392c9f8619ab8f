package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/mockround/mockround/handlers"
	"github.com/mockround/mockround/interview"
	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/interview/llm"
)

// Config is everything mockround reads from the environment, parsed and
// validated once, then passed down.
type Config struct {
	Addr          string
	DatabaseURL   string
	DataDir       string
	BaseURL       string
	SessionSecret string
	LogLevel      slog.Level
	LogFormat     string
	BankDir       string
	// MetricsToken, when set, is the bearer token /metrics requires;
	// MetricsAddr serves the metrics on a listener of their own instead.
	MetricsToken string
	MetricsAddr  string
	// AllowPublicLocalMode lets local mode (no login) listen beyond this
	// machine (ALLOW_PUBLIC_LOCAL_MODE=1).
	AllowPublicLocalMode bool

	GitHub     handlers.OAuthClient
	Google     handlers.OAuthClient
	OIDC       handlers.OAuthClient
	OIDCIssuer string
	// AllowedEmailDomains and GitHubAllowedOrgs restrict who may log in.
	AllowedEmailDomains []string
	GitHubAllowedOrgs   []string

	// LLM is the optional model interviewer; off when BaseURL is empty.
	LLM llm.Config

	// Limits are the request rates allowed, per minute
	// (ANSWER_RATE_LIMIT, LOGIN_RATE_LIMIT, ...).
	Limits handlers.Limits
	// RedisURL, when set, shares the rate limits between instances.
	RedisURL string
}

// maxRateLimit is the highest per-minute limit accepted: a load test
// raises the limits out of its way, and no person comes near it.
const maxRateLimit = 1_000_000

// rateLimitVars are the per-minute limits read from the environment.
var rateLimitVars = []struct {
	name string
	def  int
	set  func(*handlers.Limits, int)
}{
	{"ANSWER_RATE_LIMIT", handlers.DefaultAnswersPerMinute, func(l *handlers.Limits, n int) { l.AnswersPerMinute = n }},
	{"LOGIN_RATE_LIMIT", handlers.DefaultLoginPerMinute, func(l *handlers.Limits, n int) { l.LoginPerMinute = n }},
	{"DRAFT_RATE_LIMIT", handlers.DefaultDraftsPerMinute, func(l *handlers.Limits, n int) { l.DraftsPerMinute = n }},
	{"ROUND_RATE_LIMIT", handlers.DefaultRoundsPerMinute, func(l *handlers.Limits, n int) { l.RoundsPerMinute = n }},
	{"MODEL_RATE_LIMIT", handlers.DefaultModelCallsPerMinute, func(l *handlers.Limits, n int) { l.ModelCallsPerMinute = n }},
}

// minSecretLen is the shortest SESSION_SECRET accepted: cookies are signed
// with it, so it must not be guessable.
const minSecretLen = 32

// minMetricsTokenLen is the shortest METRICS_TOKEN accepted.
const minMetricsTokenLen = 16

// loadConfig reads the environment. Every problem is reported at once, each
// naming its variable and what a valid value looks like.
func loadConfig(getenv func(string) string) (Config, error) {
	var badAllow string
	c := Config{
		Addr:          or(getenv("ADDR"), ":8080"),
		DataDir:       or(getenv("DATA_DIR"), "data"),
		BaseURL:       strings.TrimRight(getenv("BASE_URL"), "/"),
		SessionSecret: getenv("SESSION_SECRET"),
		LogFormat:     or(strings.ToLower(getenv("LOG_FORMAT")), "text"),
		BankDir:       getenv("MOCKROUND_BANK_DIR"),
		MetricsToken:  getenv("METRICS_TOKEN"),
		MetricsAddr:   getenv("METRICS_ADDR"),
	}
	switch v := getenv("ALLOW_PUBLIC_LOCAL_MODE"); v {
	case "", "0", "false":
	case "1", "true":
		c.AllowPublicLocalMode = true
	default:
		badAllow = v
	}
	c.DatabaseURL = or(getenv("DATABASE_URL"), filepath.Join(c.DataDir, "mockround.db"))
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		bad("ADDR %q is not a listen address: use host:port or :port, e.g. :8080", c.Addr)
	}
	if badAllow != "" {
		bad("ALLOW_PUBLIC_LOCAL_MODE %q must be 1 or 0", badAllow)
	}
	if c.MetricsAddr != "" {
		if _, port, err := net.SplitHostPort(c.MetricsAddr); err != nil || port == "" {
			bad("METRICS_ADDR %q is not a listen address: use host:port, e.g. 127.0.0.1:9090", c.MetricsAddr)
		}
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < minMetricsTokenLen {
		bad("METRICS_TOKEN must be at least %d characters", minMetricsTokenLen)
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://localhost" + portSuffix(c.Addr)
	} else if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("BASE_URL %q must be an absolute http(s) URL, e.g. https://mockround.example.com", c.BaseURL)
	}
	if c.SessionSecret != "" && len(c.SessionSecret) < minSecretLen {
		bad("SESSION_SECRET must be at least %d characters (or unset, and one is generated)", minSecretLen)
	}
	switch lvl := strings.ToLower(getenv("LOG_LEVEL")); lvl {
	case "", "info":
		c.LogLevel = slog.LevelInfo
	case "debug":
		c.LogLevel = slog.LevelDebug
	case "warn", "warning":
		c.LogLevel = slog.LevelWarn
	case "error":
		c.LogLevel = slog.LevelError
	default:
		bad("LOG_LEVEL %q must be debug, info, warn or error", lvl)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("LOG_FORMAT %q must be text or json", c.LogFormat)
	}
	pair := func(idVar, secretVar string) handlers.OAuthClient {
		oc := handlers.OAuthClient{ID: getenv(idVar), Secret: getenv(secretVar)}
		if (oc.ID == "") != (oc.Secret == "") {
			bad("%s and %s must be set together", idVar, secretVar)
		}
		return oc
	}
	c.GitHub = pair("GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET")
	c.Google = pair("GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET")
	c.OIDC = pair("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET")
	c.OIDCIssuer = strings.TrimRight(getenv("OIDC_ISSUER"), "/")
	if (c.OIDCIssuer == "") != (c.OIDC.ID == "") {
		bad("OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together")
	} else if c.OIDCIssuer != "" {
		if u, err := url.Parse(c.OIDCIssuer); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("OIDC_ISSUER %q must be the issuer's URL, e.g. https://accounts.example.com", c.OIDCIssuer)
		}
	}
	c.AllowedEmailDomains = list(getenv("ALLOWED_EMAIL_DOMAINS"))
	for _, d := range c.AllowedEmailDomains {
		if strings.ContainsAny(d, "@/ ") || !strings.Contains(d, ".") {
			bad("ALLOWED_EMAIL_DOMAINS: %q is not a domain: use a comma-separated list such as example.com,example.org", d)
		}
	}
	c.GitHubAllowedOrgs = list(getenv("GITHUB_ALLOWED_ORGS"))
	if len(c.GitHubAllowedOrgs) > 0 && c.GitHub.ID == "" {
		bad("GITHUB_ALLOWED_ORGS needs GitHub login (GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET)")
	}
	if (len(c.AllowedEmailDomains) > 0 || len(c.GitHubAllowedOrgs) > 0) && !c.loginConfigured() {
		bad("ALLOWED_EMAIL_DOMAINS and GITHUB_ALLOWED_ORGS need a login provider")
	}
	c.LLM = llm.Config{BaseURL: getenv("LLM_BASE_URL"), Model: getenv("LLM_MODEL"), APIKey: getenv("LLM_API_KEY")}
	if raw := getenv("LLM_TIMEOUT"); raw != "" {
		d, err := time.ParseDuration(raw)
		if err != nil || d <= 0 || d > 5*time.Minute {
			bad("LLM_TIMEOUT %q must be a duration such as 20s, at most 5m", raw)
		}
		c.LLM.Timeout = d
	}
	if c.LLM.BaseURL != "" {
		if u, err := url.Parse(c.LLM.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("LLM_BASE_URL %q must be an http(s) URL of an OpenAI-compatible API, e.g. http://localhost:11434/v1", c.LLM.BaseURL)
		}
		if c.LLM.Model == "" {
			bad("LLM_MODEL is required with LLM_BASE_URL (e.g. llama3.1)")
		}
	} else if c.LLM.Model != "" || c.LLM.APIKey != "" {
		bad("LLM_MODEL and LLM_API_KEY need LLM_BASE_URL")
	}
	c.RedisURL = strings.TrimSpace(getenv("REDIS_URL"))
	if c.RedisURL != "" {
		if _, err := redis.ParseURL(c.RedisURL); err != nil {
			bad("REDIS_URL is not a Redis URL (%v): use redis://[:password@]host:6379/0 or rediss:// for TLS", err)
		}
	}
	for _, v := range rateLimitVars {
		n := v.def
		if raw := strings.TrimSpace(getenv(v.name)); raw != "" {
			var err error
			if n, err = strconv.Atoi(raw); err != nil || n < 1 || n > maxRateLimit {
				bad("%s %q must be a whole number of requests per minute from 1 to %d (default %d)", v.name, raw, maxRateLimit, v.def)
				continue
			}
		}
		v.set(&c.Limits, n)
	}
	if strings.Contains(c.DatabaseURL, "://") && !strings.HasPrefix(c.DatabaseURL, "postgres") {
		bad("DATABASE_URL must be a postgres:// URL or a SQLite file path, e.g. data/mockround.db")
	}
	if err := errors.Join(errs...); err != nil {
		return Config{}, fmt.Errorf("configuration:\n%w", err)
	}
	return c, nil
}

// sessionSecret returns the configured secret, or the one kept in the data
// folder, generating it on first start so a restart keeps people logged in.
func (c Config) sessionSecret() ([]byte, error) {
	if c.SessionSecret != "" {
		return []byte(c.SessionSecret), nil
	}
	path := filepath.Join(c.DataDir, "session.key")
	if b, err := os.ReadFile(path); err == nil {
		if s := strings.TrimSpace(string(b)); len(s) >= minSecretLen {
			return []byte(s), nil
		}
		return nil, fmt.Errorf("%s holds a secret shorter than %d characters: delete it to generate a new one", path, minSecretLen)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read session secret: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	secret := hex.EncodeToString(raw)
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("keep session secret: %w", err)
	}
	return []byte(secret), nil
}

// loginConfigured reports whether any login provider is set.
func (c Config) loginConfigured() bool {
	return c.GitHub.ID != "" || c.Google.ID != "" || c.OIDCIssuer != ""
}

// listenAddr is where to listen. Local mode has no login, so unless the
// operator allows it (ALLOW_PUBLIC_LOCAL_MODE=1) it listens on this
// machine only: ADDR on every interface (":8080", the default) becomes
// 127.0.0.1 on the same port, and a non-loopback address is refused.
// warning is for the log when local mode is served beyond this machine.
func (c Config) listenAddr() (addr, warning string, err error) {
	if c.loginConfigured() {
		return c.Addr, "", nil
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return "", "", fmt.Errorf("ADDR %q: %w", c.Addr, err)
	}
	if isLoopback(host) {
		return c.Addr, "", nil
	}
	if c.AllowPublicLocalMode {
		return c.Addr, "local mode has no login, and ALLOW_PUBLIC_LOCAL_MODE=1 serves it on " + c.Addr + ": anyone who reaches it acts as the local user", nil
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		return net.JoinHostPort("127.0.0.1", port), "", nil
	}
	return "", "", fmt.Errorf("ADDR %q would serve local mode, which has no login, beyond this machine: "+
		"listen on 127.0.0.1, configure a login provider, or set ALLOW_PUBLIC_LOCAL_MODE=1", c.Addr)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// secureDataFiles keeps the data folder (0700) and the SQLite database
// (0600) private to the user running mockround: they hold everyone's
// practice history and the session secret.
func (c Config) secureDataFiles() error {
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return fmt.Errorf("create data folder: %w", err)
	}
	if err := os.Chmod(c.DataDir, 0o700); err != nil {
		return fmt.Errorf("data folder permissions: %w", err)
	}
	if strings.Contains(c.DatabaseURL, "://") || strings.Contains(c.DatabaseURL, ":memory:") || strings.HasPrefix(c.DatabaseURL, "file:") {
		return nil
	}
	path := strings.TrimPrefix(c.DatabaseURL, "sqlite:")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create database folder: %w", err)
	}
	// SQLite gives its -wal and -shm files the database file's mode.
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("create database file: %w", err)
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("database file permissions: %w", err)
		}
	}
	return nil
}

func (c Config) logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// list splits a comma-separated value, lower case; nil when empty.
func list(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.ToLower(strings.TrimSpace(p)); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func portSuffix(addr string) string {
	if _, port, err := net.SplitHostPort(addr); err == nil && port != "" {
		return ":" + port
	}
	return ""
}

// authOptions is the login configuration for the handlers.
func (c Config) authOptions(secret []byte) handlers.AuthOptions {
	return handlers.AuthOptions{BaseURL: c.BaseURL, Secret: secret, GitHub: c.GitHub, Google: c.Google, OIDC: c.OIDC, OIDCIssuer: c.OIDCIssuer,
		AllowedEmailDomains: c.AllowedEmailDomains, GitHubAllowedOrgs: c.GitHubAllowedOrgs}
}

// interviewer returns the grader and JD analysis to use: the model's when
// one is configured (anchored on the rubric, falling back to it), else the
// rubric engine's alone. reg receives the model's metrics.
func (c Config) interviewer(bank *grader.Bank, reg prometheus.Registerer) (llm.TurnGrader, func(context.Context, string) interview.JDAnalysis, error) {
	tg := llm.TurnGrader{Rubric: grader.NewGrader(bank)}
	builtin := func(_ context.Context, text string) interview.JDAnalysis { return interview.AnalyzeJD(text) }
	if c.LLM.BaseURL == "" {
		return tg, builtin, nil
	}
	client, err := llm.New(c.LLM, reg)
	if err != nil {
		return tg, nil, fmt.Errorf("LLM: %w", err)
	}
	tg.Client = client
	return tg, client.AnalyzeJDMerged, nil
}

// redisKeyPrefix starts the keys mockround keeps in Redis.
const redisKeyPrefix = "mockround:"

// rates returns where the rate limits are counted: in Redis, shared by
// every instance, when REDIS_URL is set (checked now: a wrong URL stops
// start-up rather than leaving the limits off), else in memory. closeFn
// releases the Redis client.
func (c Config) rates(ctx context.Context) (rates handlers.RateStore, closeFn func(), err error) {
	if c.RedisURL == "" {
		return handlers.NewMemoryRates(), func() {}, nil
	}
	opts, err := redis.ParseURL(c.RedisURL)
	if err != nil {
		return nil, nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	// A slow Redis must not hold requests up: the limits fail open.
	opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout = 2*time.Second, 500*time.Millisecond, 500*time.Millisecond
	client := redis.NewClient(opts)
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := client.Ping(pctx).Err(); err != nil {
		client.Close()
		return nil, nil, fmt.Errorf("REDIS_URL: cannot reach Redis at %s: %w", opts.Addr, err)
	}
	return handlers.NewRedisRates(client, redisKeyPrefix), func() { client.Close() }, nil
}
