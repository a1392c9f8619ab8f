package lru

import "testing"

func TestCacheBound(t *testing.T) {
	c := New[int, string](100)
	c.Put(1, "one", 60)
	c.Put(2, "two", 30)
	if v, ok := c.Get(1); !ok || v != "one" {
		t.Fatalf("Get(1) = %q, %v while there is room", v, ok)
	}
	// 1 was used last: 2 goes first when room runs out.
	c.Put(3, "three", 30)
	if _, ok := c.Get(2); ok {
		t.Error("the least recently used value was kept over the bound")
	}
	if _, ok := c.Get(1); !ok {
		t.Error("the most recently used value was dropped")
	}
	c.Put(1, "uno", 10)
	if v, _ := c.Get(1); v != "uno" || c.Size() != 40 {
		t.Errorf("a value put again replaces the old one: %q, size %d, want uno, 40", v, c.Size())
	}
	c.Put(3, "huge", 101)
	if _, ok := c.Get(3); ok {
		t.Error("a value bigger than the whole cache was kept")
	}
	if c.Size() != 10 {
		t.Errorf("size %d after an oversized put replaced 3, want 10", c.Size())
	}
	c.Delete(1)
	if _, ok := c.Get(1); ok || c.Size() != 0 {
		t.Errorf("after Delete: size %d, want 0", c.Size())
	}
	c.Delete(42) // absent: nothing happens
}
