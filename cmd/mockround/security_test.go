package main

import (
	"context"
	"net/http"
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
	waitHealthy(t, "http://"+addr)
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
