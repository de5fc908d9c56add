// goroutines parks known numbers of goroutines in known states (chan
// receive, chan send, select, mutex, WaitGroup, sleep, IO wait on a pipe, a
// blocking read syscall) and keeps busy loops running. It writes down what
// it created (group records: function and count) and what the runtime itself
// says of every goroutine (runtime.Stack: state and frames), then stops at
// main.stop (live) or, in crash mode, lets two writers race on a map until
// the runtime dies with "concurrent map writes" (GOTRACEBACK=crash core).
//
// #break-at: main.stop
//
// The snapshot equals the truth: counts by state and function, every parked
// goroutine's state and frames as the runtime printed them, and every
// backtrace reaches its goroutine's start function.
// command: go goroutines -t 256 --json
// check-goroutines:
// core-command: go goroutines -t 64 --json
// check-crash: runtime.fatal main.writer
//
// command: go goroutines --user
// check: [...]goroutine 1 [[...]]: [...], created by runtime[...]
// check: goroutine [...] [chan receive, [...]s]: main.parkRecv [...]main.go:[...], created by main.main[...]
// check: ([...] of [...] goroutines shown)
// core-command: go goroutines --user
// check: crashed: goroutine [...] on {thread:crash_tid} (M[...])
// check: * goroutine [...] [running, {thread:crash_tid}]: main.writer [...]
// Live, '*' marks the goroutine on the debugger's selected thread.
// live-command: go goroutines --user
// check: * goroutine 1 [running, {thread:selected_tid}]: main.stop [...]
// command: go goroutines --group --func 'main\.park(Recv|Sleep)$'
// check: 5 goroutines in 2 groups with identical stacks
// check: group of 3 [chan receive], goroutines: [...]
// check: #0  0x[...] in runtime.gopark at [...]
// check: #[...] in main.parkRecv at [...]main.go:[...]
// check: group of 2 [sleep], goroutines: [...]
// check-groups: main.parkRecv main.parkSleep
// '*' marks the group of the current goroutine, as the flat listing marks it.
// live-command: go goroutines --group --func '^main\.(stop|parkRecv)$'
// check: group of 3 [chan receive], goroutines: [...]
// check: * group of 1 [running], goroutine: 1
// check: #[...] in main.stop at [...]main.go:[...]
// core-command: go goroutines --group -t 64 --func '^main\.writer$'
// check: * group of 1 [running], goroutine: [...]
// check: #[...] in main.writer at [...]main.go:[...]
// command: go goroutines --status 'IO wait' --user -t
// check: goroutine [...] [IO wait, [...]s]: [...]
// check: #[...] in main.parkIO at [...]
// check: (1 of [...] goroutines shown)
// command: go goroutines --status syscall --user -t 20
// check: goroutine [...] [syscall, [...]s, thread [...]]: syscall.[...]
// check: #[...] in main.parkSyscall at [...]
// check: #[...] in runtime.goexit at [...]
// command: go goroutine {value:labeled}
// check: pprof labels: role="worker" shard="3"
// command: go bt 1
// check: goroutine 1 [[...]]:
// check: #[...] in runtime.main at [...]proc.go:[...]
// check: #[...] in runtime.goexit at [...]
// live-command: go bt
// check: goroutine 1 [running, {thread:selected_tid}]:
// check: #0  0x[...] in main.stop at [...]main.go:[...]
// check: #1  0x[...] in main.main at [...]main.go:[...]
// core-command: go bt
// check: goroutine [...] [running, {thread:crash_tid}]:
// check: #[...] in runtime.raise at [...] [gsignal]
// check: --- SIGABRT received; the frames above ran in its handler ---
// check: #[...] in runtime.raise at [...] [g0]
// check: --- switched from the system stack to goroutine [...] (runtime.systemstack) ---
// check: #[...] in runtime.fatal at [...]
// check: #[...] in main.writer at [...]main.go:[...]
// check: #[...] in runtime.goexit at [...]
// command: go goroutine 1
// check: goroutine 1 (g 0x[...])
// check: start: runtime.main at [...]proc.go:[...]
// check: system goroutine: no
// check: frames:
// command: go threads
// check: [...]thread [...] M[...] on [...]
// check-thread-numbers:
// command: go threads --json
// check-thread-numbers:
// core-command: go threads
// check: * thread {crash_tid} [...]M[...] on gsignal, goroutine [...], crashed: runtime.raise [...]
// command: go bt 999999
// check-error: no goroutine 999999
// command: go goroutine -5
// check-error: '-5' is not a goroutine id (a number)
// command: go goroutine all
// check-error: 'all' is not a goroutine id (a number)
// command: go bt x
// check-error: 'x' is not a goroutine id (a number, or 'all')
// command: go goroutines --func '('
// check-error: --func: invalid regular expression
package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"gomapdbg/testprogs/internal/truth"
)

// How many goroutines park in each function (the group records).
var counts = []struct {
	function string
	n        int
}{
	{"main.parkRecv", 3},
	{"main.parkSend", 2},
	{"main.parkSelect", 2},
	{"main.parkMutex", 2},
	{"main.parkWaitGroup", 2},
	{"main.parkSleep", 2},
	{"main.parkIO", 1},
	{"main.parkSyscall", 1},
	{"main.spin", 2},
}

// Small enough to be inlined into the go statement's wrapper.
func parkRecv(ch chan int) { <-ch }

//go:noinline
func parkSend(ch chan int) { ch <- 1 }

//go:noinline
func parkSelect(a, b chan int) {
	select {
	case <-a:
	case <-b:
	}
}

//go:noinline
func parkMutex(mu *sync.Mutex) { mu.Lock() }

//go:noinline
func parkWaitGroup(wg *sync.WaitGroup) { wg.Wait() }

func parkSleep() { time.Sleep(time.Hour) }

//go:noinline
func parkIO(r *os.File) {
	buf := make([]byte, 1)
	r.Read(buf)
}

//go:noinline
func parkSyscall(fd int) {
	buf := make([]byte, 1)
	syscall.Read(fd, buf)
}

//go:noinline
func spin(stop *atomic.Bool) {
	for !stop.Load() {
	}
}

//go:noinline
func writer(m map[int]int, start chan struct{}, ids chan uint64) {
	ids <- goid()
	<-start
	for i := 0; ; i++ {
		m[i&63] = i
	}
}

// goid reads the calling goroutine's id from its own traceback header.
func goid() uint64 {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	fields := strings.Fields(string(buf))
	id, _ := strconv.ParseUint(fields[1], 10, 64)
	return id
}

//go:noinline
func stop() {}

// parkLabeled parks under pprof labels (set by pprof.Do) and reports its goid.
func parkLabeled(ch chan int, ids chan uint64) {
	pprof.Do(context.Background(), pprof.Labels("role", "worker", "shard", "3"), func(context.Context) {
		ids <- goid()
		<-ch
	})
}

// pipeWriter keeps the IO-wait goroutine's pipe open: were the *os.File
// unreachable, its finalizer could close it and wake the reader.
var pipeWriter *os.File

type record struct {
	goid   string
	state  string
	frames []string
}

// dump parses runtime.Stack(all): each goroutine's id, bracketed state
// (without the ", N minutes" and ", locked to thread" suffixes) and frames.
func dump() []record {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []record
	for _, block := range strings.Split(string(buf), "\n\n") {
		lines := strings.Split(strings.TrimSpace(block), "\n")
		head := lines[0]
		if !strings.HasPrefix(head, "goroutine ") {
			continue
		}
		open, close := strings.Index(head, "["), strings.LastIndex(head, "]")
		state := head[open+1 : close]
		if i := strings.Index(state, ","); i >= 0 {
			state = state[:i]
		}
		r := record{goid: strings.Fields(head)[1], state: state}
		for _, l := range lines[1:] {
			if strings.HasPrefix(l, "\t") || strings.HasPrefix(l, "created by ") ||
				strings.HasPrefix(l, "...") {
				continue
			}
			if i := strings.LastIndex(l, "("); i > 0 {
				l = l[:i]
			}
			r.frames = append(r.frames, l)
		}
		out = append(out, r)
	}
	return out
}

// settled: every parking goroutine is parked (none running or runnable).
func settled(records []record) bool {
	parked := map[string]int{}
	for _, r := range records {
		for _, f := range r.frames {
			if strings.HasPrefix(f, "main.park") {
				if r.state == "running" || r.state == "runnable" {
					return false
				}
				parked[f]++
			}
		}
	}
	for _, c := range counts {
		if c.function != "main.spin" && parked[c.function] != c.n {
			return false
		}
	}
	return true
}

// waitWindow records how long ago main started and the first GC call
// ended: a parked goroutine's wait, as the runtime computes it, lies
// between the two.
func waitWindow(t *truth.Writer, mainStart, afterGC time.Time) {
	t.Value("since_main_ns", time.Since(mainStart).Nanoseconds())
	t.Value("since_gc_end_ns", time.Since(afterGC).Nanoseconds())
}

func main() {
	mainStart := time.Now()
	runtime.GOMAXPROCS(6)
	var (
		ch, sendCh, a, b = make(chan int), make(chan int), make(chan int), make(chan int)
		mu               sync.Mutex
		wg               sync.WaitGroup
		stopSpin         atomic.Bool
	)
	mu.Lock()
	wg.Add(1)
	r, w, err := os.Pipe()
	if err != nil {
		panic(err)
	}
	pipeWriter = w
	var fds [2]int
	if err := syscall.Pipe(fds[:]); err != nil {
		panic(err)
	}
	for i := 0; i < 3; i++ {
		go parkRecv(ch)
	}
	for i := 0; i < 2; i++ {
		go parkSend(sendCh)
		go parkSelect(a, b)
		go parkMutex(&mu)
		go parkWaitGroup(&wg)
		go parkSleep()
		go spin(&stopSpin)
	}
	go parkIO(r)
	go parkSyscall(fds[0])
	labeledIDs := make(chan uint64)
	go parkLabeled(ch, labeledIDs)
	labeled := <-labeledIDs

	var records []record
	for deadline := time.Now().Add(20 * time.Second); ; {
		records = dump()
		if settled(records) || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The first GC that finds a goroutine blocked sets its waitsince to the
	// end of the GC before (nothing while there was none): after these two,
	// every parked goroutine's wait started within the first GC call, or
	// earlier if the runtime collected on its own since main started.
	runtime.GC()
	afterGC := time.Now()
	runtime.GC()
	time.Sleep(time.Second)

	t := truth.Open()
	t.Value("labeled", labeled)
	for _, c := range counts {
		t.Group(c.function, c.n)
	}
	for _, rec := range records {
		t.Goroutine(rec.goid, rec.state, rec.frames)
	}
	crash := os.Getenv("GOMAPDBG_MODE") == "crash"
	if crash {
		m := map[int]int{}
		start, ids := make(chan struct{}), make(chan uint64)
		go writer(m, start, ids)
		go writer(m, start, ids)
		var writers bytes.Buffer
		fmt.Fprintf(&writers, "%d,%d", <-ids, <-ids)
		t.Value("writers", writers.String())
		waitWindow(t, mainStart, afterGC)
		t.Close()
		close(start)
		select {}
	}
	waitWindow(t, mainStart, afterGC)
	t.Close()
	stop()
	stopSpin.Store(true)
	mu.Unlock()
	wg.Done()
	pipeWriter.Close()
	fmt.Println(len(records))
}
