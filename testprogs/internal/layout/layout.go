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
// and whether it has an old bucket array (oldbuckets set), i.e. is
// mid-growth. Only for binaries where Swiss() is false.
func ClassicGrowth(m any) (flags uint8, growing bool) {
	h := reflect.ValueOf(m).UnsafePointer()
	flags = *(*uint8)(unsafe.Add(h, Offset("flags")))
	growing = *(*unsafe.Pointer)(unsafe.Add(h, Offset("oldbuckets"))) != nil
	return flags, growing
}

// FinishGrowth completes a classic map's incremental growth, so that its
// physical layout is a settled one: each write to a growing map evacuates
// at least one more old bucket (runtime growWork), so writing entries back
// with their own values ends it. A no-op for swiss maps and settled ones.
func FinishGrowth(m any) {
	if Swiss() {
		return
	}
	v := reflect.ValueOf(m)
	if _, growing := ClassicGrowth(m); !growing || v.Len() == 0 {
		return
	}
	keys := v.MapKeys()
	for i := 0; ; i++ {
		if _, growing := ClassicGrowth(m); !growing {
			return
		}
		if i > 4*len(keys)+1024 {
			panic("layout.FinishGrowth: the map is still growing")
		}
		k := keys[i%len(keys)]
		v.SetMapIndex(k, v.MapIndex(k))
	}
}
