// no_dwarf is built without DWARF (-ldflags=-w): what needs DWARF must say
// so in one line, and the session must go on; what the runtime type
// descriptors give works.
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
// A map by address and type name needs no DWARF: the type's runtime
// descriptor (found through moduledata.typelinks) lays it out.
// command: go map {addr:counts} --type 'map[string]int' --all
// check-map: counts
// command: go map {addr:counts} --type 'map[string]nosuch'
// check-error: type map[string]nosuch is not among its [...] runtime type descriptors (moduledata.typelinks and the types they use); the binary has no DWARF
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
