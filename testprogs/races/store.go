package main

import (
	"encoding/json"
	"strconv"
)

// Item is what the store keeps, JSON-encoded.
type Item struct {
	SKU   string   `json:"sku"`
	Name  string   `json:"name"`
	Price float64  `json:"price"`
	Stock int      `json:"stock"`
	Tags  []string `json:"tags,omitempty"`
}

// Store is an in-memory document store whose author forgot the mutex.
type Store struct {
	items map[string][]byte
}

func NewStore() *Store {
	return &Store{items: make(map[string][]byte)}
}

// Put encodes v and stores it under k.
func (s *Store) Put(k string, v Item) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	s.items[k] = b
}

// Get decodes the item stored under k.
func (s *Store) Get(k string) (Item, bool) {
	b, ok := s.items[k]
	if !ok {
		return Item{}, false
	}
	var v Item
	if err := json.Unmarshal(b, &v); err != nil {
		panic(err)
	}
	return v, true
}

func skuKey(n int) string { return "sku-" + strconv.Itoa(n) }

func newItem(n int) Item {
	return Item{
		SKU:   skuKey(n),
		Name:  "Widget " + strconv.Itoa(n),
		Price: float64(n%97) + 0.99,
		Stock: n % 13,
		Tags:  []string{kinds[n%len(kinds)], "batch-" + strconv.Itoa(n/50)},
	}
}

func runStore() {
	s := NewStore()
	for i := 0; i < 400; i++ {
		s.Put(skuKey(i), newItem(i))
	}
	settle(s.items)
	mapReady(len(s.items)) // watch store: s.items
	gate.expect(5)
	for w := 0; w < 4; w++ {
		go restock(s, w)
	}
	go audit(s)
	gate.publish(s.items, "", "concurrent map writes|concurrent map read and map write")
}

// restock reads an item, changes its stock and writes it back (adding
// items the store does not have yet).
func restock(s *Store, w int) {
	gate.accessor(true)
	for i := w * 101; ; i++ {
		n := i % 400
		v, ok := s.Get(skuKey(n))
		if !ok {
			v = newItem(n)
		}
		v.Stock += 1 + i%5
		s.Put(skuKey(n), v)
	}
}

// audit only reads: the stock value of the catalogue.
func audit(s *Store) {
	gate.accessor(false)
	worth := 0.0
	for i := 0; ; i++ {
		if v, ok := s.Get(skuKey(i % 400)); ok {
			worth += v.Price * float64(v.Stock)
		}
		if i%400 == 399 {
			use(int(worth))
			worth = 0
		}
	}
}
