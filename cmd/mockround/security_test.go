package main

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeMetricsOwnListener: with METRICS_ADDR the metrics are served
// there, behind METRICS_TOKEN, and not on the app's address.
func TestServeMetricsOwnListener(t *testing.T) {
	addr, maddr := freeAddr(t), freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, nil, envOf(map[string]string{"ADDR": addr, "DATA_DIR": t.TempDir(),
			"METRICS_ADDR": maddr, "METRICS_TOKEN": "a-long-metrics-token"}), nil, &logs, &logs)
	}()
	waitHealthy(t, "http://"+addr, done, &logs)
	get := func(url, token string) int {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if s := get("http://"+addr+"/metrics", "a-long-metrics-token"); s != http.StatusNotFound {
		t.Errorf("app's /metrics: %d, want 404", s)
	}
	if s := get("http://"+maddr+"/metrics", ""); s != http.StatusUnauthorized {
		t.Errorf("metrics without the token: %d, want 401", s)
	}
	if s := get("http://"+maddr+"/metrics", "a-long-metrics-token"); s != http.StatusOK {
		t.Errorf("metrics with the token: %d", s)
	}
	// Go's profiles: on the metrics listener only, behind the same token.
	if s := get("http://"+addr+"/debug/pprof/", "a-long-metrics-token"); s != http.StatusNotFound {
		t.Errorf("app's /debug/pprof/: %d, want 404", s)
	}
	for _, path := range []string{"/debug/pprof/", "/debug/pprof/heap", "/debug/pprof/profile?seconds=1"} {
		if s := get("http://"+maddr+path, ""); s != http.StatusUnauthorized {
			t.Errorf("%s without the token: %d, want 401", path, s)
		}
	}
	if s := get("http://"+maddr+"/debug/pprof/heap", "a-long-metrics-token"); s != http.StatusOK {
		t.Errorf("/debug/pprof/heap with the token: %d", s)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("%v\n%s", err, logs.String())
	}
}

func TestMetricsConfigChecked(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"short token": {"METRICS_TOKEN": "short"},
		"bad addr":    {"METRICS_ADDR": "nowhere"},
	} {
		_, err := loadConfig(envOf(env))
		if err == nil || !strings.Contains(err.Error(), "METRICS_") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestListenAddr(t *testing.T) {
	oidc := map[string]string{"OIDC_ISSUER": "https://id.example", "OIDC_CLIENT_ID": "c", "OIDC_CLIENT_SECRET": "s"}
	with := func(m map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	tests := []struct {
		name, want, wantErr string
		warn                bool
		env                 map[string]string
	}{
		{name: "OK local default on loopback", env: map[string]string{}, want: "127.0.0.1:8080"},
		{name: "OK local all interfaces to loopback", env: map[string]string{"ADDR": "0.0.0.0:9000"}, want: "127.0.0.1:9000"},
		{name: "OK local loopback kept", env: map[string]string{"ADDR": "[::1]:9000"}, want: "[::1]:9000"},
		{name: "OK local allowed public", env: map[string]string{"ALLOW_PUBLIC_LOCAL_MODE": "1"}, want: ":8080", warn: true},
		{name: "OK login on every interface", env: oidc, want: ":8080"},
		{name: "OK login on an address", env: with(oidc, "ADDR", "10.1.2.3:80"), want: "10.1.2.3:80"},
		{name: "ErrLocalOnNetworkAddress", env: map[string]string{"ADDR": "10.1.2.3:80"}, wantErr: "ALLOW_PUBLIC_LOCAL_MODE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := loadConfig(envOf(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			got, warning, err := cfg.listenAddr()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to mention %s", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want || (warning != "") != tt.warn {
				t.Errorf("listenAddr() = %q, warning %q, err %v; want %q, warning %v", got, warning, err, tt.want, tt.warn)
			}
		})
	}
	if _, err := loadConfig(envOf(map[string]string{"ALLOW_PUBLIC_LOCAL_MODE": "yes please"})); err == nil {
		t.Error("ALLOW_PUBLIC_LOCAL_MODE takes 1 or 0")
	}
}

// TestServeLocalModePrivate: local mode on ":port" listens on 127.0.0.1
// only, and keeps its data folder 0700 and its database 0600.
func TestServeLocalModePrivate(t *testing.T) {
	_, port, _ := net.SplitHostPort(freeAddr(t))
	dir := filepath.Join(t.TempDir(), "data")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, nil, envOf(map[string]string{"ADDR": ":" + port, "DATA_DIR": dir}), nil, &logs, &logs)
	}()
	waitHealthy(t, "http://127.0.0.1:"+port, done, &logs)
	if !strings.Contains(logs.String(), "addr=127.0.0.1:"+port) {
		t.Errorf("local mode should listen on 127.0.0.1:%s:\n%s", port, logs.String())
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, "mockround.db"): 0o600,
		filepath.Join(dir, "mockround.db-wal"): 0o600, filepath.Join(dir, "session.key"): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s has mode %o, want %o", filepath.Base(path), got, want)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestAllowListConfig(t *testing.T) {
	cfg, err := loadConfig(envOf(map[string]string{"GITHUB_CLIENT_ID": "g", "GITHUB_CLIENT_SECRET": "s",
		"ALLOWED_EMAIL_DOMAINS": " Example.com, example.org ,", "GITHUB_ALLOWED_ORGS": "MockRound-Team"}))
	if err != nil {
		t.Fatal(err)
	}
	o := cfg.authOptions([]byte("x"))
	if strings.Join(o.AllowedEmailDomains, ",") != "example.com,example.org" || strings.Join(o.GitHubAllowedOrgs, ",") != "mockround-team" {
		t.Errorf("allow-lists %v %v", o.AllowedEmailDomains, o.GitHubAllowedOrgs)
	}
	for name, env := range map[string]map[string]string{
		"orgs without GitHub":     {"GITHUB_ALLOWED_ORGS": "team", "OIDC_ISSUER": "https://id.example", "OIDC_CLIENT_ID": "c", "OIDC_CLIENT_SECRET": "s"},
		"domains without login":   {"ALLOWED_EMAIL_DOMAINS": "example.com"},
		"an address for a domain": {"ALLOWED_EMAIL_DOMAINS": "me@example.com", "GITHUB_CLIENT_ID": "g", "GITHUB_CLIENT_SECRET": "s"},
	} {
		if _, err := loadConfig(envOf(env)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
