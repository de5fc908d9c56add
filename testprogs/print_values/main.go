// print_values holds globals and locals of every kind for `go print`,
// `go locals`, `--json` and GDB's pretty-printer, each checked against the
// rendering the program writes of itself (truth.Render: text and JSON).
//
// command: go print gBool
// check-value: gBool
// command: go print gInt
// check-value: gInt
// command: go print main.gInt8
// check-value: gInt8
// command: go print gUint64
// check-value: gUint64
// command: go print gBigInt
// check-value: gBigInt
// command: go print gFloat32
// check-value: gFloat32
// command: go print gFloat
// check-value: gFloat
// command: go print gNaN
// check-value: gNaN
// command: go print gComplex
// check-value: gComplex
// command: go print gString
// check-value: gString
// command: go print gInvalid
// check-value: gInvalid
// command: go print gLong
// check-value: gLong
// command: go print gPtr
// check-value: gPtr
// command: go print gNilPtr
// check-value: gNilPtr
// command: go print gSlice
// check-value: gSlice
// command: go print gNilSlice
// check-value: gNilSlice
// command: go print gLongSlice
// check-value: gLongSlice
// command: go print gArray
// check-value: gArray
// command: go print gOuter
// check-value: gOuter
// command: go print gMap
// check-value: gMap
// command: go print gNilMap
// check-value: gNilMap
// command: go print gNested
// check-value: gNested
// command: go print gBigMap
// check-value: gBigMap
// command: go print gAny
// check-value: gAny
// command: go print gAnyInt
// check-value: gAnyInt
// command: go print gNilAny
// check-value: gNilAny
// command: go print gShape
// check-value: gShape
// command: go print gErr
// check-value: gErr
// command: go print gFunc
// check-value: gFunc
// command: go print gChan
// check-value: gChan
// command: go print gCelsius
// check-value: gCelsius
// command: go print gIndex
// check-value: gIndex
// command: go print gUnsafe
// check-value: gUnsafe
// command: go print gOuter.Inner.M
// check-value: gOuter.Inner.M
// command: go print gOuter.Tags[1]
// check-value: gOuter.Tags[1]
// command: go print gNested["two"][0]
// check-value: gNested["two"][0]
// command: go print gNamedAny
// check-value: gNamedAny
// command: go print gNamedAnyPtr
// check-value: gNamedAnyPtr
// command: go print gNamedAnyNil
// check-value: gNamedAnyNil
// command: go print gLocal
// check-value: gLocal
// command: go print gLocal.(main.local)
// check-value: gLocal
// command: go print gLiteral
// check-value: gLiteral
// command: go print gLocalSlice
// check-value: gLocalSlice
// command: go print gInt16
// check-value: gInt16
// command: go print gUint32
// check-value: gUint32
// command: go print gSizes
// check-value: gSizes
//
// --deref N follows N pointer levels along each path (truth.RenderDeref).
// command: go print gPtr --deref 1
// check-deref: gPtr 1
// command: go print gList --deref 2
// check-deref: gList 2
// command: go print gList --deref 5
// check-deref: gList 5
// command: go print gPtrHolder --deref 1
// check-deref: gPtrHolder 1
// command: go print gPtrHolder --deref 2
// check-deref: gPtrHolder 2
// command: go print gPtr --deref 1 --json
// check-json-deref: gPtr 1
// command: go print gList --deref 2 --json
// check-json-deref: gList 2
// command: go print gList --deref 5 --json
// check-json-deref: gList 5
// command: go print gPtrHolder --deref 2 --json
// check-json-deref: gPtrHolder 2
//
// --max-elements, --max-string, --max-depth N (0 = all) replace the default
// caps (truth.RenderCaps records the value under ELEMENTS STRING DEPTH).
// command: go print gLong --max-string 0
// check-caps: gLong 64 0 8
// command: go print gLong --max-string 0 --json
// check-json-caps: gLong 64 0 8
// command: go print gLong --max-string 10
// check-caps: gLong 64 10 8
// command: go print gLongSlice --max-elements 0
// check-caps: gLongSlice 0 1024 8
// command: go print gLongSlice --max-elements 3 --json
// check-json-caps: gLongSlice 3 1024 8
// command: go print gBigMap --max-elements 0
// check-caps: gBigMap 0 1024 8
// command: go print gDeep
// check-value: gDeep
// command: go print gDeep --max-depth 0
// check-caps: gDeep 64 1024 0
// command: go print gDeep --max-depth 0 --json
// check-json-caps: gDeep 64 1024 0
// command: go print gDeep --max-depth 3
// check-caps: gDeep 64 1024 3
// command: go print gLong --max-string -1
// check-error: argument --max-string: '-1' is negative (0 or more)
//
// Promoted fields as Go selects them: the shallowest wins (gWrap2.F is
// gWrap2.Named.F, not gWrap2.Wrap1.Named.F), embedded pointers are
// followed, and a name held twice at the shallowest depth is ambiguous.
// command: go print gWrap2.F
// check-value: gWrap2.F
// command: go print gWrap2.Wrap1.F
// check-value: gWrap2.Wrap1.F
// command: go print gHolder.s
// check-value: gHolder.s
// command: go print gNilHolder.s
// check-error: gNilHolder.Str is a nil pointer
// command: go print gAmbiguous.F
// check-error: ambiguous selector [...]gAmbiguous.F: Named.F and Other.F
// A struct key with a quoted string, as typed (the quotes are the key's).
// command: go print gKeyMap[main.Key{s: "x y", n: 1}]
// check-value: gKeyMapXY
// A slice with a length but no array, and a pointer to unmapped memory
// followed, say they are unreadable (gBadSlice: len 3 cap 3 at address 0;
// gUnmapped: an *int at 12345), and so does a map header there, with why.
// command: go print gBadSlice
// check: main.gBadSlice (global) = len 3 cap 3 <unreadable 0x0>
// command: go print gBadSlice --json
// check: [...]"value": {"error": "unreadable slice 0x0 len 3 cap 3"}[...]
// command: go print gUnmapped --deref 1
// check: main.gUnmapped (global) = &<unreadable int 0x3039>
// command: go print gUnmappedMap
// check: main.gUnmappedMap (global) = (map[string]int)(0x3039 <unreadable: [...]>)
// command: go print gUnmapped --deref 1 --json
// check: [...]"value": {"address": "0x3039", "value": {"error": "unreadable int 0x3039"}}[...]
// command: go print {addr:gMap} --type map[string]int
// check-value: gMap
// command: go print nosuch
// check-error: no variable 'nosuch'
// command: go print gInt --deref -1
// check-error: argument --deref: '-1' is negative (0 or more)
//
// JSON of the same values, parsed and compared with the program's own.
// command: go print gInt --json
// check-json: gInt
// command: go print gBigInt --json
// check-json: gBigInt
// command: go print gUint64 --json
// check-json: gUint64
// command: go print gFloat32 --json
// check-json: gFloat32
// command: go print gNaN --json
// check-json: gNaN
// command: go print gInf --json
// check-json: gInf
// command: go print gComplex --json
// check-json: gComplex
// command: go print gString --json
// check-json: gString
// command: go print gInvalid --json
// check-json: gInvalid
// command: go print gLong --json
// check-json: gLong
// command: go print gPtr --json
// check-json: gPtr
// command: go print gNilPtr --json
// check-json: gNilPtr
// command: go print gSlice --json
// check-json: gSlice
// command: go print gNilSlice --json
// check-json: gNilSlice
// command: go print gLongSlice --json
// check-json: gLongSlice
// command: go print gBigArray --json
// check-json: gBigArray
// command: go print gOuter --json
// check-json: gOuter
// command: go print gMap --json
// check-json: gMap
// command: go print gNilMap --json
// check-json: gNilMap
// command: go print gNested --json
// check-json: gNested
// command: go print gAny --json
// check-json: gAny
// command: go print gNilAny --json
// check-json: gNilAny
// command: go print gShape --json
// check-json: gShape
// command: go print gErr --json
// check-json: gErr
// command: go print gFunc --json
// check-json: gFunc
// command: go print gChan --json
// check-json: gChan
// command: go print gCelsius --json
// check-json: gCelsius
// command: go print gIndex --json
// check-json: gIndex
// command: go print gUnsafe --json
// check-json: gUnsafe
// command: go print gEmptySlice --json
// check-json: gEmptySlice
// command: go print gArray --json
// check-json: gArray
// command: go print gNamedAny --json
// check-json: gNamedAny
// command: go print gNamedAnyPtr --json
// check-json: gNamedAnyPtr
// command: go print gNamedAnyNil --json
// check-json: gNamedAnyNil
// command: go print gLocal --json
// check-json: gLocal
// command: go print gLiteral --json
// check-json: gLiteral
// command: go print gLocalSlice --json
// check-json: gLocalSlice
// command: go print gInt16 --json
// check-json: gInt16
// command: go print gUint32 --json
// check-json: gUint32
// command: go print gSizes --json
// check-json: gSizes
// command: go map gMap --json --all
// check-json-map: gMap
// command: go map gIndex --json
// check-json-map: gIndex
// command: go map gNilMap --json
// check-json-map: gNilMap
// command: go map gBigMap --json --limit 3
// check: [...]"shown": 3, "complete": false, "warnings": []}
//
// The selected frame's arguments and locals (live: the core's crashing
// frame is the runtime's).
// live-command: go locals
// check-value: arg
// check-value: n
// check-value: local
// check-value: p
// live-command: go print a
// check-value: arg
// live-command: go map l --json --all
// check-json-map: local
// live-command: go locals --max-elements 0
// check-caps: big 0 1024 8
// live-command: go locals --json
// check-json: arg
// check-json: n
// check-json: local
// check-json: p
//
// GDB shows maps through the pretty-printer, wherever GDB prints a value.
// gdb-command: print 'main.gMap'
// check: $[...] = {value:gMap}
// gdb-command: print 'main.gIndex'
// check: $[...] = {value:gIndex}
// gdb-command: print 'main.gNilMap'
// check: $[...] = nil
// gdb-command: print 'main.gOuter'.Inner
// check: $[...]M = map[string]int{"k": 7}}
// gdb-live-command: info locals
// check: local = {value:local}
// A frame line shows a few entries of a map argument (GDB prints frame
// arguments in summary form), in fmt's order: 0, 1, 2 of gBigMap, not 0, 1, 10.
// gdb-live-command: bt
// check: #0 [...]main.inspect (arg=map[string]int{"a": 1, "b": 2, "c": 3, ...+2}, big=map[int]int{0: 0, 1: -1, 2: -2, ...+197}, n=5[...]
// gdb-live-command: info frame
// check: [...]args: arg=map[string]int{"a": 1, "b": 2, "c": 3, ...+2}, big=map[int]int{0: 0, 1: -1, 2: -2, ...+197}, n=5[...]
// gdb-live-command: bt full
// check: #0 [...]main.inspect (arg=map[string]int{"a": 1, "b": 2, "c": 3, ...+2}, big=[...]
// check: local = {value:local}
// gdb-command: info pretty-printer
// check: gomapdbg
// check: map
// gdb-command: set print elements 2
// gdb-command: print 'main.gMap'
// check: $[...] = map[string]int{"a": 1, "b": 2, ...+3}
// gdb-command: set print elements 64
// gdb-command: print 'main.gBigMap'
// check: $[...] = {value:gBigMap}
// gdb-command: set print elements 200
// gdb-command: disable pretty-printer global gomapdbg
// gdb-command: print 'main.gMap'
// check: $[...] = [...]{addr:gMap}
// gdb-command: enable pretty-printer global gomapdbg
// gdb-command: print 'main.gMap'
// check: $[...] = {value:gMap}
package main

import (
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"runtime"
	"strings"
	"unsafe"

	"gomapdbg/testprogs/internal/truth"
)

type Point struct{ X, Y int }

type Celsius float64

// Any is a named empty interface: an eface by shape, not by name.
type Any interface{}

// Sizes holds the integer sizes no other value has.
type Sizes struct {
	Small int16
	Big   uint32
	List  []int16
}

// PtrHolder is a pointer to a struct holding pointers, for --deref.
type PtrHolder struct {
	Name  string
	Point *Point
	List  *Node
	Any   any
}

type Index map[string]int

// Named is embedded at two depths of Wrap2, and beside Other in Ambiguous.
type Named struct{ F string }
type Other struct{ F string }
type Wrap1 struct{ Named }
type Wrap2 struct {
	Wrap1
	Named
}
type Ambiguous struct {
	Named
	Other
}

// Holder's s is promoted through an embedded pointer.
type Str struct{ s string }
type Holder struct {
	*Str
	n int
}

// Key is a map key holding a string.
type Key struct {
	s string
	n int
}

type Shape interface{ Area() float64 }

type Rect struct{ Min, Max Point }

func (r Rect) Area() float64 { return float64((r.Max.X - r.Min.X) * (r.Max.Y - r.Min.Y)) }

type Inner struct {
	Name string
	M    map[string]int
}

type Node struct {
	Value int
	Next  *Node
}

type Outer struct {
	Inner
	_     int32
	ID    uint64
	_     int16
	Ptr   *Point
	Tags  []string
	Any   any
	Arr   [3]int8
	Fn    func(string) string
	Ch    chan string
	Score float32
}

var (
	gBool      = true
	gInt       = -42
	gInt8      int8
	gUint64    uint64
	gBigInt    int64
	gFloat32   float32
	gFloat     float64
	gNaN       float64
	gInf       float64
	gComplex   complex128
	gString    string
	gInvalid   string
	gLong      string
	gPtr       *Point
	gNilPtr    *Point
	gUnsafe    unsafe.Pointer
	gSlice     []int
	gNilSlice  []string
	gLongSlice []int
	gArray     [3]string
	gBigArray  [100]uint8
	gOuter     Outer
	gMap       map[string]int
	gNilMap    map[int]int
	gBigMap    map[int]int
	gNested    map[string][]map[int]string
	gDeep      [][][][][][][][][][][]int
	gAny       any
	gAnyInt    any
	gNilAny    any
	gShape     Shape
	gErr       error
	gFunc      func(string) string
	gChan      chan string
	gCelsius   Celsius
	gIndex     Index
	gList      *Node

	gEmptySlice  []int
	gNamedAny    Any
	gNamedAnyPtr Any
	gNamedAnyNil Any
	gLocal       any
	gLiteral     any
	gLocalSlice  any
	gInt16       int16
	gUint32      uint32
	gSizes       Sizes
	gPtrHolder   *PtrHolder

	gWrap2     Wrap2
	gAmbiguous Ambiguous
	gHolder    Holder
	gNilHolder Holder
	gKeyMap    map[Key]int
	gBadSlice  []int
	gUnmapped  *int

	gUnmappedMap map[string]int
)

// fillDamaged sets values a debugger cannot read through: a slice of
// length 3 whose array pointer is nil, and a pointer and a map header
// pointer to unmapped memory.
func fillDamaged() {
	gBadSlice = []int{1, 2, 3}
	(*reflect.SliceHeader)(unsafe.Pointer(&gBadSlice)).Data = 0
	gUnmapped = (*int)(unsafe.Pointer(uintptr(12345)))
	*(*uintptr)(unsafe.Pointer(&gUnmappedMap)) = 12345
}

// fillDescriptorOnly sets interfaces to values whose types are declared in
// here or written as literals and only converted to an interface: the
// linker emits no DWARF type entry for them, only runtime type descriptors.
func fillDescriptorOnly() {
	type local struct {
		N     int16
		U     uint32
		Words []string
		Ptr   *Point
	}
	gLocal = local{N: math.MinInt16, U: math.MaxUint32, Words: []string{"x", "y"}, Ptr: gPtr}
	gLiteral = struct {
		Lat, Lng float64
		Tags     [2]string
	}{51.5, -0.12, [2]string{"a", "b"}}
	gLocalSlice = []struct{ K uint32 }{{1}, {math.MaxUint32}}
}

func fill() {
	gInt8 = -128
	gUint64 = math.MaxUint64
	gBigInt = 1<<53 + 1
	gFloat32 = 0.1
	gFloat = 1e21
	gNaN = math.NaN()
	gInf = math.Inf(-1)
	gComplex = complex(1.5, -2)
	gString = "héllo \"world\"\n\t\x00 <&> \u2028"
	gInvalid = "bad \xff\xfe utf8 \xed\xa0\x80 end \xe4\xb8"
	gLong = strings.Repeat("ab", 600) + "€"
	gPtr = &Point{1, 2}
	gUnsafe = unsafe.Pointer(gPtr)
	gSlice = make([]int, 3, 8)
	gSlice[0], gSlice[1], gSlice[2] = 1, -2, 3
	gLongSlice = make([]int, 100)
	for i := range gLongSlice {
		gLongSlice[i] = i * i
	}
	gArray = [3]string{"a", "b", "c"}
	for i := range gBigArray {
		gBigArray[i] = uint8(i)
	}
	gMap = map[string]int{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}
	gBigMap = map[int]int{}
	for i := 0; i < 200; i++ {
		gBigMap[i] = -i
	}
	gNested = map[string][]map[int]string{"one": {{1: "x"}}, "two": {nil, {2: "y", 3: "z"}}, "none": nil}
	gDeep = [][][][][][][][][][][]int{{{{{{{{{{{1, 2}}}}}}}}}}}
	gOuter = Outer{Inner: Inner{Name: "in", M: map[string]int{"k": 7}}, ID: 1 << 60, Ptr: gPtr,
		Tags: []string{"t1", "t2"}, Any: Point{5, 6}, Arr: [3]int8{-1, 0, 1}, Fn: strings.ToUpper,
		Ch: make(chan string, 2), Score: 2.5}
	gAny = Point{3, 4}
	gAnyInt = 7
	gShape = Rect{Point{0, 0}, Point{2, 3}}
	gErr = errors.New("boom")
	gFunc = strings.ToLower
	gChan = make(chan string, 3)
	gChan <- "queued"
	gCelsius = 36.6
	gIndex = Index{"x": 1, "y": 2}
	gList = &Node{1, &Node{2, &Node{3, nil}}}
	gEmptySlice = []int{}
	gNamedAny = Point{7, 8}
	gNamedAnyPtr = gPtr
	gInt16 = math.MinInt16
	gUint32 = math.MaxUint32
	gSizes = Sizes{Small: math.MaxInt16, Big: math.MaxUint32, List: []int16{math.MinInt16, 0, math.MaxInt16}}
	gPtrHolder = &PtrHolder{Name: "h", Point: gPtr, List: gList, Any: gPtr}
	gWrap2 = Wrap2{Wrap1{Named{"deep"}}, Named{"shallow"}}
	gAmbiguous = Ambiguous{Named{"named"}, Other{"other"}}
	gHolder = Holder{&Str{"through a pointer"}, 1}
	gNilHolder = Holder{n: 2}
	gKeyMap = map[Key]int{{"x y", 1}: 10, {"z", 2}: 20}
	fillDamaged()
	fillDescriptorOnly()
}

func record(t *truth.Writer) {
	for name, p := range map[string]any{
		"gBool": &gBool, "gInt": &gInt, "gInt8": &gInt8, "gUint64": &gUint64, "gBigInt": &gBigInt,
		"gFloat32": &gFloat32, "gFloat": &gFloat, "gNaN": &gNaN, "gInf": &gInf, "gComplex": &gComplex,
		"gString": &gString, "gInvalid": &gInvalid, "gLong": &gLong, "gPtr": &gPtr, "gNilPtr": &gNilPtr,
		"gUnsafe": &gUnsafe, "gSlice": &gSlice, "gNilSlice": &gNilSlice, "gLongSlice": &gLongSlice,
		"gArray": &gArray, "gBigArray": &gBigArray, "gOuter": &gOuter, "gMap": &gMap, "gNilMap": &gNilMap,
		"gBigMap": &gBigMap,
		"gNested": &gNested, "gAny": &gAny, "gAnyInt": &gAnyInt, "gNilAny": &gNilAny, "gShape": &gShape,
		"gErr": &gErr, "gFunc": &gFunc, "gChan": &gChan, "gCelsius": &gCelsius, "gIndex": &gIndex,
		"gOuter.Inner.M": &gOuter.Inner.M, "gOuter.Tags[1]": &gOuter.Tags[1],
		"gEmptySlice": &gEmptySlice, "gNamedAny": &gNamedAny, "gNamedAnyPtr": &gNamedAnyPtr,
		"gNamedAnyNil": &gNamedAnyNil, "gLocal": &gLocal, "gLiteral": &gLiteral,
		"gLocalSlice": &gLocalSlice, "gInt16": &gInt16, "gUint32": &gUint32, "gSizes": &gSizes,
		`gNested["two"][0]`: &gNested["two"][0], "gDeep": &gDeep,
		"gWrap2.F": &gWrap2.F, "gWrap2.Wrap1.F": &gWrap2.Wrap1.F, "gHolder.s": &gHolder.s,
	} {
		t.Render(name, p)
	}
	for _, c := range []struct {
		name string
		ptr  any
		caps truth.Caps
	}{{"gLong", &gLong, truth.Caps{64, 0, 8}}, {"gLong", &gLong, truth.Caps{64, 10, 8}},
		{"gLongSlice", &gLongSlice, truth.Caps{0, 1024, 8}}, {"gLongSlice", &gLongSlice, truth.Caps{3, 1024, 8}},
		{"gBigMap", &gBigMap, truth.Caps{0, 1024, 8}}, {"gDeep", &gDeep, truth.Caps{64, 1024, 0}},
		{"gDeep", &gDeep, truth.Caps{64, 1024, 3}}} {
		t.RenderCaps(c.name, c.ptr, c.caps)
	}
	for _, d := range []struct {
		name   string
		ptr    any
		levels int
	}{{"gPtr", &gPtr, 1}, {"gList", &gList, 2}, {"gList", &gList, 5}, {"gPtrHolder", &gPtrHolder, 1},
		{"gPtrHolder", &gPtrHolder, 2}} {
		t.RenderDeref(d.name, d.ptr, d.levels)
	}
	xy := gKeyMap[Key{"x y", 1}]
	t.Render("gKeyMapXY", &xy)
	for name, m := range map[string]any{"gMap": gMap, "gIndex": gIndex, "gNilMap": gNilMap} {
		t.Map(name, m)
		t.MapJSON(name, m)
	}
}

// stopHere is where the debugger stops: a call, so that the break line has
// code of its own (LLDB breaks at the first address of a line, and the
// compiler may give a runtime.KeepAlive line an earlier load it hoisted).
//
//go:noinline
func stopHere() {}

//go:noinline
func inspect(arg map[string]int, big map[int]int, n int) int {
	local := map[int64]string{7: "seven", -1: "minus one"}
	point := Point{n, -n}
	t := truth.Open()
	record(t)
	// Copies: taking the address of arg, n, local or point would move them to
	// the heap (the copies are, and show up as "&a", "&p", ... in DWARF).
	a, nn, l, p, b := arg, n, local, point, big
	t.RenderCaps("big", &b, truth.Caps{Elements: 0, String: 1024, Depth: 8})
	t.Render("arg", &a)
	t.Render("n", &nn)
	t.Render("local", &l)
	t.Render("p", &p)
	t.Map("local", local)
	t.MapJSON("local", local)
	t.Close()
	if os.Getenv("GOMAPDBG_MODE") == "crash" {
		panic("gomapdbg test crash")
	}
	stopHere() // #break
	runtime.KeepAlive(arg)
	runtime.KeepAlive(local)
	runtime.KeepAlive(big)
	return n + len(local) + point.X
}

func main() {
	fill()
	fmt.Println(inspect(gMap, gBigMap, 5))
}
