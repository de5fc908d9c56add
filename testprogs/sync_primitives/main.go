// sync_primitives holds sync/atomic values, free, locked and contended
// mutexes for `go print` (text, JSON, --deref) and `go goroutines
// --blocked-on`, checked against what the program knows of itself: the
// rendering of what each atomic holds (truth.Render of its Load), each
// mutex's state word as the program reads it, decoded with the bits of Go's
// src/sync/mutex.go, and the goroutines it parked on each mutex (ids and
// states from runtime.Stack, semaphores from the fields' places in
// src/sync/rwmutex.go).
//
// #break
//
// An atomic shows what it holds: a typed pointer, an interface's dynamic
// value, a number.
// command: go print gAtomicPtr
// check-value: gAtomicPtr
// command: go print gAtomicPtr --json
// check-json: gAtomicPtr
// command: go print gAtomicPtr --deref 1
// check-deref: gAtomicPtr 1
// command: go print gAtomicPtr --deref 1 --json
// check-json-deref: gAtomicPtr 1
// command: go print gNilAtomicPtr
// check-value: gNilAtomicPtr
// command: go print gAtomicMap
// check-value: gAtomicMap
// command: go print gAtomicMap --json
// check-json: gAtomicMap
// command: go print gAtomicConfig
// check-value: gAtomicConfig
// command: go print gAtomicConfig --json
// check-json: gAtomicConfig
// command: go print gEmptyValue
// check-value: gEmptyValue
// An atomic.Value holding a pointer to atomics and a mutex, followed.
// command: go print gAtomicCounters --deref 1
// check-deref: gAtomicCounters 1
// command: go print gInt64
// check-value: gInt64
// command: go print gInt32 --json
// check-json: gInt32
// command: go print gUint64
// check-value: gUint64
// command: go print gUint32
// check-value: gUint32
// command: go print gUintptr
// check-value: gUintptr
// command: go print gBool
// check-value: gBool
// command: go print gBool --json
// check-json: gBool
// command: go print gCounters
// check-value: gCounters
// command: go print gCounters --json
// check-json: gCounters
//
// A mutex shows its state word decoded: sync.Mutex{locked, waiters: N,
// woken, starving}, sync.Mutex{} when free; an RWMutex its writers'
// mutex, its readers, a writer waiting or holding it, and readerWait.
// command: go print gFreeMutex
// check-value: gFreeMutex
// command: go print gMutex
// check-value: gMutex
// command: go print gMutex --json
// check-json: gMutex
// command: go print gFreeRW
// check-value: gFreeRW
// command: go print gRW
// check-value: gRW
// command: go print gRW --json
// check-json: gRW
// command: go print gReadLocked
// check-value: gReadLocked
// command: go print gWriteLocked
// check-value: gWriteLocked
// command: go print gWriteLocked --json
// check-json: gWriteLocked
// command: go print gGuarded
// check-value: gGuarded
// command: go print gGuarded --json
// check-json: gGuarded
//
// --blocked-on lists exactly the goroutines asleep on the mutex's
// semaphores, with their wait reason and the semaphore.
// command: go goroutines --blocked-on gMutex --json
// check-blocked-on: gMutex
// command: go goroutines --blocked-on main.gRW --json
// check-blocked-on: gRW
// command: go goroutines --blocked-on gGuarded.mu --json
// check-blocked-on: gGuarded.mu
// command: go goroutines --blocked-on gGuardedPtr.mu --json
// check-blocked-on: gGuarded.mu
// command: go goroutines --blocked-on gFreeMutex --json
// check-blocked-on: gFreeMutex
// command: go goroutines --blocked-on gWriteLocked --json
// check-blocked-on: gWriteLocked
// A local that goroutines share lives on the heap (DWARF's "&localMu").
// live-command: go goroutines --blocked-on localMu --json
// check-blocked-on: localMu
// live-command: go print localMu
// check-value: localMu
// An element of an array, and a field of a slice element behind a pointer.
// command: go goroutines --blocked-on gLocks[2] --json
// check-blocked-on: gLocks[2]
// command: go goroutines --blocked-on gShards[1].mu --json
// check-blocked-on: gShards[1].mu
// command: go goroutines --blocked-on {value:address_gMutex} --json
// check-blocked-on: gMutex
// command: go goroutines --blocked-on gRW
// check-blocked-on-text: gRW
// command: go goroutines --blocked-on gMutex
// check-blocked-on-text: gMutex
// command: go goroutines --blocked-on gInt64
// check-error: gInt64 is a sync/atomic.Int64, not a sync.Mutex or sync.RWMutex
// command: go goroutines --blocked-on gGuarded.nofield
// check-error: main.Guarded has no field nofield
// command: go goroutines --blocked-on nosuch
// check-error: no variable 'nosuch'
package main

import (
	"fmt"
	"os"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"gomapdbg/testprogs/internal/truth"
)

type Config struct {
	Name  string
	Limit int
	Tags  []string
}

// Counters holds atomics as fields, as programs do.
type Counters struct {
	Hits  atomic.Int64
	Ready atomic.Bool
	Table atomic.Pointer[map[string]int]
}

// Guarded is a map behind a mutex, the usual fix for concurrent map writes.
type Guarded struct {
	mu sync.Mutex
	m  map[string]int
}

var (
	gAtomicPtr      atomic.Pointer[map[string]int]
	gNilAtomicPtr   atomic.Pointer[map[string]int]
	gAtomicMap      atomic.Value
	gAtomicConfig   atomic.Value
	gEmptyValue     atomic.Value
	gAtomicCounters atomic.Value // holds &gCounters
	gInt64          atomic.Int64
	gInt32          atomic.Int32
	gUint64         atomic.Uint64
	gUint32         atomic.Uint32
	gUintptr        atomic.Uintptr
	gBool           atomic.Bool
	gCounters       Counters

	gFreeMutex   sync.Mutex
	gMutex       sync.Mutex   // locked, two goroutines asleep on it
	gFreeRW      sync.RWMutex //
	gRW          sync.RWMutex // two readers hold it, a writer waits, two readers and a writer wait behind it
	gReadLocked  sync.RWMutex // three readers hold it
	gWriteLocked sync.RWMutex // a writer holds it, a reader waits
	gGuarded     = Guarded{m: map[string]int{"a": 1}}
	gGuardedPtr  = &gGuarded
	gLocks       [4]sync.Mutex          // [2] locked, one goroutine asleep on it
	gShards      = []*Shard{{}, {}, {}} // [1].mu locked, one goroutine asleep on it
)

// Shard is a lock-striped cache's part.
type Shard struct {
	n  int
	mu sync.Mutex
}

// Where each field of a sync.Mutex and sync.RWMutex is (src/sync/mutex.go,
// src/sync/rwmutex.go, go1.19–go1.27; the go1.24+ Mutex wraps the same
// two words): state, sema; w, writerSem, readerSem, readerCount, readerWait.
const (
	mutexSema         = 4
	rwWSema           = 4
	rwWriterSem       = 8
	rwReaderSem       = 12
	rwReaderCount     = 16
	rwReaderWait      = 20
	rwmutexMaxReaders = 1 << 30
)

// A goroutine the program parked on a mutex, and the semaphore it sleeps on.
type blocked struct {
	goid uint64
	sema uintptr
}

func fill() {
	m := map[string]int{"one": 1, "two": 2, "three": 3}
	gAtomicPtr.Store(&m)
	gAtomicMap.Store(map[string]int{"x": 10, "y": 20})
	gAtomicConfig.Store(Config{Name: "prod", Limit: 8, Tags: []string{"a", "b"}})
	gInt64.Store(-1 << 40)
	gInt32.Store(-7)
	gUint64.Store(1 << 60)
	gUint32.Store(4000000000)
	gUintptr.Store(0xdead)
	gBool.Store(true)
	gCounters.Hits.Store(42)
	gCounters.Ready.Store(true)
	gCounters.Table.Store(&map[string]int{"t": 1})
	gAtomicCounters.Store(&gCounters)
}

// goid is the calling goroutine's id; started reports it.
func startBlocked(started chan<- uint64, lock func()) {
	go func() {
		started <- truth.Goid()
		lock()
	}()
}

// states is what runtime.Stack says of every goroutine: id -> bracketed
// state without its wait time ("sync.Mutex.Lock", "semacquire").
func states() map[uint64]string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	out := map[uint64]string{}
	for _, line := range strings.Split(string(buf), "\n") {
		if !strings.HasPrefix(line, "goroutine ") || !strings.HasSuffix(line, "]:") {
			continue
		}
		fields := strings.SplitN(strings.TrimPrefix(line, "goroutine "), " [", 2)
		id, err := strconv.ParseUint(fields[0], 10, 64)
		if err != nil {
			continue
		}
		state := strings.TrimSuffix(fields[1], "]:")
		out[id] = strings.SplitN(state, ",", 2)[0]
	}
	return out
}

func asleepOnSemaphore(state string) bool {
	switch state {
	case "semacquire", "sync.Mutex.Lock", "sync.RWMutex.Lock", "sync.RWMutex.RLock":
		return true
	}
	return false
}

// parkOn starts `count` goroutines calling lock and waits until the
// runtime shows each asleep on a semaphore.
func parkOn(count int, lock func(), sema uintptr) []blocked {
	started := make(chan uint64)
	var out []blocked
	for i := 0; i < count; i++ {
		startBlocked(started, lock)
		out = append(out, blocked{<-started, sema})
	}
	for deadline := time.Now().Add(20 * time.Second); ; {
		s := states()
		asleep := 0
		for _, b := range out {
			if asleepOnSemaphore(s[b.goid]) {
				asleep++
			}
		}
		if asleep == count {
			return out
		}
		if time.Now().After(deadline) {
			panic("sync_primitives: goroutines did not park on the semaphore")
		}
		time.Sleep(time.Millisecond)
	}
}

func word(p unsafe.Pointer, offset uintptr) int32 {
	return atomic.LoadInt32((*int32)(unsafe.Add(p, offset)))
}

// mutexView is sync.Mutex's state word decoded with the bits of
// src/sync/mutex.go; its JSON is gomapdbg's.
type mutexView struct {
	locked, woken, starving bool
	waiters                 uint32
}

func mutexOf(state int32) mutexView {
	return mutexView{state&1 != 0, state&2 != 0, state&4 != 0, uint32(state) >> 3}
}

// text is the state as gomapdbg documents it: sync.Mutex{locked, waiters: 2}.
func (m mutexView) text() string {
	var parts []string
	if m.locked {
		parts = append(parts, "locked")
	}
	if m.waiters > 0 {
		parts = append(parts, fmt.Sprintf("waiters: %d", m.waiters))
	}
	if m.woken {
		parts = append(parts, "woken")
	}
	if m.starving {
		parts = append(parts, "starving")
	}
	return "sync.Mutex{" + strings.Join(parts, ", ") + "}"
}

// rwView is sync.RWMutex decoded: readerCount less rwmutexMaxReaders
// while a writer holds it or waits for readerWait readers to leave.
type rwView struct {
	w           mutexView
	readers     int32
	writer      string
	readerWait  int32
	readerCount int32
}

func rwOf(rw *sync.RWMutex) rwView {
	p := unsafe.Pointer(rw)
	v := rwView{w: mutexOf(word(p, 0)), readerCount: word(p, rwReaderCount), readerWait: word(p, rwReaderWait)}
	v.readers, v.writer = v.readerCount, "none"
	if v.readerCount < 0 {
		v.readers += rwmutexMaxReaders
		v.writer = "locked"
		if v.readerWait > 0 {
			v.writer = "waiting"
		}
	}
	return v
}

func (v rwView) text() string {
	var parts []string
	if v.w != (mutexView{}) {
		parts = append(parts, "w: "+v.w.text())
	}
	if v.readers != 0 {
		parts = append(parts, fmt.Sprintf("readers: %d", v.readers))
	}
	if v.writer != "none" {
		parts = append(parts, "writer: "+v.writer)
	}
	if v.readerWait != 0 {
		parts = append(parts, fmt.Sprintf("readerWait: %d", v.readerWait))
	}
	return "sync.RWMutex{" + strings.Join(parts, ", ") + "}"
}

func expect(ok bool, what string) {
	if !ok {
		panic("sync_primitives: " + what + " is not in the state the program put it in")
	}
}

// record writes a value's JSON as truth renders `view` and its text.
func record(t *truth.Writer, name string, view any, text string) {
	t.Render(name, view)
	t.Value(name, text)
}

func value(p any) reflect.Value { return reflect.ValueOf(p).Elem() }

// recordBlocked writes who sleeps on a mutex's semaphores: "value
// blocked_NAME GOID:STATE:SEMA ..." sorted by id, and the mutex's address.
func recordBlocked(t *truth.Writer, name string, address unsafe.Pointer, parked []blocked) {
	s := states()
	var words []string
	sort.Slice(parked, func(i, j int) bool { return parked[i].goid < parked[j].goid })
	for _, b := range parked {
		words = append(words, fmt.Sprintf("%d:%s:%#x", b.goid, s[b.goid], b.sema))
	}
	t.Value("blocked_"+name, strings.Join(words, " "))
	t.Value("address_"+name, fmt.Sprintf("%#x", uintptr(address)))
}

// stopHere is where the debugger stops: a call, so that the break line has
// code of its own.
//
//go:noinline
func stopHere() {}

func main() {
	fill()
	t := truth.Open()
	p := gAtomicPtr.Load()
	t.Render("gAtomicPtr", &p)
	t.RenderDeref("gAtomicPtr", &p, 1)
	nilPtr := gNilAtomicPtr.Load()
	t.Render("gNilAtomicPtr", &nilPtr)
	for name, v := range map[string]*atomic.Value{
		"gAtomicMap": &gAtomicMap, "gAtomicConfig": &gAtomicConfig, "gEmptyValue": &gEmptyValue,
	} {
		held := v.Load()
		t.Render(name, &held)
	}
	i64, i32, u64, u32, uptr, b := gInt64.Load(), gInt32.Load(), gUint64.Load(), gUint32.Load(), gUintptr.Load(), gBool.Load()
	t.Render("gInt64", &i64)
	t.Render("gInt32", &i32)
	t.Render("gUint64", &u64)
	t.Render("gUint32", &u32)
	t.Render("gUintptr", &uptr)
	t.Render("gBool", &b)
	table := gCounters.Table.Load()
	hits, ready := gCounters.Hits.Load(), gCounters.Ready.Load()
	counters := struct {
		Hits  int64
		Ready bool
		Table *map[string]int
	}{hits, ready, table}
	countersText := fmt.Sprintf("main.Counters{Hits: %s, Ready: %s, Table: %s}",
		truth.Render(value(&hits)), truth.Render(value(&ready)), truth.Render(value(&table)))
	record(t, "gCounters", &counters, countersText)
	// What --deref 1 shows of the *Counters gAtomicCounters holds.
	t.Value("gAtomicCounters@deref=1", "&"+countersText)

	// gMutex: locked here, two goroutines asleep on its sema.
	gMutex.Lock()
	mutexWaiters := parkOn(2, gMutex.Lock, uintptr(unsafe.Pointer(&gMutex))+mutexSema)
	// gGuarded.mu: locked, one goroutine asleep on it.
	gGuardedPtr.mu.Lock() // a use keeps gGuardedPtr in the binary
	guardedWaiters := parkOn(1, gGuarded.mu.Lock, uintptr(unsafe.Pointer(&gGuarded.mu))+mutexSema)

	gLocks[2].Lock()
	lockWaiters := parkOn(1, gLocks[2].Lock, uintptr(unsafe.Pointer(&gLocks[2]))+mutexSema)
	gShards[1].mu.Lock()
	shardWaiters := parkOn(1, gShards[1].mu.Lock, uintptr(unsafe.Pointer(&gShards[1].mu))+mutexSema)

	// gRW: two readers hold it (and wait on a channel, not on gRW); a
	// writer waits for them on writerSem; two readers wait behind the
	// writer on readerSem and a second writer on w.sema.
	release := make(chan struct{})
	held := make(chan struct{})
	for i := 0; i < 2; i++ {
		go func() {
			gRW.RLock()
			held <- struct{}{}
			<-release
		}()
		<-held
	}
	rw := uintptr(unsafe.Pointer(&gRW))
	rwWaiters := parkOn(1, gRW.Lock, rw+rwWriterSem)
	rwWaiters = append(rwWaiters, parkOn(2, gRW.RLock, rw+rwReaderSem)...)
	rwWaiters = append(rwWaiters, parkOn(1, gRW.Lock, rw+rwWSema)...)
	for i := 0; i < 3; i++ {
		gReadLocked.RLock()
	}
	gWriteLocked.Lock()
	writeLockedWaiters := parkOn(1, gWriteLocked.RLock, uintptr(unsafe.Pointer(&gWriteLocked))+rwReaderSem)
	// localMu: a local the goroutines share, locked, one goroutine asleep on it.
	var localMu sync.Mutex
	localMu.Lock()
	localWaiters := parkOn(1, localMu.Lock, uintptr(unsafe.Pointer(&localMu))+mutexSema)

	// The bits of src/sync/mutex.go and the counts of src/sync/rwmutex.go
	// say what the program did, on every toolchain.
	expect(mutexOf(word(unsafe.Pointer(&gMutex), 0)) == mutexView{locked: true, waiters: 2}, "gMutex")
	expect(rwOf(&gRW) == rwView{mutexView{locked: true, waiters: 1}, 4, "waiting", 2, 4 - rwmutexMaxReaders}, "gRW")
	expect(rwOf(&gReadLocked) == rwView{readers: 3, writer: "none", readerCount: 3}, "gReadLocked")
	expect(rwOf(&gWriteLocked) == rwView{mutexView{locked: true}, 1, "locked", 0, 1 - rwmutexMaxReaders}, "gWriteLocked")
	for name, mu := range map[string]*sync.Mutex{"gFreeMutex": &gFreeMutex, "gMutex": &gMutex} {
		m := mutexOf(word(unsafe.Pointer(mu), 0))
		record(t, name, &m, m.text())
	}
	for name, rw := range map[string]*sync.RWMutex{"gFreeRW": &gFreeRW, "gRW": &gRW, "gReadLocked": &gReadLocked,
		"gWriteLocked": &gWriteLocked} {
		v := rwOf(rw)
		record(t, name, &v, v.text())
	}
	guarded := struct {
		mu mutexView
		m  map[string]int
	}{mutexOf(word(unsafe.Pointer(&gGuarded.mu), 0)), gGuarded.m}
	record(t, "gGuarded", &guarded, fmt.Sprintf("main.Guarded{mu: %s, m: %s}", guarded.mu.text(),
		truth.Render(value(&gGuarded.m))))
	recordBlocked(t, "gMutex", unsafe.Pointer(&gMutex), mutexWaiters)
	recordBlocked(t, "gGuarded.mu", unsafe.Pointer(&gGuarded.mu), guardedWaiters)
	recordBlocked(t, "gRW", unsafe.Pointer(&gRW), rwWaiters)
	recordBlocked(t, "gLocks[2]", unsafe.Pointer(&gLocks[2]), lockWaiters)
	recordBlocked(t, "gShards[1].mu", unsafe.Pointer(&gShards[1].mu), shardWaiters)
	recordBlocked(t, "gFreeMutex", unsafe.Pointer(&gFreeMutex), nil)
	recordBlocked(t, "gWriteLocked", unsafe.Pointer(&gWriteLocked), writeLockedWaiters)
	recordBlocked(t, "localMu", unsafe.Pointer(&localMu), localWaiters)
	local := mutexOf(word(unsafe.Pointer(&localMu), 0))
	record(t, "localMu", &local, local.text())
	t.Close()
	if os.Getenv("GOMAPDBG_MODE") == "crash" {
		panic("gomapdbg test crash")
	}
	stopHere() // #break
	close(release)
	runtime.KeepAlive(&localMu)
}
