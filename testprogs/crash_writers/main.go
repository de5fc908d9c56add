// crash_writers races two goroutines on one map until the runtime throws
// (`fatal error: concurrent map writes` and its read/iterate/delete/clear
// variants), selected by $GOMAPDBG_CASE. Before the race starts it writes
// the truth: the map's address and type, and the goroutine ids of the two
// accessors (from their own runtime.Stack headers).
//
//	fast64   two writers, map[int]int (runtime.mapassign_fast64)
//	faststr  two writers, map[string]int (runtime.mapassign_faststr)
//	struct   two writers, map[key]int with a struct key (runtime.mapassign)
//	delete   a deleter against a writer
//	clear    clear(m) (a range-delete loop before go1.21) against a writer
//	iterate  a range loop against a writer
//	read     a reader against a writer
//	forged   one writer; the map's writing flag was forged set with unsafe,
//	         so there is no second accessor to find
//	local    two writers, map[int]int held by no global: only the writers'
//	         argument m holds it (the report names the map by it)
//
// #catch
// command: go report --json
// check-report:
// core-command: go report --entries 3
// check: verdict: concurrent map [...] on map[...] @ 0x[...] ([...]): goroutine [...] threw[...]
// check: fatal error: concurrent map [...]
// check: competing accessors:
// check-report-text:
// core-command: go report --json --entries 50 --max-string 1
// check-report-caps: faststr 1
package main

import (
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"gomapdbg/testprogs/internal/layout"
	"gomapdbg/testprogs/internal/tracer"
	"gomapdbg/testprogs/internal/truth"
)

type key struct {
	A int
	B string
}

var (
	ints    map[int]int
	strs    map[string]int
	structs map[key]int
	start   = make(chan struct{})
	readyWG sync.WaitGroup
	goids   [2]uint64
)

// ready records the calling goroutine's id and waits for the start.
func ready(slot int) {
	goids[slot] = truth.Goid()
	readyWG.Done()
	<-start
}

// The accessors: tight loops that get the map as an argument, as most
// racing code does (a goroutine started with the map, a method on a struct).

func writeInts(slot int, m map[int]int) {
	ready(slot)
	for i := 0; ; i++ {
		m[i&1023] = i
	}
}

// writeLocal is writeInts for a map no global holds, in a frame of its own
// (not inlined into the go statement's wrapper) whose argument m holds it.
//
//go:noinline
func writeLocal(slot int, m map[int]int) {
	ready(slot)
	for i := 0; ; i++ {
		m[i&1023] = i
	}
}

func writeStrs(slot int, m map[string]int) {
	keys := make([]string, 1024)
	for i := range keys {
		keys[i] = strconv.Itoa(i)
	}
	ready(slot)
	for i := 0; ; i++ {
		m[keys[i&1023]] = i
	}
}

func writeStructs(slot int, m map[key]int) {
	ready(slot)
	for i := 0; ; i++ {
		m[key{i & 1023, "k"}] = i
	}
}

func deleteInts(slot int, m map[int]int) {
	ready(slot)
	for i := 0; ; i++ {
		delete(m, (i*7)&1023)
	}
}

func clearInts(slot int, m map[int]int) {
	ready(slot)
	for {
		for k := range m {
			delete(m, k)
		}
	}
}

var sink int

func iterateInts(slot int, m map[int]int) {
	ready(slot)
	for {
		for k, v := range m {
			sink += k + v
		}
	}
}

func readInts(slot int, m map[int]int) {
	ready(slot)
	for i := 0; ; i++ {
		sink += m[i&1023]
	}
}

func main() {
	ints, strs, structs = map[int]int{}, map[string]int{}, map[key]int{}
	for i := 0; i < 512; i++ {
		ints[i] = i
		strs[strconv.Itoa(i)] = i
		structs[key{i, "k"}] = i
	}
	which := os.Getenv("GOMAPDBG_CASE")
	var m any = ints
	name := "main.ints" // the global holding the map, as the report titles it
	holder := ""        // else the variable holding it in the thrower's frames
	accessors := 2
	readyWG.Add(2)
	switch which {
	case "fast64", "":
		go writeInts(0, ints)
		go writeInts(1, ints)
	case "faststr":
		m, name = strs, "main.strs"
		go writeStrs(0, strs)
		go writeStrs(1, strs)
	case "struct":
		m, name = structs, "main.structs"
		go writeStructs(0, structs)
		go writeStructs(1, structs)
	case "delete":
		go deleteInts(0, ints)
		go writeInts(1, ints)
	case "clear":
		go clearInts(0, ints)
		go writeInts(1, ints)
	case "iterate":
		go iterateInts(0, ints)
		go writeInts(1, ints)
	case "read":
		go readInts(0, ints)
		go writeInts(1, ints)
	case "local":
		local := map[int]int{}
		for i := 0; i < 512; i++ {
			local[i] = i
		}
		m, name, holder = local, "", "m, argument of main.writeLocal"
		go writeLocal(0, local)
		go writeLocal(1, local)
	case "forged":
		accessors = 1
		readyWG.Add(-1)
		go writeInts(0, ints)
	default:
		panic("unknown GOMAPDBG_CASE " + which)
	}
	readyWG.Wait()
	t := truth.Open()
	t.Value("case", which)
	t.Value("map", fmt.Sprintf("%p", m))
	t.Value("type", fmt.Sprintf("%T", m))
	t.Value("name", name)
	if holder != "" {
		t.Value("holder", holder)
	}
	t.Value("keys", keyDomain(which))
	t.BuildSettings()
	t.SourceFiles()
	t.Value("accessor0", goids[0])
	if accessors > 1 {
		t.Value("accessor1", goids[1])
	}
	t.Close()
	if which == "forged" {
		forgeWriting()
	}
	// The race starts from another goroutine once main is parked: a main
	// still running with the map in its frame would look like a third
	// accessor. GOMAPDBG_DELAY leaves time for a debugger to attach;
	// GOMAPDBG_WAIT_TRACER holds the race until one has attached.
	go func() {
		delay := 10 * time.Millisecond
		if d, err := time.ParseDuration(os.Getenv("GOMAPDBG_DELAY")); err == nil {
			delay = d
		}
		time.Sleep(delay)
		if os.Getenv("GOMAPDBG_WAIT_TRACER") != "" {
			tracer.Wait()
		}
		close(start)
	}()
	select {}
}

// keyDomain renders every key the accessors of this case use, tab-separated.
func keyDomain(which string) string {
	keys := make([]string, 0, 1024)
	for i := 0; i < 1024; i++ {
		var k any = i
		switch which {
		case "faststr":
			k = strconv.Itoa(i)
		case "struct":
			k = key{i, "k"}
		}
		keys = append(keys, truth.Render(reflect.ValueOf(k)))
	}
	return strings.Join(keys, "\t")
}

// forgeWriting sets the map's "being written" state as a second writer
// would leave it: hashWriting (flags bit 2, byte 8) for classic maps, the
// writing byte (offset 34) for swiss maps; the offsets are from
// shared/reference/go-runtime-layouts.md §1.1 and §2.1.
func forgeWriting() {
	h := *(*unsafe.Pointer)(unsafe.Pointer(&ints))
	if layout.Swiss() {
		*(*uint8)(unsafe.Add(h, 34)) = 1
	} else {
		*(*uint8)(unsafe.Add(h, 8)) |= 4
	}
}
