// map_kinds holds maps of every kind of key and value gomapdbg renders, plus
// maps after heavy deletion, each checked entry by entry against the truth
// the program writes (testprogs/internal/truth renders values the way
// gomapdbg does).
//
// command: go map mBool --all
// check-map: mBool
// command: go map mInt8 --all
// check-map: mInt8
// command: go map mInts --all
// check-map: mInts
// command: go map mUint --all
// check-map: mUint
// command: go map mUintptr --all
// check-map: mUintptr
// command: go map mFloat --all
// check-map: mFloat
// command: go map mComplex --all
// check-map: mComplex
// command: go map mPoint --all
// check-map: mPoint
// command: go map mAny --all
// check-map: mAny
// command: go map mNamedAny --all
// check-map: mNamedAny
// command: go map mSizes --all
// check-map: mSizes
// command: go map mBig --all
// check-map: mBig
// command: go map mSet --all
// check-map: mSet
// command: go map mNested --all
// check-map: mNested
// command: go map mSlices --all
// check-map: mSlices
// command: go map mChans --all
// check-map: mChans
// command: go map mFuncs --all
// check-map: mFuncs
// command: go map mUnsafe --all
// check-map: mUnsafe
// command: go map mStringer --all
// check-map: mStringer
// command: go map mNamed --all
// check-map: mNamed
// command: go map mEmbedded --all
// check-map: mEmbedded
// command: go map mPtrKey --all
// check-map: mPtrKey
// command: go map mLongStrings --all
// check-map: mLongStrings
// command: go map mDeleted --all
// check-map: mDeleted
// command: go map mDeletedStr --all
// check-map: mDeletedStr
// command: go map mEmptied --all
// check-map: mEmptied
//
// Deletions leave tombstones (classic emptyOne, swiss deleted): header and
// physical view against the program's own reading of the map.
// command: go map mDeleted --buckets --all
// check-header: mDeleted
// check-layout: mDeleted
// command: go map mDeletedStr --buckets --all --json
// check-header: mDeletedStr
// check-layout: mDeletedStr
// command: go map mEmptied --buckets --all
// check-header: mEmptied
// check-layout: mEmptied
// command: go map mBig --buckets --all --json
// check-layout: mBig
// command: go map mDeleted --key 3 --json
// check-key-json: mDeleted 3
// command: go map mDeleted --key 4 --json
// check-key-json: mDeleted 4
// command: go map mDeletedStr --key key3 --json
// check-key-json: mDeletedStr "key3"
//
// Maps reached through fields, pointers, embedded structs, slices, other
// maps and interfaces.
// command: go map holder.Inner --all
// check-map: holder.Inner
// command: go map holder.Next.Inner --all
// check-map: holder.Next.Inner
// command: go map main.holder.Points --all
// check-map: holder.Points
// command: go map (*holder).Next.Tables.Points --all
// check-map: holder.Next.Points
// command: go map mapSlice[2] --all
// check-map: mapSlice[2]
// command: go map mNested["n3"] --all
// check-map: mNested["n3"]
// command: go map mNested[n2] --all
// check-map: mNested["n2"]
// command: go map boxed --all
// check-map: boxed
// command: go map boxedHolder.Inner --all
// check-map: boxedHolder.Inner
// command: go map mAny["map"].(map[string]int) --all
// check-map: mAny["map"]
// command: go map holders[1].Inner --all
// check-map: holders[1].Inner
// command: go map holder.Nope
// check-error: main.Holder has no field Nope
// command: go map mapSlice[99]
// check-error: main.mapSlice[99]: index out of range (len 3)
// command: go map mNested["absent"]
// check-error: main.mNested["absent"]: no such key in main.mNested
// command: go map mAny["int"]
// check-error: main.mAny["int"] is an int, not a map
// command: go map mAny["map"].(map[int]int)
// check-error: holds a map[string]int, not a map[int]int
//
// The same maps as JSON (go map --json), entry by entry against the
// program's own JSON rendering (truth.MapJSON).
// command: go map mBool --json --all
// check-json-map: mBool
// command: go map mInt8 --json --all
// check-json-map: mInt8
// command: go map mInts --json --all
// check-json-map: mInts
// command: go map mUint --json --all
// check-json-map: mUint
// command: go map mUintptr --json --all
// check-json-map: mUintptr
// command: go map mFloat --json --all
// check-json-map: mFloat
// command: go map mComplex --json --all
// check-json-map: mComplex
// command: go map mPoint --json --all
// check-json-map: mPoint
// command: go map mAny --json --all
// check-json-map: mAny
// command: go map mNamedAny --json --all
// check-json-map: mNamedAny
// command: go map mSizes --json --all
// check-json-map: mSizes
// command: go map mBig --json --all
// check-json-map: mBig
// command: go map mSet --json --all
// check-json-map: mSet
// command: go map mNested --json --all
// check-json-map: mNested
// command: go map mSlices --json --all
// check-json-map: mSlices
// command: go map mChans --json --all
// check-json-map: mChans
// command: go map mFuncs --json --all
// check-json-map: mFuncs
// command: go map mUnsafe --json --all
// check-json-map: mUnsafe
// command: go map mStringer --json --all
// check-json-map: mStringer
// command: go map mNamed --json --all
// check-json-map: mNamed
// command: go map mEmbedded --json --all
// check-json-map: mEmbedded
// command: go map mPtrKey --json --all
// check-json-map: mPtrKey
// command: go map mLongStrings --json --all
// check-json-map: mLongStrings
//
// Caps a user sets: every byte of every key and value (truth.MapCaps).
// command: go map mLongStrings --all --max-string 0
// check-map: mLongStrings@caps=64,0,8
// command: go map mBig --all --json --max-elements 0 --max-string 0
// check-json-map: mBig@caps=0,0,8
// command: go map mBig --all --max-elements 0
// check-map: mBig@caps=0,1024,8
// command: go map mDeletedStr --json --all
// check-json-map: mDeletedStr
package main

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"unsafe"

	"gomapdbg/testprogs/internal/layout"
	"gomapdbg/testprogs/internal/truth"
)

type Point struct{ X, Y int }

type Record struct {
	Name   string
	Tags   []string
	Scores [3]float64
	Next   *Record
	Note   any
}

type Celsius float64

// Any is a named empty interface: an eface by shape, not by name.
type Any interface{}

func (c Celsius) String() string { return fmt.Sprintf("%.1f°C", float64(c)) }

type Index map[string]int

type Tables struct {
	Points map[string]Point
}

type Holder struct {
	Name  string
	Inner map[string]int
	Next  *Holder
	Tables
}

type Embedded struct {
	Point
	_     int32
	Label string
}

var (
	mBool        map[bool]string
	mInt8        map[int8]uint16
	mInts        map[int32]int64
	mUint        map[uint]uint8
	mUintptr     map[uintptr]float32
	mFloat       map[float64]complex128
	mComplex     map[complex64]bool
	mPoint       map[Point]Record
	mAny         map[string]any
	mNamedAny    map[string]Any
	mSizes       map[int16]uint32
	mBig         map[[200]byte][300]byte
	mSet         map[int]struct{}
	mNested      map[string]map[int]string
	mSlices      map[int][]string
	mChans       map[string]chan int
	mFuncs       map[string]func() int
	mUnsafe      map[int]unsafe.Pointer
	mStringer    map[string]fmt.Stringer
	mNamed       Index
	mEmbedded    map[int]Embedded
	mPtrKey      map[*Point]int
	mLongStrings map[string]string
	mDeleted     map[int]int
	mDeletedStr  map[string]string
	mEmptied     map[int64]int64

	holder      *Holder
	holders     []Holder
	mapSlice    []map[int]string
	boxed       any
	boxedHolder any
)

// descriptorOnly returns values whose types are declared here or written as
// literals and only ever converted to an interface: the linker emits no DWARF
// type entry for them (checked with readelf for go1.19 and go1.26).
func descriptorOnly() map[string]any {
	type local struct {
		N     int16
		U     uint32
		Words []string
		Inner struct{ F float32 }
	}
	type localInt int8
	type embedder struct {
		local
		Flag bool
	}
	return map[string]any{
		"literal":  struct{ Lat, Lng float64 }{51.5, -0.12},
		"local":    local{N: -7, U: 70000, Words: []string{"w"}, Inner: struct{ F float32 }{0.5}},
		"localInt": localInt(-3),
		"embedder": embedder{local: local{N: 1}, Flag: true},
		"ptr":      &struct{ P uint16 }{65535},
		"array":    [2]struct{ B bool }{{true}, {false}},
		"slice":    []struct{ S string }{{"a"}, {"b"}},
		"anyField": struct{ V any }{V: struct{ W int32 }{-5}},
	}
}

func one() int { return 1 }
func two() int { return 2 }

// keep holds values that map entries point to, so they stay alive.
var keep []any

func fill() {
	mBool = map[bool]string{true: "yes", false: "no"}
	mInt8 = map[int8]uint16{}
	for i := -128; i < 128; i += 5 {
		mInt8[int8(i)] = uint16(i * 300)
	}
	mInts = map[int32]int64{math.MinInt32: math.MinInt64, math.MaxInt32: math.MaxInt64, 0: -1}
	mUint = map[uint]uint8{0: 0, math.MaxUint: 255, 1 << 40: 7}
	mUintptr = map[uintptr]float32{0x1000: 0.1, 0: float32(math.Inf(1)), 42: -3.25}
	mFloat = map[float64]complex128{0: complex(1, -2), 1e21: complex(0.5, 1e-7), -1e-5: 0,
		math.Inf(-1): complex(math.NaN(), 3), math.NaN(): 1i, 123456789: complex(1e6, -1e6)}
	mComplex = map[complex64]bool{complex(1, 2): true, complex(-0.5, 0): false}

	mPoint = map[Point]Record{}
	var prev *Record
	for i := 0; i < 20; i++ {
		r := &Record{Name: fmt.Sprintf("rec%d", i), Scores: [3]float64{float64(i), 0.5, -1}, Next: prev}
		if i%3 != 0 {
			r.Tags = []string{"t" + fmt.Sprint(i), "x"}
		}
		if i%4 == 0 {
			r.Note = i
		}
		mPoint[Point{i, -i}] = *r
		prev = r
	}

	p := &Point{1, 2}
	keep = append(keep, p)
	mAny = map[string]any{
		"int": 42, "string": "hello", "point": Point{3, 4}, "pointer": p, "nilptr": (*Point)(nil),
		"slice": []int{1, 2, 3}, "map": map[string]int{"b": 2, "a": 1}, "nil": nil,
		"celsius": Celsius(36.6), "float": 2.5, "bool": true, "error": errors.New("boom"),
		"array": [2]string{"x", "y"}, "struct": struct{ A int }{7}, "byte": byte(9),
	}
	// Dynamic types with no DWARF type entry: only their runtime type
	// descriptors describe them.
	for k, v := range descriptorOnly() {
		mAny[k] = v
	}
	mNamedAny = map[string]Any{"int": 42, "string": "named", "point": Point{5, 6}, "pointer": p,
		"nil": nil, "slice": []int16{-1, 1}, "celsius": Celsius(-40), "any": Any(nil)}
	for k, v := range descriptorOnly() {
		mNamedAny["local "+k] = v
	}
	mSizes = map[int16]uint32{math.MinInt16: math.MaxUint32, math.MaxInt16: 0, 0: 1 << 31, -1: 1}

	mBig = map[[200]byte][300]byte{}
	for i := 0; i < 12; i++ {
		var k [200]byte
		var v [300]byte
		for j := range k {
			k[j] = byte(i + j)
		}
		for j := range v {
			v[j] = byte(i * j)
		}
		mBig[k] = v
	}

	mSet = map[int]struct{}{}
	for i := 0; i < 100; i++ {
		mSet[i*i] = struct{}{}
	}

	mNested = map[string]map[int]string{"empty": {}, "nil": nil}
	for i := 0; i < 5; i++ {
		inner := map[int]string{}
		for j := 0; j < i*30; j++ {
			inner[j] = fmt.Sprint("v", j)
		}
		mNested[fmt.Sprint("n", i)] = inner
	}

	mSlices = map[int][]string{0: nil, 1: {}, 2: make([]string, 2, 10), 3: strings.Split("a,b,c", ",")}
	long := make([]string, 100)
	for i := range long {
		long[i] = fmt.Sprint(i)
	}
	mSlices[4] = long

	buffered := make(chan int, 4)
	buffered <- 1
	mChans = map[string]chan int{"nil": nil, "unbuffered": make(chan int), "buffered": buffered}
	mFuncs = map[string]func() int{"one": one, "two": two, "nil": nil,
		"closure": func() int { return len(long) }}
	mUnsafe = map[int]unsafe.Pointer{0: nil, 1: unsafe.Pointer(p)}
	mStringer = map[string]fmt.Stringer{"hot": Celsius(100), "nil": nil}
	mNamed = Index{"a": 1, "b": 2, "c": 3}
	mEmbedded = map[int]Embedded{1: {Point: Point{1, 1}, Label: "one"}, 2: {Label: "two"}}
	mPtrKey = map[*Point]int{p: 1, {5, 6}: 2}
	for k := range mPtrKey {
		keep = append(keep, k)
	}
	mLongStrings = map[string]string{"long": strings.Repeat("é", 700), strings.Repeat("k", 2000): "x"}

	mDeleted = map[int]int{}
	mDeletedStr = map[string]string{}
	for i := 0; i < 20000; i++ {
		mDeleted[i] = i * 3
		mDeletedStr[fmt.Sprint("key", i)] = fmt.Sprint("value", i)
	}
	for i := 0; i < 20000; i++ {
		if i%3 != 0 {
			delete(mDeleted, i)
			delete(mDeletedStr, fmt.Sprint("key", i))
		}
	}
	mEmptied = map[int64]int64{}
	for i := int64(0); i < 5000; i++ {
		mEmptied[i] = i
	}
	for i := int64(0); i < 5000; i++ {
		delete(mEmptied, i)
	}
}

func fillPaths() {
	holder = &Holder{Name: "top", Inner: map[string]int{"x": 1, "y": 2},
		Next:   &Holder{Name: "next", Inner: map[string]int{"z": 26}, Tables: Tables{map[string]Point{"o": {}}}},
		Tables: Tables{map[string]Point{"p": {1, 2}, "q": {3, 4}}}}
	holders = []Holder{{Name: "h0"}, {Name: "h1", Inner: map[string]int{"one": 1}}}
	mapSlice = []map[int]string{nil, {1: "a"}, {2: "b", 3: "c"}}
	boxed = map[string]int{"boxed": 1}
	boxedHolder = Holder{Name: "boxed", Inner: map[string]int{"in": 9}}
}

func main() {
	fill()
	fillPaths()
	// Classic growth still in progress ends, for a settled header and layout.
	for _, m := range []any{mDeleted, mDeletedStr, mEmptied, mBig} {
		layout.FinishGrowth(m)
	}
	t := truth.Open()
	for name, m := range map[string]any{
		"holder.Inner": holder.Inner, "holder.Next.Inner": holder.Next.Inner,
		"holder.Points": holder.Points, "holder.Next.Points": holder.Next.Points,
		"mapSlice[2]": mapSlice[2], `mNested["n3"]`: mNested["n3"], `mNested["n2"]`: mNested["n2"],
		"boxed": boxed, "boxedHolder.Inner": boxedHolder.(Holder).Inner, `mAny["map"]`: mAny["map"],
		"holders[1].Inner": holders[1].Inner,
	} {
		t.Map(name, m)
	}
	for name, m := range map[string]any{
		"mBool": mBool, "mInt8": mInt8, "mInts": mInts, "mUint": mUint, "mUintptr": mUintptr,
		"mFloat": mFloat, "mComplex": mComplex, "mPoint": mPoint, "mAny": mAny, "mBig": mBig,
		"mNamedAny": mNamedAny, "mSizes": mSizes,
		"mSet": mSet, "mNested": mNested, "mSlices": mSlices, "mChans": mChans, "mFuncs": mFuncs,
		"mUnsafe": mUnsafe, "mStringer": mStringer, "mNamed": mNamed, "mEmbedded": mEmbedded,
		"mPtrKey": mPtrKey, "mLongStrings": mLongStrings, "mDeleted": mDeleted,
		"mDeletedStr": mDeletedStr, "mEmptied": mEmptied,
	} {
		t.Map(name, m)
		t.MapJSON(name, m)
	}
	t.MapCaps("mLongStrings", mLongStrings, truth.Caps{Elements: 64, String: 0, Depth: 8})
	t.MapCaps("mBig", mBig, truth.Caps{Elements: 0, String: 0, Depth: 8})
	t.MapCaps("mBig", mBig, truth.Caps{Elements: 0, String: 1024, Depth: 8})
	// Deletions leave tombstones: header and physical layout for --buckets.
	for name, m := range map[string]any{"mDeleted": mDeleted, "mDeletedStr": mDeletedStr,
		"mEmptied": mEmptied, "mBig": mBig} {
		t.Header(name, m)
		t.Physical(name, m)
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
func stop() { fmt.Println(len(keep)) }
