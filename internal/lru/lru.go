// Package lru keeps values in memory up to a bound in bytes, dropping the
// least recently used first. The app keeps drawn pages and loaded rounds
// in it; each caller says what a value weighs.
package lru

import (
	"container/list"
	"sync"
)

// Cache holds values by key up to max bytes, as weighed when put. It is
// safe for concurrent use.
type Cache[K comparable, V any] struct {
	mu    sync.Mutex
	max   int
	size  int
	items map[K]*list.Element
	order *list.List // front: most recently used
}

type entry[K comparable, V any] struct {
	key  K
	val  V
	size int
}

// New returns a cache that holds at most maxBytes.
func New[K comparable, V any](maxBytes int) *Cache[K, V] {
	return &Cache[K, V]{max: maxBytes, items: map[K]*list.Element{}, order: list.New()}
}

// Get returns the value kept under key and marks it used.
func (c *Cache[K, V]) Get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*entry[K, V]).val, true
}

// Put keeps val under key, in place of any value there, weighing size
// bytes; the least recently used values go until the cache is within its
// bound. A value bigger than the whole cache is not kept, and drops the
// older value under its key.
func (c *Cache[K, V]) Put(key K, val V, size int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.remove(key)
	if size > c.max {
		return
	}
	c.items[key] = c.order.PushFront(&entry[K, V]{key: key, val: val, size: size})
	c.size += size
	for c.size > c.max {
		c.remove(c.order.Back().Value.(*entry[K, V]).key)
	}
}

// Delete drops the value under key, if any.
func (c *Cache[K, V]) Delete(key K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.remove(key)
}

// Size is the weight of the values kept, in bytes.
func (c *Cache[K, V]) Size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

func (c *Cache[K, V]) remove(key K) {
	el, ok := c.items[key]
	if !ok {
		return
	}
	c.size -= el.Value.(*entry[K, V]).size
	c.order.Remove(el)
	delete(c.items, key)
}
