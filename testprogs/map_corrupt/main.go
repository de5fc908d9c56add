// map_corrupt forges damaged map headers with unsafe (copies of real
// headers with one field broken) so that gomapdbg meets corrupt memory in a
// real process and core: each case must give a clear message and whatever
// can still be read, and the session must go on.
//
// An absurd B or dirLen over a readable bucket array or directory: the
// entries found from its start (up to count), which are exactly those the
// map held, and a warning saying what was walked.
// classic-command: go map absurdB --all
// check: warning: corrupt map header at [...]: B = 200 is absurd (at most 34); walked [...] buckets from the start of the bucket array at [...] until count (9) entries were found [...]
// check-entries: absurdB
// classic-command: go map nilBuckets --all
// check: warning: buckets is nil but count is 9
// classic-command: go map cycle --all
// check: (5 entries)
// check: warning: overflow chain revisits bucket [...] (a cycle); chain cut
// classic-command: go map countTooLarge --all
// check: (9 entries)
// check: warning: found 9 entries but count is 1000
// swiss-command: go map absurdDirLen --all
// check: warning: corrupt map header at [...]: dirLen = 1099511627776 is absurd; walked [...] directory entries from dirPtr [...] until used entries were found [...]
// check-entries: absurdDirLen
// swiss-command: go map negativeDirLen --all
// check: warning: corrupt map header at [...]: dirLen = -4 is absurd; walked [...] directory entries from dirPtr [...] until used entries were found [...]
// check-entries: negativeDirLen
// swiss-command: go map nilDirectory --all
// check: warning: dirPtr is nil but used is 9
// swiss-command: go map garbageGroups --all
// check: warning: groups of table [...] unreadable at [...]
// check: warning: found [...] entries but used is 3000
// swiss-command: go map countTooLarge --all
// check: (9 entries)
// check: warning: found 9 entries but used is 1000
//
// After all that, the session still works.
// command: go map healthy --all
// check-map: healthy
package main

import (
	"fmt"
	"os"
	"unsafe"

	"gomapdbg/testprogs/internal/layout"
	"gomapdbg/testprogs/internal/truth"
)

var (
	healthy, small, large, tiny map[int]int

	// Classic forgeries.
	absurdB, nilBuckets, cycle map[int]int
	// Swiss forgeries.
	absurdDirLen, negativeDirLen, nilDirectory, garbageGroups map[int]int
	// Both.
	countTooLarge map[int]int

	forged [][]byte // keeps forged memory alive
)

func header(m map[int]int) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&m)) }

// forge copies n bytes of a real header, lets damage() change the copy, and
// returns a map value pointing at it. The originals stay alive in globals.
func forge(m map[int]int, n int, damage func(b []byte)) map[int]int {
	b := make([]byte, n)
	copy(b, unsafe.Slice((*byte)(header(m)), n))
	damage(b)
	forged = append(forged, b)
	p := unsafe.Pointer(&b[0])
	return *(*map[int]int)(unsafe.Pointer(&p))
}

func put64(b []byte, off int, v uint64) { *(*uint64)(unsafe.Pointer(&b[off])) = v }
func get64(b []byte, off int) uint64    { return *(*uint64)(unsafe.Pointer(&b[off])) }

func main() {
	healthy, small, large, tiny = map[int]int{}, map[int]int{}, map[int]int{}, map[int]int{}
	for i := 0; i < 5; i++ {
		tiny[i] = i // one bucket (B=0)
	}
	for i := 0; i < 9; i++ {
		healthy[i] = i
		small[i] = -i
	}
	for i := 0; i < 3000; i++ {
		large[i] = i
	}
	countOff := int(layout.HeaderFields()[0].Off) // count (classic) or used (swiss)
	countTooLarge = forge(small, 48, func(b []byte) { put64(b, countOff, 1000) })
	if layout.Swiss() {
		dirPtrOff, dirLenOff := int(layout.Offset("dirPtr")), int(layout.Offset("dirLen"))
		absurdDirLen = forge(large, 48, func(b []byte) { put64(b, dirLenOff, 1<<40) })
		negativeDirLen = forge(large, 48, func(b []byte) { put64(b, dirLenOff, ^uint64(3)) })
		nilDirectory = forge(small, 48, func(b []byte) { put64(b, dirPtrOff, 0) })
		garbageGroups = forge(large, 48, func(b []byte) {
			// A copy of the directory whose first table is a copy with its
			// groups pointer (table offset 16) aimed at unmapped memory.
			dirLen := int(get64(b, dirLenOff))
			dir := make([]byte, 8*dirLen)
			copy(dir, unsafe.Slice((*byte)(unsafe.Pointer(uintptr(get64(b, dirPtrOff)))), len(dir)))
			table := make([]byte, 32)
			copy(table, unsafe.Slice((*byte)(unsafe.Pointer(uintptr(get64(dir, 0)))), 32))
			put64(table, layout.TableGroups, 0xdead0000)
			for i := 0; i < dirLen; i++ {
				if get64(dir, 8*i) == get64(dir, 0) {
					put64(dir, 8*i, uint64(uintptr(unsafe.Pointer(&table[0]))))
				}
			}
			forged = append(forged, dir, table)
			put64(b, dirPtrOff, uint64(uintptr(unsafe.Pointer(&dir[0]))))
		})
	} else {
		bOff, bucketsOff := int(layout.Offset("B")), int(layout.Offset("buckets"))
		absurdB = forge(small, 48, func(b []byte) { b[bOff] = 200 })
		nilBuckets = forge(small, 48, func(b []byte) { put64(b, bucketsOff, 0) })
		cycle = forge(tiny, 48, func(b []byte) {
			// One bucket (B=0) copied, its overflow pointer (the last word)
			// aimed at itself.
			const bucketSize = 8 + 8*8 + 8*8 + 8
			bucket := make([]byte, bucketSize)
			copy(bucket, unsafe.Slice((*byte)(unsafe.Pointer(uintptr(get64(b, bucketsOff)))), bucketSize))
			put64(bucket, bucketSize-8, uint64(uintptr(unsafe.Pointer(&bucket[0]))))
			forged = append(forged, bucket)
			put64(b, bucketsOff, uint64(uintptr(unsafe.Pointer(&bucket[0]))))
		})
	}
	t := truth.Open()
	t.Map("healthy", healthy)
	// The forged maps' entries are those of the maps they copy.
	if layout.Swiss() {
		t.Map("absurdDirLen", large)
		t.Map("negativeDirLen", large)
	} else {
		t.Map("absurdB", small)
	}
	t.Close()
	if os.Getenv("GOMAPDBG_MODE") == "crash" {
		panic("gomapdbg test crash")
	}
	stop()
}

// #break-at: main.stop
//
//go:noinline
func stop() { fmt.Println(len(forged), len(large)) }
