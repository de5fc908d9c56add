// Package layout tells test programs which map implementation the runtime
// they were built with uses, from facts of the Go releases (not from
// gomapdbg): swiss tables since Go 1.24, unless built with
// GOEXPERIMENT=noswissmap (possible in 1.24 and 1.25).
package layout

import (
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
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
