// Package truth writes the ground truth that integration tests compare the
// debugger's output with: each map's address, type, length and entries,
// rendered the way gomapdbg renders Go values (Go syntax, strconv.Quote).
package truth

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"runtime/debug"
	"strconv"
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

// MapCaps records a map as Map and MapJSON do, its keys and values
// rendered under other caps, by the name caps.Key(name).
func (t *Writer) MapCaps(name string, m any, caps Caps) {
	v := reflect.ValueOf(m)
	key := caps.Key(name)
	fmt.Fprintf(t.w, "map %s %#x %s %d\n", key, v.Pointer(), v.Type(), v.Len())
	iter := v.MapRange()
	for iter.Next() {
		fmt.Fprintf(t.w, "entry %s %s: %s\n", key, RenderCaps(iter.Key(), caps), RenderCaps(iter.Value(), caps))
		fmt.Fprintf(t.w, "jsonentry %s {\"key\": %s, \"value\": %s}\n", key, JSONCaps(iter.Key(), caps),
			JSONCaps(iter.Value(), caps))
	}
}

// MapJSON records every entry of a map as gomapdbg's JSON renders it:
// {"key": K, "value": V}, one "jsonentry" line each (the map's address,
// type and length come from Map).
func (t *Writer) MapJSON(name string, m any) {
	v := reflect.ValueOf(m)
	iter := v.MapRange()
	for iter.Next() {
		fmt.Fprintf(t.w, "jsonentry %s {\"key\": %s, \"value\": %s}\n", name, JSON(iter.Key()), JSON(iter.Value()))
	}
}

// Render records the value `ptr` points to as gomapdbg renders it, in text
// ("value" line) and JSON ("json" line). A pointer keeps the static type:
// an `any` variable holding 7 renders as int(7), not 7.
func (t *Writer) Render(name string, ptr any) {
	v := reflect.ValueOf(ptr).Elem()
	fmt.Fprintf(t.w, "value %s %s\n", name, Render(v))
	fmt.Fprintf(t.w, "json %s %s\n", name, JSON(v))
}

// RenderDeref records what `go print NAME --deref levels` shows of the value
// `ptr` points to, text and JSON, under the name "NAME@deref=LEVELS".
func (t *Writer) RenderDeref(name string, ptr any, levels int) {
	v := reflect.ValueOf(ptr).Elem()
	key := fmt.Sprintf("%s@deref=%d", name, levels)
	fmt.Fprintf(t.w, "value %s %s\n", key, RenderDeref(v, levels))
	fmt.Fprintf(t.w, "json %s %s\n", key, JSONDeref(v, levels))
}

// RenderCaps records the value `ptr` points to as Render does, under other
// caps, by the name caps.Key(name).
func (t *Writer) RenderCaps(name string, ptr any, caps Caps) {
	v := reflect.ValueOf(ptr).Elem()
	fmt.Fprintf(t.w, "value %s %s\n", caps.Key(name), RenderCaps(v, caps))
	fmt.Fprintf(t.w, "json %s %s\n", caps.Key(name), JSONCaps(v, caps))
}

// Value records a named scalar fact (an address, a count) for the tests.
func (t *Writer) Value(name string, v any) {
	fmt.Fprintf(t.w, "value %s %v\n", name, v)
}

// Goid is the calling goroutine's id, from the header runtime.Stack
// writes ("goroutine 7 [running]:").
func Goid() uint64 {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	buf = bytes.TrimPrefix(buf, []byte("goroutine "))
	id, err := strconv.ParseUint(string(buf[:bytes.IndexByte(buf, ' ')]), 10, 64)
	if err != nil {
		panic("truth: no goroutine id in runtime.Stack's header")
	}
	return id
}

// BuildSettings records the binary's build settings as the Go toolchain
// itself formats them (debug.BuildInfo.String's "build" lines, values
// quoted where needed), space-separated: "value build_settings K=V ...".
func (t *Writer) BuildSettings() {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		panic("truth: the binary carries no build info")
	}
	var settings []string
	for _, line := range strings.Split(info.String(), "\n") {
		if strings.HasPrefix(line, "build\t") {
			settings = append(settings, strings.TrimPrefix(line, "build\t"))
		}
	}
	t.Value("build_settings", strings.Join(settings, " "))
}

// SourceFiles records the source file of each function on the calling
// goroutine's stack as the build recorded it in the pclntab (absolute, or
// trimmed by -trimpath), as "value file_PKG_FUNC FILE": file_main_main,
// file_runtime_main, file_runtime_goexit.
func (t *Writer) SourceFiles() {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
	names := strings.NewReplacer(".", "_", "/", "_")
	for {
		f, more := frames.Next()
		t.Value("file_"+names.Replace(f.Function), f.File)
		if !more {
			break
		}
	}
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
