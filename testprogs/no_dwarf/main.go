// no_dwarf is built without DWARF (-ldflags=-w): what needs DWARF must say
// so in one line, and the session must go on.
//
// ldflags: -w
// #break-at: main.stop
//
// command: go info
// check: go version: {version}[...]
// check: dwarf: absent (built with -ldflags=-w or stripped): [...]
// check: pclntab: present, magic [...]
// check: build settings: {value:build_settings}
// command: go map counts
// check-error: has no DWARF debug info (.debug_info missing; built with -ldflags=-w or stripped?), which looking up variable 'counts' needs
// command: go map {addr:counts} --type 'map[string]int'
// check-error: has no DWARF debug info [...], which --type map[string]int needs
// command: go info
// check: map layout: {layout} [...]
package main

import (
	"fmt"
	"os"

	"gomapdbg/testprogs/internal/truth"
)

var counts = map[string]int{"a": 1, "b": 2}

//go:noinline
func stop() {
	if os.Getenv("GOMAPDBG_MODE") == "crash" {
		panic("gomapdbg test crash")
	}
}

func main() {
	t := truth.Open()
	t.Map("counts", counts)
	t.BuildSettings()
	t.Close()
	stop()
	fmt.Println(len(counts))
}
