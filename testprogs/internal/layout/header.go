package layout

import (
	"runtime"
	"strconv"
	"strings"
)

// Minor is the Go release's minor version (19 for go1.19.8).
func Minor() int {
	minor, _ := strconv.Atoi(strings.Split(strings.TrimPrefix(runtime.Version(), "go1."), ".")[0])
	return minor
}

// Field is a map header field: its name as the runtime spells it, its
// offset and its size in bytes (64-bit targets).
type Field struct {
	Name       string
	Off, Bytes uintptr
}

// Offsets below are from shared/reference/go-runtime-layouts.md, written
// once with the releases they hold for.

// classicHeader: runtime.hmap, go1.19-go1.23 (and 1.24/1.25 noswissmap,
// which insert clearSeq at 40 and move extra to 48).
var classicHeader = []Field{
	{"count", 0, 8}, {"flags", 8, 1}, {"B", 9, 1}, {"noverflow", 10, 2}, {"hash0", 12, 4},
	{"buckets", 16, 8}, {"oldbuckets", 24, 8}, {"nevacuate", 32, 8},
}

// swissHeader: internal/runtime/maps.Map, go1.24-go1.26; tombstonePossible
// (35) exists since go1.25 (padding in go1.24).
var swissHeader = []Field{
	{"used", 0, 8}, {"seed", 8, 8}, {"dirPtr", 16, 8}, {"dirLen", 24, 8},
	{"globalDepth", 32, 1}, {"globalShift", 33, 1}, {"writing", 34, 1},
}

// HeaderFields lists the header fields of this binary's maps, in memory order.
func HeaderFields() []Field {
	if Swiss() {
		f := append([]Field{}, swissHeader...)
		if Minor() >= 25 {
			f = append(f, Field{"tombstonePossible", 35, 1})
		}
		return append(f, Field{"clearSeq", 40, 8})
	}
	f := append([]Field{}, classicHeader...)
	if Minor() >= 24 {
		return append(f, Field{"clearSeq", 40, 8}, Field{"extra", 48, 8})
	}
	return append(f, Field{"extra", 40, 8})
}

// Offset returns the offset of the named header field.
func Offset(name string) uintptr {
	for _, f := range HeaderFields() {
		if f.Name == name {
			return f.Off
		}
	}
	panic("no map header field " + name)
}

// Classic maps' bucket facts (go1.19-1.25): 8 slots, tophash values.
const (
	SlotsPerBucket = 8
	EmptyOne       = 1 // a deleted slot (tombstone)
	MinTopHash     = 5 // smallest tophash of a live slot
)

// Swiss table (internal/runtime/maps.table, go1.24-go1.26) field offsets
// and control bytes.
const (
	TableUsed       = 0  // uint16
	TableCapacity   = 2  // uint16
	TableGrowthLeft = 4  // uint16
	TableLocalDepth = 6  // uint8
	TableIndex      = 8  // int
	TableGroups     = 16 // groups.data
	TableLengthMask = 24 // groups.lengthMask
	CtrlEmpty       = 0x80
	CtrlDeleted     = 0xFE
)

// MaxIndirect: keys and values over 128 bytes are stored as pointers in
// slots (classic maxKeySize/maxElemSize, swiss MapMaxKeyBytes), go1.19-1.26.
const MaxIndirect = 128
