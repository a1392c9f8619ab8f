package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"os"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/models/modelstest"
)

// testRedis connects to the Redis of TEST_REDIS_URL (skipped without it,
// failed under CI) and returns a key prefix of the test's own.
func testRedis(t *testing.T) (*redis.Client, string) {
	t.Helper()
	raw := os.Getenv("TEST_REDIS_URL")
	if raw == "" {
		modelstest.SkipOrFail(t, "TEST_REDIS_URL is not set, so the Redis tests do not run (see README, Tests)")
	}
	opts, err := redis.ParseURL(raw)
	if err != nil {
		t.Fatalf("TEST_REDIS_URL: %v", err)
	}
	client := redis.NewClient(opts)
	if err := client.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("redis at TEST_REDIS_URL: %v", err)
	}
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	prefix := "mockround-test-" + hex.EncodeToString(b) + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		keys, _ := client.Keys(ctx, "*"+prefix+"*").Result()
		if len(keys) > 0 {
			client.Del(ctx, keys...)
		}
		client.Close()
	})
	return client, prefix
}

// TestTwoInstancesShareLimitsAndLogout runs two instances of the app, each
// with its own connection pool, over one PostgreSQL and one Redis: answers
// sent to either count against one limit, and a logout on one ends the
// session on the other.
func TestTwoInstancesShareLimitsAndLogout(t *testing.T) {
	dsn := modelstest.PostgresURL(t)
	client, prefix := testRedis(t)
	m := startOIDC(t)
	open := func() *models.Store {
		db, err := models.Open(dsn, nil)
		if err != nil {
			t.Fatal(err)
		}
		sqlDB, _ := db.DB()
		t.Cleanup(func() { sqlDB.Close() })
		if err := models.Migrate(context.Background(), db); err != nil {
			t.Fatal(err)
		}
		return models.NewStore(db)
	}
	limits := Limits{LoginPerMinute: 1e6, AnswersPerMinute: 2, DraftsPerMinute: 1e6, RoundsPerMinute: 1e6}
	var apps [2]*testApp
	for i := range apps {
		store := open()
		apps[i] = newAuthApp(t, store.DB(), m, limits, func(d *Deps) { d.Rates = NewRedisRates(client, prefix) })
	}
	a, b := apps[0], apps[1]
	u := newUser(t, a.h.Store, "shared", "Shared")
	a.loginAs(u)
	b.loginAs(u)

	round := a.startDrill("caching", 5, "study")
	answer := func(app *testApp) int {
		_, _, pos, step := app.current(round)
		res, _ := app.post(round+"/answers", url.Values{"position": {pos}, "step": {step}, "answer": {"Yeah, we'd cache it."}})
		return res.StatusCode
	}
	if got := answer(a); got != http.StatusSeeOther {
		t.Fatalf("first answer, on instance A: %d", got)
	}
	if got := answer(b); got != http.StatusSeeOther {
		t.Fatalf("second answer, on instance B: %d", got)
	}
	// Each instance has seen one answer; together they have seen the two
	// the limit allows.
	if got := answer(a); got != http.StatusTooManyRequests {
		t.Errorf("third answer, on instance A: %d, want 429 (the limit is shared)", got)
	}
	if got := answer(b); got != http.StatusTooManyRequests {
		t.Errorf("third answer, on instance B: %d, want 429 (the limit is shared)", got)
	}
	if keys, err := client.Keys(context.Background(), "*"+prefix+"answers:user:*").Result(); err != nil || len(keys) != 1 {
		t.Errorf("Redis keys of the answer limit: %v, %v", keys, err)
	}

	// A logout on A ends the session B holds too.
	if res, _ := b.get("/dashboard"); res.StatusCode != http.StatusOK {
		t.Fatalf("B before the logout: %d", res.StatusCode)
	}
	a.get("/dashboard")
	if res, _ := a.post("/logout", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout on A: %d", res.StatusCode)
	}
	res, _ := b.get("/dashboard")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?next=%2Fdashboard" {
		t.Errorf("B after the logout on A: %d to %q, want the login page", res.StatusCode, res.Header.Get("Location"))
	}
}
