// basic_maps holds maps of the four foundation key/value shapes at the sizes
// the foundation slice is checked at, as globals, a local and an argument.
// It writes them to the truth file, then stops at the #break line (live) or
// crashes with SIGABRT under GOTRACEBACK=crash (core mode).
// What the foundation slice must show, in every toolchain, debugger and mode:
//
// command: go info
// check: go version: {version}[...]
// check: architecture: linux/{value:goarch}
// check: map layout: {layout} [...]
// check: dwarf: present, version [...]
// check: build settings: {value:build_settings}
//
// Every map global, in full, equals the program's own record of it.
// command: go map nilMap
// check-map: nilMap
// command: go map main.intInt0 --all
// check-map: intInt0
// command: go map intInt1 --all
// check-map: intInt1
// command: go map main.intInt8 --all
// check-map: intInt8
// command: go map intInt9 --all
// check-map: intInt9
// command: go map main.intInt1000 --all
// check-map: intInt1000
// command: go map main.intInt100000 --all
// check-map: intInt100000
// command: go map main.int64Str0 --all
// check-map: int64Str0
// command: go map int64Str1 --all
// check-map: int64Str1
// command: go map main.int64Str8 --all
// check-map: int64Str8
// command: go map int64Str9 --all
// check-map: int64Str9
// command: go map main.int64Str1000 --all
// check-map: int64Str1000
// command: go map main.int64Str100000 --all
// check-map: int64Str100000
// command: go map main.strInt0 --all
// check-map: strInt0
// command: go map strInt1 --all
// check-map: strInt1
// command: go map main.strInt8 --all
// check-map: strInt8
// command: go map strInt9 --all
// check-map: strInt9
// command: go map main.strInt1000 --all
// check-map: strInt1000
// command: go map main.strInt100000 --all
// check-map: strInt100000
// command: go map main.strStr0 --all
// check-map: strStr0
// command: go map strStr1 --all
// check-map: strStr1
// command: go map main.strStr8 --all
// check-map: strStr8
// command: go map strStr9 --all
// check-map: strStr9
// command: go map main.strStr1000 --all
// check-map: strStr1000
// command: go map main.strStr100000 --all
// check-map: strStr100000
//
// A map by header address and type.
// command: go map {addr:strInt1000} --type 'map[string]int' --all
// check-map: strInt1000
// command: go map {addr:int64Str9} --type map[int64]string --all
// check-map: int64Str9
//
// The default shows a bounded prefix and says how much is left out.
// command: go map intInt1000
// check: layout: {layout} ([...]), len 1000
// check: (100 of 1000 entries shown; --all shows every entry)
// command: go map strStr9 --limit 2
// check: (2 of 9 entries shown; --all shows every entry)
//
// The physical view shows every entry once, and finds a key's bucket.
// command: go map strStr1000 --buckets --all
// check-buckets: strStr1000
// check-layout: strStr1000
// command: go map int64Str9 --buckets --all
// check-buckets: int64Str9
// check-layout: int64Str9
// command: go map intInt100000 --buckets --all
// check-buckets: intInt100000
// check-layout: intInt100000
// check-header: intInt100000
// command: go map intInt8 --buckets --all
// check-layout: intInt8
// command: go map intInt1000 --buckets --all --json
// check-layout: intInt1000
// check-header: intInt1000
// command: go map int64Str9 --buckets --all --json
// check-layout: int64Str9
// command: go map intInt1000 --key 4 --json
// check-key-json: intInt1000 4
// command: go map intInt1000 --key 123456789 --json
// check-key-json: intInt1000 123456789
// command: go map strInt1000 --key k5 --json
// check-key-json: strInt1000 "k5"
//
// The header line shows what the program reads in its own map header.
// command: go map intInt1 --limit 0
// check-header: intInt1
// command: go map strStr9 --limit 0
// check-header: strStr9
// command: go map strInt1000 --json --limit 0
// check-header: strInt1000
// command: go map strInt1000 --key k5
// check-key: strInt1000 "k5"
// command: go map intInt1000 --key 4
// check-key: intInt1000 4
// command: go map intInt1000 --key 123456789
// check-key: intInt1000 123456789
//
// A local and an argument of the selected frame (live: the frame stopped
// at), and of main.inspect's frame found by gomapdbg's own unwinder in the
// crashing goroutine (a core's crashing frame is the runtime's, and GDB
// cannot unwind past the system stack of older toolchains).
// live-command: go map arg --all
// check: arg (argument): map[string]int @ [...]
// check-map: arg
// live-command: go map local --all
// check-map: local
// command: go map arg --frame main.inspect --all
// check: arg (argument): map[string]int @ [...]
// check-map: arg
// command: go map local -g {value:goid} -f main.inspect --all
// check-map: local
// command: go locals --frame main.inspect
// check: goroutine {value:goid}, frame [...]: main.inspect at [...]basic_maps/main.go:[...]
// check-value: arg
// A live process that has not thrown gets no fatal verdict from go report.
// live-command: go report
// check: verdict: no fatal error (the process has not thrown): [...]: goroutine {value:goid} selected[...]
// check: fatal error: none [...]
// check: selected goroutine {value:goid} [...]
// command: go map arg --frame main.nosuch
// check-error: goroutine {value:goid} has no frame of main.nosuch (see go bt {value:goid})
//
// Bad input: one clear error line each, and the session goes on.
// command: go map nosuch
// check-error: no variable 'nosuch' in the selected frame or among the globals
// command: go map notMap
// check-error: main.notMap (global) is an int, not a map
// command: go map 0 --type 'map[int]int'
// check-error: address 0 is not a map header
// command: go map 0x10 --type 'map[int]int'
// check-error: cannot read [...] bytes at 0x10
// command: go map 0x10 --type 'map[nosuch]int'
// check-error: type map[nosuch]int is not in the binary's DWARF
// command: go map intInt8 --limit=-1
// check-error: argument --limit: '-1' is negative (0 or more)
// command: go map intInt8 --limit 99999999999999999999
// check-error: argument --limit: '99999999999999999999' is too large[...]
// command: go map intInt8 --key abc
// check-error: 'abc' is not an int, the map's key type
// command: go map intInt8 --key ""
// check-error: the key is empty, and the map's key type is int
// command: go map intInt8 --key 99999999999999999999
// check-error: '99999999999999999999' is not an int, the map's key type
// command: go map int64Str9 --key 1.5
// check-error: '1.5' is not an int64, the map's key type
// command: go map 0x401000 --type 'map[int]int'
// check-error: 0x401000 does not hold a map[int]int header: [...]
// command: go print intInt8 --deref -2
// check-error: argument --deref: '-2' is negative (0 or more)
// command: go report --entries -3
// check-error: argument --entries: '-3' is negative (0 or more)
// command: go map intInt9 --all
// check-map: intInt9
package main

import (
	"fmt"
	"os"
	"runtime"

	"gomapdbg/testprogs/internal/layout"
	"gomapdbg/testprogs/internal/truth"
)

var (
	nilMap map[int]int
	notMap = 42

	intInt0, intInt1, intInt8, intInt9, intInt1000, intInt100000             map[int]int
	int64Str0, int64Str1, int64Str8, int64Str9, int64Str1000, int64Str100000 map[int64]string
	strInt0, strInt1, strInt8, strInt9, strInt1000, strInt100000             map[string]int
	strStr0, strStr1, strStr8, strStr9, strStr1000, strStr100000             map[string]string
)

// Sizes the foundation issue names; each map global ends in its size.
var sizes = []int{0, 1, 8, 9, 1000, 100000}

// odd makes string keys and values exercise quoting: escapes, quotes, UTF-8.
func odd(i int) string {
	switch i % 7 {
	case 1:
		return fmt.Sprintf("tab\there %d", i)
	case 2:
		return fmt.Sprintf("quote\"%d\\", i)
	case 3:
		return fmt.Sprintf("héllo, 世界 %d", i)
	case 4:
		return fmt.Sprintf("nl\n%d\x00\x7f", i)
	}
	return fmt.Sprintf("k%d", i)
}

func fill() {
	ii := []*map[int]int{&intInt0, &intInt1, &intInt8, &intInt9, &intInt1000, &intInt100000}
	is := []*map[int64]string{&int64Str0, &int64Str1, &int64Str8, &int64Str9, &int64Str1000, &int64Str100000}
	si := []*map[string]int{&strInt0, &strInt1, &strInt8, &strInt9, &strInt1000, &strInt100000}
	ss := []*map[string]string{&strStr0, &strStr1, &strStr8, &strStr9, &strStr1000, &strStr100000}
	for s, n := range sizes {
		*ii[s] = map[int]int{}
		*is[s] = map[int64]string{}
		*si[s] = map[string]int{}
		*ss[s] = map[string]string{}
		for i := 0; i < n; i++ {
			(*ii[s])[i*7-3] = -i
			(*is[s])[int64(i)*1_000_000_007] = fmt.Sprintf("v%d", i)
			(*si[s])[odd(i)] = i * 3
			(*ss[s])[odd(i)] = odd(i + 1)
		}
	}
}

//go:noinline
func inspect(arg map[string]int, n int) int {
	local := map[int64]string{7: "seven", -1: "minus one"}
	t := truth.Open()
	record(t)
	t.Map("arg", arg)
	t.Map("local", local)
	t.Render("arg", &arg) // &arg moves arg to the heap: still an argument

	t.Value("goid", truth.Goid())
	t.Close()
	if os.Getenv("GOMAPDBG_MODE") == "crash" {
		panic("gomapdbg test crash")
	}
	runtime.KeepAlive(arg) // #break
	runtime.KeepAlive(local)
	return n + len(local)
}

func record(t *truth.Writer) {
	t.BuildSettings()
	t.Value("goarch", runtime.GOARCH)
	t.Map("nilMap", nilMap)
	for _, g := range []struct {
		name string
		m    any
	}{
		{"intInt0", intInt0}, {"intInt1", intInt1}, {"intInt8", intInt8}, {"intInt9", intInt9},
		{"intInt1000", intInt1000}, {"intInt100000", intInt100000},
		{"int64Str0", int64Str0}, {"int64Str1", int64Str1}, {"int64Str8", int64Str8},
		{"int64Str9", int64Str9}, {"int64Str1000", int64Str1000}, {"int64Str100000", int64Str100000},
		{"strInt0", strInt0}, {"strInt1", strInt1}, {"strInt8", strInt8}, {"strInt9", strInt9},
		{"strInt1000", strInt1000}, {"strInt100000", strInt100000},
		{"strStr0", strStr0}, {"strStr1", strStr1}, {"strStr8", strStr8}, {"strStr9", strStr9},
		{"strStr1000", strStr1000}, {"strStr100000", strStr100000},
	} {
		t.Map(g.name, g.m)
		t.Header(g.name, g.m)
	}
	// Where the entries physically are, for the --buckets checks.
	for name, m := range map[string]any{"intInt8": intInt8, "int64Str9": int64Str9,
		"intInt1000": intInt1000, "strStr1000": strStr1000, "intInt100000": intInt100000} {
		t.Physical(name, m)
	}
	t.Value("notMap", notMap)
}

// settle ends any classic growth still in progress after the inserts
// (incremental: it lasts until enough further writes), so that the header
// and physical truth describe a settled map.
func settle() {
	for _, m := range []any{intInt1000, intInt100000, int64Str1000, int64Str100000,
		strInt1000, strInt100000, strStr1000, strStr100000} {
		layout.FinishGrowth(m)
	}
}

func main() {
	fill()
	settle()
	fmt.Println(inspect(strInt9, 5))
}
