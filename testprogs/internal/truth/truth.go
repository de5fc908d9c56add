// Package truth writes the ground truth that integration tests compare the
// debugger's output with: each map's address, type, length and entries,
// rendered the way gomapdbg renders Go values (Go syntax, strconv.Quote).
package truth

import (
	"bufio"
	"fmt"
	"os"
	"reflect"
	"strings"
)

// Writer appends records to the file named by $GOMAPDBG_TRUTH (or discards
// them when it is unset, so the programs also run on their own).
type Writer struct {
	w *bufio.Writer
	f *os.File
}

// Open starts a truth file.
func Open() *Writer {
	path := os.Getenv("GOMAPDBG_TRUTH")
	if path == "" {
		return &Writer{w: bufio.NewWriter(discard{})}
	}
	f, err := os.Create(path)
	if err != nil {
		panic(err)
	}
	return &Writer{w: bufio.NewWriterSize(f, 1<<20), f: f}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// Map records a map under a name: its header address (what %p prints), its
// static type, its length and every entry as "KEY: VALUE".
func (t *Writer) Map(name string, m any) {
	v := reflect.ValueOf(m)
	fmt.Fprintf(t.w, "map %s %#x %s %d\n", name, v.Pointer(), v.Type(), v.Len())
	iter := v.MapRange()
	for iter.Next() {
		fmt.Fprintf(t.w, "entry %s %s: %s\n", name, Render(iter.Key()), Render(iter.Value()))
	}
}

// Value records a named scalar fact (an address, a count) for the tests.
func (t *Writer) Value(name string, v any) {
	fmt.Fprintf(t.w, "value %s %v\n", name, v)
}

// Close flushes the file; call it before the program stops or crashes.
func (t *Writer) Close() {
	if err := t.w.Flush(); err != nil {
		panic(err)
	}
	if t.f != nil {
		if err := t.f.Close(); err != nil {
			panic(err)
		}
	}
}

// Group records that `count` goroutines were parked in `function`.
func (t *Writer) Group(function string, count int) {
	fmt.Fprintf(t.w, "group %s %d\n", function, count)
}

// Goroutine records what the runtime's own traceback (runtime.Stack) says of
// a goroutine: its bracketed state and its frames' functions, innermost first.
func (t *Writer) Goroutine(goid, state string, frames []string) {
	fmt.Fprintf(t.w, "goroutine %s %s|%s\n", goid, state, strings.Join(frames, " "))
}
