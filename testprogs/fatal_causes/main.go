// fatal_causes dies of something other than a map fatal, selected by
// $GOMAPDBG_CASE, while a global map and a local one are in reach (so a
// report that guessed a map from the stack would show one):
//
//	panic_string  panic("...") with a formatted string
//	panic_error   panic(err) of a wrapped error (Go prints err.Error())
//	panic_value   panic(Code(42)) of a named integer type
//	nil_map       assignment to entry in nil map (a panic, not a fatal)
//	nil_deref     a nil pointer dereference (SIGSEGV turned into a panic)
//	unlock        sync: unlock of unlocked mutex (a runtime fatal error)
//	deadlock      all goroutines are asleep - deadlock! (thrown by the scheduler)
//	sigabrt       SIGABRT sent from outside by another process (kill)
//
// The truth: the case, the kind of end the report must name (panic,
// runtime, signal), the text Go itself prints for it, the goroutine that
// panicked or threw, and for sigabrt the pid of the sender.
//
// #catch
// command: go report --json
// check-fatal:
// command: go report
// check: verdict: [...] (not a map error): [...]
// check-absent: the map
// check-absent: competing accessors:
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"

	"gomapdbg/testprogs/internal/truth"
)

type Code int

type Point struct{ X, Y int }

var counts = map[string]int{"a": 1, "b": 2, "c": 3}

// record writes the truth; the calling goroutine is the one that panics or
// throws (but for a deadlock, which the scheduler throws with none).
func record(kind, message string) {
	t := truth.Open()
	t.Value("case", os.Getenv("GOMAPDBG_CASE"))
	t.Value("kind", kind)
	t.Value("message", message)
	if os.Getenv("GOMAPDBG_CASE") != "deadlock" {
		t.Value("goroutine", strconv.FormatUint(truth.Goid(), 10))
	}
	t.Map("counts", counts)
	t.Close()
}

//go:noinline
func use(m map[string]int) int { return len(m) }

func main() {
	local := map[string]int{"x": 1}
	use(local)
	switch which := os.Getenv("GOMAPDBG_CASE"); which {
	case "panic_string":
		msg := "boom " + strconv.Itoa(use(counts))
		record("panic", msg)
		panic(msg)
	case "panic_error":
		err := fmt.Errorf("loading config: %w", io.ErrUnexpectedEOF)
		record("panic", err.Error())
		panic(err)
	case "panic_value":
		record("panic", "main.Code(42)")
		panic(Code(42))
	case "nil_map":
		var m map[string]int
		record("panic", "assignment to entry in nil map")
		m["x"] = use(local)
	case "nil_deref":
		var p *Point
		record("panic", "runtime error: invalid memory address or nil pointer dereference")
		fmt.Println(p.X + use(local))
	case "unlock":
		var mu sync.Mutex
		record("runtime", "sync: unlock of unlocked mutex")
		mu.Unlock()
	case "deadlock":
		record("runtime", "all goroutines are asleep - deadlock!")
		<-make(chan int)
	case "sigabrt":
		sigabrt()
	default:
		panic(errors.New("unknown GOMAPDBG_CASE " + which))
	}
	use(local)
}

// sigabrt has a shell send SIGABRT to this process, and keeps a goroutine
// busy meanwhile; the shell's pid is the sender the report must name.
func sigabrt() {
	sender := exec.Command("/bin/sh", "-c", "sleep 0.3; kill -ABRT "+strconv.Itoa(os.Getpid()))
	if err := sender.Start(); err != nil {
		panic(err)
	}
	t := truth.Open()
	t.Value("case", "sigabrt")
	t.Value("kind", "signal")
	t.Value("message", "SIGABRT")
	t.Value("sender", strconv.Itoa(sender.Process.Pid))
	t.Map("counts", counts)
	t.Close()
	go func() {
		for i := 0; ; i++ {
			counts["spin"] = i & 7 // a map in use, on purpose: not what killed it
			if i%1000 == 0 {
				time.Sleep(time.Millisecond)
			}
		}
	}()
	sender.Wait()
	time.Sleep(time.Minute)
}
