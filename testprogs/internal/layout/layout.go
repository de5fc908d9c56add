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
	return minor >= 24 && !experiment("noswissmap")
}

// SplitGroups reports whether swiss groups keep their 8 keys and then their
// 8 elems in two arrays (GOEXPERIMENT=mapsplitgroup, new in Go 1.27) rather
// than 8 interleaved key/elem slots.
func SplitGroups() bool {
	return Swiss() && experiment("mapsplitgroup")
}

// experiment reports whether the binary was built with GOEXPERIMENT=name.
func experiment(name string) bool {
	info, _ := debug.ReadBuildInfo()
	for _, s := range info.Settings {
		if s.Key == "GOEXPERIMENT" && contains(strings.Split(s.Value, ","), name) {
			return true
		}
	}
	return false
}

func contains(list []string, item string) bool {
	for _, s := range list {
		if s == item {
			return true
		}
	}
	return false
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
