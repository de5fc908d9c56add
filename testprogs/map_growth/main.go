// map_growth stops a map in the middle of growing: the program inserts keys
// 0..N-1 (value 2*key) into `growing`, and the debugger breaks inside the
// runtime.s growth path (runtime.evacuate_fast64 for these classic maps,
// the swiss table split for swiss maps) after a few hits. Whatever instant
// that is, the decoded map must hold exactly the keys 0..len-1, each once,
// each with value 2*key.
//
// #break-at: main.grow
// live-command: go map growing --buckets --limit 0
// check: summary: [...] 0 live[...]
// gdb-live-command: delete 1
// lldb-live-command: breakpoint delete 1
// gdb-live-command: break '{grow_function}'
// lldb-live-command: breakpoint set -n '{grow_function}'
// live-command: continue
// live-command: continue
// live-command: continue
// live-command: go map growing --all
// check-growth: growing mid-growth
// live-command: go map growing --buckets --all
// check: summary: [...]
// live-command: continue
// live-command: go map growing --all
// check-growth: growing mid-growth
// live-command: go map deleting --all
// check-growth: deleting
package main

import (
	"fmt"
	"os"

	"gomapdbg/testprogs/internal/truth"
)

var (
	growing  map[int]int
	deleting map[int]int
)

//go:noinline
func grow(n int) {
	for i := 0; i < n; i++ {
		growing[i] = 2 * i
	}
}

func main() {
	growing = map[int]int{}
	// Tombstones everywhere: insert 0..2N, then delete the upper half.
	deleting = map[int]int{}
	for i := 0; i < 4000; i++ {
		deleting[i] = 2 * i
	}
	for i := 2000; i < 4000; i++ {
		delete(deleting, i)
	}
	t := truth.Open()
	t.Map("deleting", deleting)
	t.Close()
	grow(20000)
	fmt.Fprintln(os.Stderr, len(growing))
}
