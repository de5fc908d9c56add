package truth

import (
	"math"
	"reflect"
)

// fmtCompare orders two map keys of one type as fmt prints a map's entries
// (the rules of internal/fmtsort, which programs cannot import): numbers by
// value with NaN first, strings by bytes, false before true, pointers and
// chans by address, structs and arrays field by field, interfaces nil first,
// then by dynamic type (its descriptor's address), then by value.
func fmtCompare(a, b reflect.Value) int {
	switch a.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return compareOrdered(a.Int() < b.Int(), a.Int() > b.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return compareOrdered(a.Uint() < b.Uint(), a.Uint() > b.Uint())
	case reflect.String:
		return compareOrdered(a.String() < b.String(), a.String() > b.String())
	case reflect.Float32, reflect.Float64:
		return compareFloats(a.Float(), b.Float())
	case reflect.Complex64, reflect.Complex128:
		if c := compareFloats(real(a.Complex()), real(b.Complex())); c != 0 {
			return c
		}
		return compareFloats(imag(a.Complex()), imag(b.Complex()))
	case reflect.Bool:
		return compareOrdered(!a.Bool() && b.Bool(), a.Bool() && !b.Bool())
	case reflect.Pointer, reflect.UnsafePointer, reflect.Chan:
		return compareOrdered(a.Pointer() < b.Pointer(), a.Pointer() > b.Pointer())
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if c := fmtCompare(a.Field(i), b.Field(i)); c != 0 {
				return c
			}
		}
		return 0
	case reflect.Array:
		for i := 0; i < a.Len(); i++ {
			if c := fmtCompare(a.Index(i), b.Index(i)); c != 0 {
				return c
			}
		}
		return 0
	case reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return compareOrdered(a.IsNil() && !b.IsNil(), !a.IsNil() && b.IsNil())
		}
		ta, tb := reflect.ValueOf(a.Elem().Type()).Pointer(), reflect.ValueOf(b.Elem().Type()).Pointer()
		if ta != tb {
			return compareOrdered(ta < tb, ta > tb)
		}
		return fmtCompare(a.Elem(), b.Elem())
	}
	panic("truth.fmtCompare: a " + a.Kind().String() + " cannot be a map key")
}

func compareOrdered(less, greater bool) int {
	switch {
	case less:
		return -1
	case greater:
		return 1
	}
	return 0
}

// compareFloats is fmtsort's: NaN before any number, NaNs equal.
func compareFloats(a, b float64) int {
	if math.IsNaN(a) || math.IsNaN(b) {
		return compareOrdered(math.IsNaN(a) && !math.IsNaN(b), !math.IsNaN(a) && math.IsNaN(b))
	}
	return compareOrdered(a < b, a > b)
}

// mapEntry is one entry of a map being rendered: its key and its text.
type mapEntry struct {
	key  reflect.Value
	text string
}

// lessEntry orders a map's entries as gomapdbg lists them: as fmt prints
// them, keys that fmt finds equal (NaNs) by their text.
func lessEntry(a, b mapEntry) bool {
	if c := fmtCompare(a.key, b.key); c != 0 {
		return c < 0
	}
	return a.text < b.text
}
