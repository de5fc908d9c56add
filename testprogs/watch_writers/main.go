// watch_writers writes one map from two goroutines, in turns under a mutex
// (no race), a known number of times each, then stops in main.stop: `go
// watch` armed at the watch line must then show exactly those writes, per
// goroutine and call site. It also keeps a nil map, and holds the counts
// map as a global for the errors `go watch` gives.
//
// #break-at: main.stop
// live-command: go watch --json
// check-watch-summary:
// live-command: go watch
// check: watching counts (local): map[string]int @ 0x[...]: [...] writes of its writing state recorded (two per map write)
// check: by goroutine:
// live-command: go watch nothing
// check-error: nil map
// live-command: go watch --off
// check: go watch: off
// live-command: go watch
// check-error: nothing is watched in this process
// core-command: go watch counts
// check-error: needs a live process
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"

	"gomapdbg/testprogs/internal/truth"
)

const writesEach = 150

var (
	mu      sync.Mutex
	nothing map[string]int
)

// record writes key into counts under the lock (the site the summary names).
func record(counts map[string]int, key string) {
	mu.Lock()
	counts[key]++ // write site
	mu.Unlock()
}

func writer(counts map[string]int, name string, done *sync.WaitGroup, goid *uint64) {
	defer done.Done()
	*goid = truth.Goid()
	for i := 0; i < writesEach; i++ {
		record(counts, name+"-"+strconv.Itoa(i%10))
	}
}

// stop is where the test looks (or, under GOMAPDBG_MODE=crash, dies for a core).
//
//go:noinline
func stop(counts map[string]int) {
	if os.Getenv("GOMAPDBG_MODE") == "crash" {
		panic("gomapdbg test crash")
	}
	fmt.Println(len(counts), len(nothing))
}

//go:noinline
func ready(n int) int { return n }

func main() {
	counts := make(map[string]int, 64)
	ready(len(counts)) // watch writers: counts
	var done sync.WaitGroup
	var a, b uint64
	done.Add(2)
	go writer(counts, "a", &done, &a)
	go writer(counts, "b", &done, &b)
	done.Wait()
	t := truth.Open()
	t.Value("writers", strconv.FormatUint(a, 10)+" "+strconv.FormatUint(b, 10))
	t.Value("writes_each", strconv.Itoa(writesEach))
	t.Close()
	stop(counts)
}
