// dwarf_vars holds variables as the compiler leaves them in DWARF, on one
// stack (goroutine 1), stopped at the entry of main.heapArg:
//
//	main.main -> main.scoped      variables in inner blocks, declared before
//	                              and after the call it is stopped in
//	-> main.keyed[...]            generic: a map[float32]int argument, an
//	                              int local and a map local, all of shape
//	                              types (go.shape.*)
//	-> main.pointed[...]          generic: a *main.astruct argument (shape
//	                              go.shape.*uint8)
//	-> main.outer -> main.writeInts   inlined into outer: a map argument
//	-> main.heapArg               its map argument moved to the heap, stopped
//	                              at its entry (before the heap copy exists)
//
// Every value is checked against the program's own rendering of it. The
// core (GOMAPDBG_MODE=crash) is dumped by a panic in heapArg.
//
// The live stop is a breakpoint on heapArg's first line (LLDB places a
// function breakpoint of go1.19's heapArg on a path not taken).
// live-command: go map arg
// check-map: arg
// live-command: go print arg
// check-value: arg
// live-command: go locals
// check-value: arg
//
// The inlined call's variables, from the tool's own unwinder.
// command: go locals -g 1 -f main.writeInts
// check-value: wm
// command: go map wm -g 1 -f main.writeInts
// check-map: wm
//
// The debugger's own frame of the inlined call (the first above heapArg).
// gdb-live-command: up
// gdb-live-command: go locals
// check-value: wm
// gdb-live-command: go print wm
// check-value: wm
// lldb-live-command: up
// lldb-live-command: go locals
// check-value: wm
// lldb-live-command: go print wm
// check-value: wm
//
// Generic frames: the real types from the function's dictionary.
// command: go print km -g 1 -f main.keyed
// check-value: km
// command: go map km -g 1 -f main.keyed --json --all
// check-json-map: km
// command: go print got -g 1 -f main.keyed
// check-value: got
// command: go print shaped -g 1 -f main.keyed
// check-value: shaped
// command: go locals -g 1 -f main.keyed
// check-value: km
// check-value: got
// check-value: shaped
// command: go print arg1 --deref 1 -g 1 -f main.pointed
// check-deref: arg1 1
// command: go print copied --deref 1 -g 1 -f main.pointed
// check-deref: copied 1
//
// Lexical blocks and declaration lines: only what is in scope at the call.
// command: go locals -g 1 -f main.scoped
// check-value: n
// check-value: inner
// check-absent: late =
// check-absent: sibling =
// command: go print inner -g 1 -f main.scoped
// check-value: inner
// command: go print late -g 1 -f main.scoped
// check-error: no variable 'late'
// command: go print sibling -g 1 -f main.scoped
// check-error: no variable 'sibling'
package main

import (
	"fmt"
	"os"
	"strconv"

	"gomapdbg/testprogs/internal/truth"
)

type astruct struct{ A, B int }

var (
	t       *truth.Writer
	crash   = os.Getenv("GOMAPDBG_MODE") == "crash"
	escaped *map[int]int
	sink    string
)

// record writes the truth of a copy of v, so that the variable itself
// stays where the compiler put it (taking its address would move it).
func record[T any](name string, v T) { t.Render(name, &v) }

func recordDeref[T any](name string, v T, levels int) { t.RenderDeref(name, &v, levels) }

//go:noinline
func heapArg(arg map[int]int) int { // #break
	if crash {
		panic("gomapdbg test crash")
	}
	escaped = &arg // moves arg to the heap ("&arg" in DWARF)
	return len(arg)
}

// writeInts is small enough to be inlined into outer.
func writeInts(wm map[int]int) int {
	return heapArg(wm) + len(wm)
}

//go:noinline
func outer(n int) int {
	wm := map[int]int{n: n * n, -n: 0}
	record("wm", wm)
	t.Map("wm", wm)
	record("arg", wm)
	t.Map("arg", wm)
	t.Close()
	return writeInts(wm) + 1
}

//go:noinline
func pointed[T any](arg1 T) int {
	copied := arg1
	recordDeref("arg1", arg1, 1)
	recordDeref("copied", copied, 1)
	n := outer(3)
	sink = fmt.Sprint(arg1, copied) // the dictionary, arg1 and copied stay live across the call
	return n
}

//go:noinline
func keyed[K comparable, V any](km map[K]V, key K) int {
	shaped := make(map[K]V)
	got := km[key]
	shaped[key] = got
	record("km", km)
	t.Map("km", km)
	t.MapJSON("km", km)
	record("got", got)
	record("shaped", shaped)
	n := pointed(&astruct{0, 1})
	keep(got) // the variables stay live across the call
	keep(key)
	sink = fmt.Sprint(km, shaped)
	return n + len(shaped)
}

// keep keeps a value live up to its call.
//
//go:noinline
func keep[T any](v T) { sink += fmt.Sprint(v) }

// use keeps a value live up to its call: the variable has a location there.
//
//go:noinline
func use(v int) { sink += strconv.Itoa(v) }

//go:noinline
func scoped(n int) int {
	early := n * 2
	total := n + 1
	{
		inner := early + 1
		record("n", n)
		record("inner", inner)
		total += keyed(map[float32]int{2.5: 25, -1.5: -15, 0.1: 1}, float32(2.5))
		use(early) // early and inner stay live across the call
		use(inner)
	}
	late := total * 3 // declared after the call: not in scope there
	use(late)
	{
		sibling := late + 1 // in a block the call is not in
		use(sibling)
		total += sibling
	}
	return total + late
}

func main() {
	t = truth.Open()
	fmt.Println(scoped(5), sink)
}
