// races is a corpus of realistic map races: goroutines that share ONE map
// without a lock and do real work between their map accesses (formatting
// keys, encoding JSON, hashing, serving HTTP, blocking briefly), until the
// runtime throws one of its map fatals ("concurrent map writes", "concurrent
// map read and map write", "concurrent map iteration and map write").
// $GOMAPDBG_CASE selects the shape; each lives in its own file:
//
//	http        httpserver.go: a net/http handler does
//	            visits[r.URL.Path]++ on a package-level map; 8 in-process
//	            keep-alive clients, one connection each, so the 8 server
//	            connection goroutines race
//	store       store.go: a Store (held in a local) whose pointer-receiver
//	            Put JSON-encodes an Item into s.items and Get decodes it;
//	            4 restockers read-modify-write, 1 auditor only reads
//	closure     closure.go: worker closures capture a local map and count
//	            hex-encoded sha256 digests in it
//	pool        workerpool.go: worker(id, jobs, results) goroutines write
//	            fmt.Sprintf'd lines into a map passed as an argument; the
//	            producer feeding the jobs never touches the map (decoy)
//	registry    registry.go: registry["sessions"].(map[string]int)[key]++
//	            on a map held in an interface inside a global map; only the
//	            inner map is raced (the outer one is only read)
//	delete      delete.go: a session expirer deleting strconv.FormatInt keys
//	            from a global map against a heartbeat writer
//	range       range.go: a report ranging over a price map with per-entry
//	            formatting against a repricing writer (iteration fatal)
//	cache       memocache.go: a get-or-compute Cache (fmt + sha1) hit by
//	            6 clients with overlapping keys, evicting now and then
//	clear       clear.go (+ clear_go121.go, clear_go119.go): a flusher that
//	            empties a batch map (clear(m), or the range-delete idiom
//	            before go1.21) against an enqueuer formatting keys
//	dispatcher  dispatcher.go: a dispatcher hands the map to workers over a
//	            channel, hashing between sends; it holds the map but never
//	            reads or writes it (decoy); the workers write it
//	parked      parked.go: 20 goroutines hold the map in their frames,
//	            parked for good (channel receive, a mutex held elsewhere, an
//	            hour's sleep, select{}) (decoys); 3 loggers write it
//	sametype    sametype.go: 4 CPU-bound goroutines each fill their OWN
//	            map[string]int with the same function as the 3 that race on
//	            the shared one (decoys: they never touch the raced map)
//	many        many.go: 1024 idle goroutines (decoys, a quarter of them
//	            holding the map) and 12 indexers writing JSON documents
//	boxed       boxed.go: writers boxing values of several types into a
//	            global map[string]any under fmt.Sprint keys
//	embedded    embedded.go: a map field reached through an embedded struct
//	            (svc.hits, promoted from Metrics), counted by request logs
//	shards      shards.go: an array of 4 shard maps; each shard's owner
//	            writes only its own shard (owners of shards 0-2 are decoys),
//	            a rebalancer wrongly writes shard 3 beside its owner
//
// Before the race starts (every racer created and parked on the start
// channel; for http after each client's warm-up request) the program writes
// its truth to $GOMAPDBG_TRUTH, one "value KEY TEXT" line each:
//
//	case       the case name
//	map        the raced map's header address, fmt.Sprintf("%p", m)
//	type       its type, fmt.Sprintf("%T", m)
//	name       the package-level variable holding it directly
//	           ("main.visits"), or empty
//	accessors  ids of every goroutine that may read or write the raced map
//	           during the race (each recorded its own id, truth.Goid)
//	writers    the accessors among them that write it (assign, ++, delete,
//	           clear)
//	decoys     ids of goroutines that must never be named as accessors:
//	           they hold the map without touching it, write other maps of
//	           its type, or only feed the racers; may be empty
//	messages   the fatal messages the case can raise, '|'-separated
//
// A racer that appears only once the race runs (http: a client whose
// keep-alive connection was replaced gets a new serving goroutine) appends
// "value late_accessor_ID ID" before it touches the map.
//
// Every listed goroutine loops or stays parked until the runtime throws.
// The main goroutine never holds the map while the race runs: it parks in
// select{} before the race is released (from another goroutine, after
// $GOMAPDBG_DELAY, default 10ms; with $GOMAPDBG_WAIT_TRACER set only once a
// debugger traces every thread). A race that has not thrown within 60s
// panics with "no race within 60s".
//
// Shape files are named so that no standard-library file linked into the
// binary has the same base name (net/http/http.go, sync/pool.go and
// crypto/tls/cache.go would make "FILE:LINE" breakpoints ambiguous).
//
// Each shape file marks one statement of the function that creates or holds
// the map with a trailing comment "watch CASE: EXPR" (after the slashes): it runs
// once, after the map is filled and before any racer can touch it, and
// EXPR, in gomapdbg's expression subset, evaluates there to the raced map.
// (A debugger that passes SIGURG on may see that breakpoint hit a second
// time by the same goroutine: an async preemption taken at the breakpoint
// resumes at the same pc.)
//
// #catch
// command: go report --json
// check-race:
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"gomapdbg/testprogs/internal/layout"
	"gomapdbg/testprogs/internal/tracer"
	"gomapdbg/testprogs/internal/truth"
)

type shape struct {
	name string
	run  func() // builds the map and its goroutines, then gate.publish
}

var shapes = []shape{
	{"http", runHTTP},
	{"store", runStore},
	{"closure", runClosure},
	{"pool", runPool},
	{"registry", runRegistry},
	{"delete", runDelete},
	{"range", runRange},
	{"cache", runCache},
	{"clear", runClear},
	{"dispatcher", runDispatcher},
	{"parked", runParked},
	{"sametype", runSametype},
	{"many", runMany},
	{"boxed", runBoxed},
	{"embedded", runEmbedded},
	{"shards", runShards},
}

func main() {
	which := os.Getenv("GOMAPDBG_CASE")
	if which == "" {
		which = "http"
	}
	var run func()
	var names []string
	for _, s := range shapes {
		names = append(names, s.name)
		if s.name == which {
			run = s.run
		}
	}
	if run == nil {
		panic("unknown GOMAPDBG_CASE " + strconv.Quote(which) + " (cases: " + strings.Join(names, " ") + ")")
	}
	gate.name = which
	run()
	// The setup's frame, which held the map, is gone: main parks and
	// another goroutine releases the race.
	go gate.release()
	select {}
}

// raceGate records who takes part in the race and holds the racers until
// it starts.
type raceGate struct {
	name      string
	start     chan struct{}
	ready     sync.WaitGroup
	mu        sync.Mutex
	accessors []uint64
	writers   []uint64
	decoys    []uint64
}

var gate = &raceGate{start: make(chan struct{})}

// expect announces n goroutines that will call record, accessor or decoy.
func (g *raceGate) expect(n int) { g.ready.Add(n) }

// record notes the calling goroutine as an accessor of the raced map (and a
// writer when write is set) without waiting.
func (g *raceGate) record(write bool) {
	id := truth.Goid()
	g.mu.Lock()
	g.accessors = append(g.accessors, id)
	if write {
		g.writers = append(g.writers, id)
	}
	g.mu.Unlock()
	g.ready.Done()
}

// accessor records the calling goroutine as an accessor and parks it until
// the race starts.
func (g *raceGate) accessor(write bool) {
	g.record(write)
	<-g.start
}

// knows tells whether goroutine id recorded itself as an accessor.
func (g *raceGate) knows(id uint64) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, a := range g.accessors {
		if a == id {
			return true
		}
	}
	return false
}

// decoy records the calling goroutine as one that must never be named; it
// returns at once (the caller parks or waits for the start itself).
func (g *raceGate) decoy() {
	id := truth.Goid()
	g.mu.Lock()
	g.decoys = append(g.decoys, id)
	g.mu.Unlock()
	g.ready.Done()
}

// wait parks until the race starts.
func (g *raceGate) wait() { <-g.start }

// publish waits until every expected goroutine has recorded itself, then
// writes the truth about the raced map m.
func (g *raceGate) publish(m any, name, messages string) {
	g.ready.Wait()
	g.mu.Lock()
	defer g.mu.Unlock()
	t := truth.Open()
	t.Value("case", g.name)
	t.Value("map", fmt.Sprintf("%p", m))
	t.Value("type", fmt.Sprintf("%T", m))
	t.Value("name", name)
	t.Value("accessors", idList(g.accessors))
	t.Value("writers", idList(g.writers))
	t.Value("decoys", idList(g.decoys))
	t.Value("messages", messages)
	t.Close()
}

// lateAccessor appends the calling goroutine to the published truth as an
// accessor that was not there when it was written; it must run before the
// goroutine touches the map.
func (g *raceGate) lateAccessor() {
	path := os.Getenv("GOMAPDBG_TRUTH")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		panic(err)
	}
	id := truth.Goid()
	fmt.Fprintf(f, "value late_accessor_%d %d\n", id, id)
	f.Close()
}

func idList(ids []uint64) string {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatUint(id, 10))
	}
	return b.String()
}

// release starts the race after $GOMAPDBG_DELAY (default 10ms; with
// $GOMAPDBG_WAIT_TRACER set, once a debugger traces every thread), then
// stands watch.
func (g *raceGate) release() {
	delay := 10 * time.Millisecond
	if d, err := time.ParseDuration(os.Getenv("GOMAPDBG_DELAY")); err == nil {
		delay = d
	}
	time.Sleep(delay)
	if os.Getenv("GOMAPDBG_WAIT_TRACER") != "" {
		tracer.Wait()
	}
	close(g.start)
	time.Sleep(60 * time.Second)
	panic("no race within 60s")
}

// settle ends a classic map's incremental growth (layout.FinishGrowth), so
// that the race runs on a settled map: racing writes that evacuate old
// buckets can corrupt them before the runtime notices the race (it then
// throws "bad map state" or faults instead). The keys the racers use are
// all inserted before, so the map does not grow again.
func settle(m any) { layout.FinishGrowth(m) }

// mapReady is the statement each shape marks for a debugger to watch the
// raced map from: called once, after the map is filled and before any
// racer may touch it; n, the map's length, keeps the map live there.
//
//go:noinline
func mapReady(n int) { prefilled = n }

var prefilled int

// use keeps a result alive so the work producing it is not optimised away.
//
//go:noinline
func use(n int) {}

// kinds are event and record kinds the shapes format into keys and values.
var kinds = []string{"create", "update", "delete", "login", "logout", "view"}
