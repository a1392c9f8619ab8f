package handlers

import (
	"context"
	"fmt"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// RedisRates is a RateStore in Redis, shared by every instance that uses
// the same Redis: a user's answers count the same wherever the load
// balancer sends them. It uses redis_rate's GCRA, which reads Redis's
// clock, not the app's: the now passed to Allow is not used.
type RedisRates struct {
	limiter *redis_rate.Limiter
	// prefix starts every key, so instances of other apps (or tests) can
	// share the Redis.
	prefix string
}

// NewRedisRates counts the limits in the Redis of client, under keys that
// start with prefix.
func NewRedisRates(client redis.UniversalClient, prefix string) *RedisRates {
	return &RedisRates{limiter: redis_rate.NewLimiter(client), prefix: prefix}
}

// Allow implements RateStore.
func (r *RedisRates) Allow(ctx context.Context, key string, perMinute int, _ time.Time) (bool, time.Duration, error) {
	res, err := r.limiter.Allow(ctx, r.prefix+key, redis_rate.PerMinute(perMinute))
	if err != nil {
		return false, 0, fmt.Errorf("redis rate limit %s: %w", key, err)
	}
	if res.Allowed > 0 {
		return true, 0, nil
	}
	return false, res.RetryAfter, nil
}
