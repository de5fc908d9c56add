// fill builds the state the benchmarks read from a core file: two global
// maps of -entries entries each (map[string]int and map[int64]Struct) and
// -goroutines parked goroutines, then panics so that, under
// GOTRACEBACK=crash, the kernel writes a core (scripts/bench drives it).
// With -race, two goroutines write strInt at once instead, until the runtime
// throws "concurrent map writes" (the core `go report` is measured on).
//
// The entries are a pure function of their index, so every tool dumps the
// same text and the benchmark can check counts:
//
//	strInt[fmt.Sprintf("key-%09d", i)] = i
//	int64Struct[int64(i)*7919] = Struct{ID: int64(i), Score: float64(i) / 4, Name: names[i%len(names)], Flags: uint32(i % 3)}
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"sync"
)

type Struct struct {
	ID    int64
	Score float64
	Name  string
	Flags uint32
}

var (
	strInt      map[string]int
	int64Struct map[int64]Struct
	parked      int
)

var names = []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"}

func main() {
	entries := flag.Int("entries", 0, "entries in each map")
	goroutines := flag.Int("goroutines", 0, "goroutines to park")
	race := flag.Bool("race", false, "crash by concurrent writes to strInt instead of a panic")
	flag.Parse()

	strInt = make(map[string]int)
	int64Struct = make(map[int64]Struct)
	for i := 0; i < *entries; i++ {
		strInt[fmt.Sprintf("key-%09d", i)] = i
		int64Struct[int64(i)*7919] = Struct{ID: int64(i), Score: float64(i) / 4, Name: names[i%len(names)], Flags: uint32(i % 3)}
	}

	block := make(chan struct{})
	var started sync.WaitGroup
	started.Add(*goroutines)
	for i := 0; i < *goroutines; i++ {
		go park(i, block, &started)
	}
	started.Wait()
	parked = *goroutines

	fmt.Fprintf(os.Stderr, "fill: %d entries per map, %d goroutines parked\n", len(strInt), parked)
	runtime.KeepAlive(strInt)
	runtime.KeepAlive(int64Struct)
	if *race && *entries > 0 {
		keys := make([]string, 1024)
		for i := range keys {
			keys[i] = fmt.Sprintf("key-%09d", i%*entries)
		}
		go write(strInt, keys)
		go write(strInt, keys)
		select {}
	}
	panic("gomapdbg benchmark core")
}

// write overwrites existing keys (the map does not grow) until the runtime
// catches the other writer.
//
//go:noinline
func write(m map[string]int, keys []string) {
	for i := 0; ; i++ {
		m[keys[i&1023]] = i
	}
}

//go:noinline
func park(i int, block chan struct{}, started *sync.WaitGroup) {
	started.Done()
	<-block
	_ = i
}
