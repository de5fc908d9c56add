package main

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
)

// Cache memoises compute; its author assumed one caller at a time.
type Cache struct {
	m map[int]string
}

func NewCache() *Cache { return &Cache{m: make(map[int]string)} }

func (c *Cache) Get(k int) string {
	if v, ok := c.m[k]; ok {
		return v
	}
	v := compute(k)
	c.m[k] = v
	return v
}

func (c *Cache) Evict(k int) { delete(c.m, k) }

// compute is the expensive function behind the cache: the etag of an object.
func compute(k int) string {
	sum := sha1.Sum([]byte(fmt.Sprintf("object/%d/rev-%d", k, k%7)))
	return hex.EncodeToString(sum[:])
}

func runCache() {
	c := NewCache()
	for k := 0; k < 512; k++ {
		c.Get(k)
	}
	settle(c.m)
	mapReady(len(c.m)) // watch cache: c.m
	gate.expect(6)
	for w := 0; w < 6; w++ {
		go cacheClient(c, w)
	}
	gate.publish(c.m, "", "concurrent map writes|concurrent map read and map write")
}

// cacheClient looks etags up in a pseudo-random order shared by no one,
// and evicts one entry every few lookups.
func cacheClient(c *Cache, w int) {
	gate.accessor(true)
	x := uint32(w*7919 + 1)
	n := 0
	for i := 0; ; i++ {
		x = x*1664525 + 1013904223
		n += len(c.Get(int(x>>8) % 512))
		if i%4 == 0 {
			c.Evict(int(x>>16) % 512)
		}
		if i%1024 == 0 {
			use(n)
		}
	}
}
