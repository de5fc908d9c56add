// map_growth stops a map in the middle of growing: the program inserts keys
// 0..N-1 (value 2*key) into `growing`, and the debugger breaks inside the
// runtime's growth path (runtime.evacuate_fast64 for these classic maps,
// the swiss table split for swiss maps) after a few hits: at the function's
// entry, then inside it ({growth_file}:{growth_line}, derived from the
// toolchain's runtime source: in evacuate_fast64's slot loop, an old bucket
// half evacuated; in installTableSplit after replaceTable(left), the old
// table and its left half both in the directory). Whatever instant that is,
// the decoded map must hold exactly the keys 0..len-1, each once, each with
// value 2*key, and the bucket view must count as many.
// Classic maps also stop mid same-size grow (`churned`).
//
// #break-at: main.grow
// live-command: go map growing --buckets --limit 0
// check: summary: [...] 0 live[...]
// classic-live-command: go map churned --all
// check-map: churned
// check-growing: same-size
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
// gdb-live-command: delete 2
// lldb-live-command: breakpoint delete 2
// gdb-live-command: break {growth_file}:{growth_line}
// lldb-live-command: breakpoint set -f {growth_file} -l {growth_line}
// live-command: continue
// live-command: continue
// live-command: continue
// live-command: go map growing --all
// check-growth: growing mid-growth
// live-command: go map growing --buckets --all
// check-growth-buckets: growing
// live-command: go map growing --buckets --all --json
// check-growth-buckets-json: growing
// classic-gdb-live-command: ignore 3 3000
// classic-lldb-live-command: breakpoint modify -i 3000 3
// swiss-gdb-live-command: ignore 3 10
// swiss-lldb-live-command: breakpoint modify -i 10 3
// live-command: continue
// live-command: go map growing --all
// check-growth: growing mid-growth
// live-command: go map growing --buckets --all
// check-growth-buckets: growing
// live-command: go map growing --buckets --all --json
// check-growth-buckets-json: growing
// live-command: go map deleting --all
// check-growth: deleting
package main

import (
	"fmt"
	"os"

	"gomapdbg/testprogs/internal/layout"
	"gomapdbg/testprogs/internal/truth"
)

var (
	growing  map[int]int
	deleting map[int]int
	churned  map[int]int
)

//go:noinline
func grow(n int) {
	for i := 0; i < n; i++ {
		growing[i] = 2 * i
	}
}

// churn inserts and deletes distinct keys at a steady count of 40 (B=3, far
// below the load factor) until the overflow buckets this leaves behind make
// the runtime start a same-size grow; it returns the map in the middle of
// that grow (flags sameSizeGrow, oldbuckets set), as the program itself sees
// through unsafe.
func churn() map[int]int {
	m := make(map[int]int, 40)
	for next := 0; next < 10_000_000; next++ {
		m[next] = 2 * next
		if flags, growing := layout.ClassicGrowth(m); growing {
			if flags&layout.SameSizeGrow == 0 || len(m) != 41 {
				panic(fmt.Sprintf("churned map grew but not in place: flags %#x, len %d", flags, len(m)))
			}
			return m
		}
		if next >= 40 {
			delete(m, next-40)
		}
	}
	panic("churned map never started a same-size grow")
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
	if !layout.Swiss() {
		churned = churn()
		t.Map("churned", churned)
	}
	t.Close()
	grow(20000)
	fmt.Fprintln(os.Stderr, len(growing))
}
