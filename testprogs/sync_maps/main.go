// sync_maps holds sync.Maps for `go map`, `go print` and their JSON: a
// small one with keys of several dynamic types, one of 100k entries, one
// with deleted and (on the read/dirty sync.Map of go1.23 and older)
// expunged entries, reached through a global, a *sync.Map and a field.
// The program writes its ground truth: each map's live entries (from a
// plain map[any]any it keeps beside it), its rendering as go print shows
// it, and what it did to the map that the physical view must show.
//
// command: go map gSmall --all
// check: main.gSmall (global): sync.Map @ {value:small_address}
// check: layout: {value:sync_layout}[...], len {value:small_len}
// check-entries: small
// command: go map gSmall --all --json
// check-sync-json-map: small
// command: go print gSmall
// check-value: gSmall
// command: go print gSmall --json
// check-sync-print-json: gSmall small
// command: go map gBig --all
// check-entries: big
// command: go map gBig
// check: (100 of {value:big_len} entries shown; --all shows every entry)
// command: go print gBig --deref 1
// check: [...]gBig (global) = &sync.Map{[...], ...+99936}
// command: go map gEmpty --all
// check: main.gEmpty (global): sync.Map @ {value:empty_address}
// check: layout: {value:sync_layout}[...], len 0
// check: (0 entries)
// command: go print gEmpty
// check-value: gEmpty
// command: go map gHolder.m --all
// check-entries: churned
// command: go map gHolder.m --all --json
// check-sync-json-map: churned
// command: go map gHolder.m --buckets
// check-sync-buckets: churned
// command: go map gHolder.m --buckets --json
// check-sync-buckets: churned
// command: go map gHolder.m --key k11
// check: key string("k11"): int(11)
// command: go map gHolder.m --key k10
// check: {value:key_k10}
// check: {value:key_k10_where}
// command: go map gHolder.m --key k00 --json
// check-sync-key-json: k00
// command: go map gSmall --key int64(3) --json
// check: [...]"found": true, "state": "live", "key": {"type": "int64", "value": 3}, "value": {"type": "string", "value": "int64 three"}, "location": [...]
// command: go map gBig --buckets --json
// check-sync-buckets: big
// command: go map gNested --all
// check-entries: nested
// command: go print gNested
// check-value: gNested
//
// Caps a user sets apply to the keys and values listed.
// command: go map gNested --all --max-elements 1
// check-entries: nested@caps=1,1024,8
// command: go map gSmall --all --json --max-string 3
// check-sync-json-map: small@caps=64,3,8
// live-command: go map pm --all
// check-entries: small
// live-command: go print h.m
// check-value: gChurned
// gdb-command: print 'main.gSmall'
// check: $[...] = {value:gSmall}
// gdb-command: set print elements 2
// gdb-command: print 'main.gNested'
// check: $[...] = sync.Map{string("inner"): map[string]int{"a": 1, "b": 2}, string("other"): map[int]string{7: "seven"}}
// gdb-command: print 'main.gHolder'.m
// check: $[...] = sync.Map{string("k11"): int(11), string("k12"): int(12), ...+28}
// gdb-command: set print elements 200
// command: go map gHolder.name
// check-error: is a string, not a map
package main

import (
	"fmt"
	"os"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"

	"gomapdbg/testprogs/internal/truth"
)

type Point struct{ X, Y int }

type Holder struct {
	name string
	m    sync.Map
}

var (
	gSmall    sync.Map
	gBig      = new(sync.Map)
	gEmpty    sync.Map
	gHolder   = &Holder{name: "churned"}
	gNested   sync.Map
	gKeyInt   = 42
	bigLen    = 100000
	churnSize = 40
)

// mirror is what a sync.Map holds, kept beside it as a plain map.
type mirror map[any]any

func (m mirror) store(s *sync.Map, k, v any) {
	s.Store(k, v)
	m[k] = v
}

func fillSmall(s *sync.Map) mirror {
	m := mirror{}
	m.store(s, "alpha", 1)
	m.store(s, "beta", "two")
	m.store(s, 3, 3.5)
	m.store(s, int64(3), "int64 three")
	m.store(s, Point{1, 2}, []int{1, 2})
	m.store(s, &gKeyInt, true)
	m.store(s, "nil value", nil)
	return m
}

func fillBig(s *sync.Map) mirror {
	m := mirror{}
	for i := 0; i < bigLen; i++ {
		m.store(s, i, 2*i)
	}
	return m
}

func fillNested(s *sync.Map) mirror {
	m := mirror{}
	m.store(s, "inner", map[string]int{"a": 1, "b": 2})
	m.store(s, "other", map[int]string{7: "seven"})
	return m
}

// churn stores, promotes (misses), deletes and stores again, so that on the
// read/dirty sync.Map deleted entries become expunged and later deletions
// leave nil entries in both maps. Returns the live entries and what the
// read/dirty structure must show.
func churn(s *sync.Map) (mirror, map[string]int) {
	m := mirror{}
	for i := 0; i < churnSize; i++ {
		m.store(s, fmt.Sprintf("k%02d", i), i)
	}
	// Misses promote the dirty map to the read map (misses >= len(dirty)).
	for i := 0; i <= churnSize; i++ {
		s.Load(fmt.Sprintf("absent%d", i))
	}
	deletedFirst := 10
	for i := 0; i < deletedFirst; i++ {
		s.Delete(fmt.Sprintf("k%02d", i))
		delete(m, fmt.Sprintf("k%02d", i))
	}
	// A new key copies the read map's live entries into a new dirty map:
	// the deleted ones become expunged.
	m.store(s, "new", -1)
	m.store(s, "newer", -2)
	// Deleted after the copy: nil in both maps.
	s.LoadAndDelete("k10")
	delete(m, "k10")
	// Only in the dirty map: removed from it, one miss.
	s.LoadAndDelete("newer")
	delete(m, "newer")
	classic := map[string]int{
		"expunged": deletedFirst, "read_deleted": 1, "dirty_deleted": 1, "amended": 1, "misses": 1,
		"read_len": churnSize, "dirty_len": churnSize - deletedFirst + 1,
	}
	return m, classic
}

// syncLayout is how this toolchain implements sync.Map: the read/dirty maps
// (go1.23 and older, GOEXPERIMENT=nosynchashtriemap) or a hash trie.
func syncLayout() string {
	if _, trie := reflect.TypeOf(sync.Map{}).FieldByName("m"); trie {
		return "sync-trie"
	}
	return "sync-readdirty"
}

// asSyncMap is the rendering of a map[any]any holding a sync.Map's entries
// as the sync.Map's own: the same entries, in the same order.
func asSyncMap(text string) string {
	return "sync.Map" + strings.TrimPrefix(text, "map[interface {}]interface {}")
}

func record(t *truth.Writer, name, variable string, m mirror) {
	t.Map(name, map[any]any(m))
	t.MapJSON(name, map[any]any(m))
	t.Value(name+"_len", len(m))
	plain := map[any]any(m)
	t.Value(variable, asSyncMap(truth.Render(reflect.ValueOf(&plain).Elem())))
}

func recordCounts(t *truth.Writer, name string, counts map[string]int) {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Value(name+"."+k, counts[k])
	}
}

// stopHere is where the debugger stops.
//
//go:noinline
func stopHere() {}

//go:noinline
func inspect(pm *sync.Map) int {
	h := &Holder{name: "local"}
	t := truth.Open()
	t.Value("sync_layout", syncLayout())
	small := fillSmall(&gSmall)
	fillSmall(pm)
	record(t, "small", "gSmall", small)
	record(t, "big", "gBig", fillBig(gBig))
	record(t, "empty", "gEmpty", mirror{})
	t.Value("empty_address", fmt.Sprintf("%p", &gEmpty)) // only its address: never initialized
	t.Value("small_address", fmt.Sprintf("%p", &gSmall))
	nested := fillNested(&gNested)
	record(t, "nested", "gNested", nested)
	t.MapCaps("nested", map[any]any(nested), truth.Caps{Elements: 1, String: 1024, Depth: 8})
	t.MapCaps("small", map[any]any(small), truth.Caps{Elements: 64, String: 3, Depth: 8})
	churned, classic := churn(&gHolder.m)
	churn(&h.m)
	record(t, "churned", "gChurned", churned)
	if syncLayout() == "sync-readdirty" {
		recordCounts(t, "churned", classic)
		// k10 was deleted after the dirty map was made (nil in both), k00
		// before (expunged from the read map, absent from the dirty one).
		t.Value("key_k10", `key string("k10"): deleted`)
		t.Value("key_k10_where", "read map: entry 0x[...] deleted; dirty map: entry 0x[...] deleted")
		t.Value("key_k00", "expunged expunged absent") // state, in read, in dirty
	} else {
		// The trie removes deleted keys.
		t.Value("key_k10", "key k10: not in the map")
		t.Value("key_k10_where", "trie: no entry for it")
		t.Value("key_k00", "absent")
	}
	t.Value("big.trie_entries", bigLen)
	t.Value("churned.trie_entries", len(churned))
	t.Close()
	if os.Getenv("GOMAPDBG_MODE") == "crash" {
		panic("gomapdbg test crash")
	}
	stopHere() // #break
	runtime.KeepAlive(pm)
	runtime.KeepAlive(h)
	return len(small)
}

func main() {
	fmt.Println(inspect(new(sync.Map)))
}
