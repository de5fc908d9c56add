package truth

import (
	"fmt"
	"reflect"
	"strings"
	"unsafe"

	"gomapdbg/testprogs/internal/layout"
)

// Header records a map's header as the program itself reads it with
// unsafe: "header NAME field=VALUE ...", every value in decimal.
func (t *Writer) Header(name string, m any) {
	h := reflect.ValueOf(m).UnsafePointer()
	if h == nil {
		return
	}
	var b strings.Builder
	for _, f := range layout.HeaderFields() {
		fmt.Fprintf(&b, " %s=%d", f.Name, word(h, f.Off, f.Bytes))
	}
	fmt.Fprintf(t.w, "header %s%s\n", name, b.String())
}

// Physical records where a map's entries physically are, read by the
// program with unsafe (a decoder independent of gomapdbg's): classic
// "classicbucket NAME INDEX ADDRESS TOPHASH" per bucket of each chain, in
// chain order; swiss "swissdir NAME LEN", "swisstable NAME ADDRESS INDEX
// LOCALDEPTH CAPACITY USED GROWTHLEFT GROUPS GROUPCOUNT" per distinct table,
// and "swissgroup NAME TABLE INDEX ADDRESS CTRL" per group (TABLE 0 for a small
// map). Not for a classic map that is growing (oldbuckets set).
func (t *Writer) Physical(name string, m any) {
	v := reflect.ValueOf(m)
	h := v.UnsafePointer()
	if h == nil {
		return
	}
	key, elem := slotType(v.Type().Key()), slotType(v.Type().Elem())
	if layout.Swiss() {
		t.swiss(name, h, key, elem)
	} else {
		t.classic(name, h, key, elem)
	}
}

// slotType is what a slot holds: K, or *K for keys over 128 bytes.
func slotType(k reflect.Type) reflect.Type {
	if k.Size() > layout.MaxIndirect {
		return reflect.PointerTo(k)
	}
	return k
}

func (t *Writer) classic(name string, h unsafe.Pointer, key, elem reflect.Type) {
	if word(h, layout.Offset("oldbuckets"), 8) != 0 {
		panic("truth.Physical: " + name + " is growing")
	}
	// The compiler's bucket type (reflectdata.MapBucketType), laid out by
	// the same rules as any struct.
	bucket := reflect.StructOf([]reflect.StructField{
		{Name: "Tophash", Type: reflect.TypeOf([8]uint8{})},
		{Name: "Keys", Type: reflect.ArrayOf(8, key)},
		{Name: "Elems", Type: reflect.ArrayOf(8, elem)},
		{Name: "Overflow", Type: reflect.TypeOf(unsafe.Pointer(nil))},
	})
	overflowOff := bucket.Field(3).Offset
	nb := uintptr(1) << word(h, layout.Offset("B"), 1)
	array := uintptr(word(h, layout.Offset("buckets"), 8))
	for i := uintptr(0); array != 0 && i < nb; i++ {
		for b := array + i*bucket.Size(); b != 0; b = uintptr(word(unsafe.Pointer(b), overflowOff, 8)) {
			fmt.Fprintf(t.w, "classicbucket %s %d %#x %x\n", name, i, b, *(*[8]byte)(unsafe.Pointer(b)))
		}
	}
}

func (t *Writer) swiss(name string, h unsafe.Pointer, key, elem reflect.Type) {
	group := swissGroup(key, elem).Size()
	dirPtr := uintptr(word(h, layout.Offset("dirPtr"), 8))
	dirLen := int(word(h, layout.Offset("dirLen"), 8))
	fmt.Fprintf(t.w, "swissdir %s %d\n", name, dirLen)
	if dirPtr == 0 {
		return
	}
	if dirLen == 0 {
		fmt.Fprintf(t.w, "swissgroup %s 0 0 %#x %x\n", name, dirPtr, *(*[8]byte)(unsafe.Pointer(dirPtr)))
		return
	}
	var last uintptr
	for i := 0; i < dirLen; i++ {
		tab := *(*uintptr)(unsafe.Pointer(dirPtr + uintptr(i)*8))
		if tab == last {
			continue
		}
		last = tab
		tp := unsafe.Pointer(tab)
		groups := uintptr(word(tp, layout.TableGroups, 8))
		count := word(tp, layout.TableLengthMask, 8) + 1
		fmt.Fprintf(t.w, "swisstable %s %#x %d %d %d %d %d %#x %d\n", name, tab,
			int64(word(tp, layout.TableIndex, 8)), word(tp, layout.TableLocalDepth, 1),
			word(tp, layout.TableCapacity, 2), word(tp, layout.TableUsed, 2),
			word(tp, layout.TableGrowthLeft, 2), groups, count)
		for g := uintptr(0); g < uintptr(count); g++ {
			at := groups + g*group
			fmt.Fprintf(t.w, "swissgroup %s %#x %d %#x %x\n", name, tab, g, at, *(*[8]byte)(unsafe.Pointer(at)))
		}
	}
}

// swissGroup is the compiler's group type (cmd/compile reflectdata
// MapGroupType): {ctrl uint64; slots [8]struct{key; elem}}, or with split
// groups {ctrl uint64; keys [8]K; elems [8]V}.
func swissGroup(key, elem reflect.Type) reflect.Type {
	ctrl := reflect.StructField{Name: "Ctrl", Type: reflect.TypeOf(uint64(0))}
	if layout.SplitGroups() {
		return reflect.StructOf([]reflect.StructField{ctrl,
			{Name: "Keys", Type: reflect.ArrayOf(8, key)},
			{Name: "Elems", Type: reflect.ArrayOf(8, elem)},
		})
	}
	slot := reflect.StructOf([]reflect.StructField{{Name: "Key", Type: key}, {Name: "Elem", Type: elem}})
	return reflect.StructOf([]reflect.StructField{ctrl, {Name: "Slots", Type: reflect.ArrayOf(8, slot)}})
}

// word reads an unsigned little-endian field of 1, 2, 4 or 8 bytes.
func word(base unsafe.Pointer, off, bytes uintptr) uint64 {
	p := unsafe.Add(base, off)
	switch bytes {
	case 1:
		return uint64(*(*uint8)(p))
	case 2:
		return uint64(*(*uint16)(p))
	case 4:
		return uint64(*(*uint32)(p))
	}
	return *(*uint64)(p)
}
