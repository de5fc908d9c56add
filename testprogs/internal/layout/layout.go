// Package layout tells test programs which map implementation the runtime
// they were built with uses, from facts of the Go releases (not from
// gomapdbg): swiss tables since Go 1.24, unless built with
// GOEXPERIMENT=noswissmap (possible in 1.24 and 1.25).
package layout

import (
	"reflect"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"unsafe"
)

// Swiss reports whether maps are swiss tables in this binary.
func Swiss() bool {
	minor, _ := strconv.Atoi(strings.Split(strings.TrimPrefix(runtime.Version(), "go1."), ".")[0])
	if minor < 24 {
		return false
	}
	info, _ := debug.ReadBuildInfo()
	for _, s := range info.Settings {
		if s.Key == "GOEXPERIMENT" && strings.Contains(s.Value, "noswissmap") {
			return false
		}
	}
	return true
}

// SameSizeGrow is the hmap.flags bit of a grow that keeps the bucket count
// (classic maps, go1.19–1.25; reference §1.4).
const SameSizeGrow = 8

// ClassicGrowth reads a classic map's hmap through unsafe: its flags byte
// (offset 8) and whether it has an old bucket array (oldbuckets, offset 24),
// i.e. is mid-growth. Offsets of go1.19–1.25 (reference §1.1); only for
// binaries where Swiss() is false.
func ClassicGrowth(m any) (flags uint8, growing bool) {
	h := reflect.ValueOf(m).UnsafePointer()
	flags = *(*uint8)(unsafe.Add(h, 8))
	growing = *(*unsafe.Pointer)(unsafe.Add(h, 24)) != nil
	return flags, growing
}
