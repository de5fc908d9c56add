package truth

import (
	"fmt"
	"math"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
)

// Caps are what --max-elements, --max-string and --max-depth set; 0 shows
// all of it.
type Caps struct{ Elements, String, Depth int }

// DefaultCaps are the caps gomapdbg applies by default (RenderLimits,
// core/values/value_decoder.h).
var DefaultCaps = Caps{Elements: 64, String: 1024, Depth: 8}

// Key is the name a value rendered under these caps is recorded by:
// "NAME@caps=ELEMENTS,STRING,DEPTH".
func (c Caps) Key(name string) string {
	return fmt.Sprintf("%s@caps=%d,%d,%d", name, c.Elements, c.String, c.Depth)
}

func unlimited(n int) int {
	if n == 0 {
		return math.MaxInt
	}
	return n
}

// Render formats a value in gomapdbg's canonical syntax, documented in
// README.md: Go-like, named types show their name, map entries are in the
// order fmt prints them (keys fmt finds equal by their text), interfaces
// show their dynamic type.
func Render(v reflect.Value) string { return RenderDeref(v, 0) }

// RenderDeref is Render following up to `levels` pointers along each path,
// as `go print --deref N` does: a followed pointer shows as &VALUE.
func RenderDeref(v reflect.Value, levels int) string {
	return (&renderer{levels: levels, caps: DefaultCaps}).render(v, 0)
}

// RenderCaps is Render under other caps.
func RenderCaps(v reflect.Value, caps Caps) string {
	return (&renderer{caps: caps}).render(v, 0)
}

// renderer carries the pointer levels to follow and those followed so far
// on the path being rendered, and the caps.
type renderer struct {
	levels, followed int
	caps             Caps
}

func (r *renderer) maxElements() int { return unlimited(r.caps.Elements) }
func (r *renderer) maxString() int   { return unlimited(r.caps.String) }
func (r *renderer) maxDepth() int    { return unlimited(r.caps.Depth) }

func named(t reflect.Type) bool {
	return t.Name() != "" && t.PkgPath() != "" && t.Kind() != reflect.Interface &&
		t.Kind() != reflect.UnsafePointer
}

func (r *renderer) render(v reflect.Value, depth int) string {
	if depth > r.maxDepth() {
		return "..."
	}
	inner := r.renderUnnamed(v, depth)
	t := v.Type()
	if !named(t) || inner == "nil" {
		return inner
	}
	if t.Kind() == reflect.Struct || (t.Kind() == reflect.Map && strings.HasPrefix(inner, "{")) {
		return t.String() + inner
	}
	return t.String() + "(" + inner + ")"
}

func formatFloat(f float64, bits int) string { return strconv.FormatFloat(f, 'g', -1, bits) }

func (r *renderer) elements(n int, at func(int) reflect.Value, depth int) string {
	shown := n
	if shown > r.maxElements() {
		shown = r.maxElements()
	}
	parts := make([]string, 0, shown+1)
	for i := 0; i < shown; i++ {
		parts = append(parts, r.render(at(i), depth+1))
	}
	if shown < n {
		parts = append(parts, fmt.Sprintf("...+%d", n-shown))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func (r *renderer) renderUnnamed(v reflect.Value, depth int) string {
	t := v.Type()
	switch v.Kind() {
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Float32:
		return formatFloat(v.Float(), 32)
	case reflect.Float64:
		return formatFloat(v.Float(), 64)
	case reflect.Complex64, reflect.Complex128:
		bits := 64
		if v.Kind() == reflect.Complex64 {
			bits = 32
		}
		c := v.Complex()
		im := formatFloat(imag(c), bits)
		if !strings.HasPrefix(im, "-") && !strings.HasPrefix(im, "+") {
			im = "+" + im
		}
		return "(" + formatFloat(real(c), bits) + im + "i)"
	case reflect.String:
		s := v.String()
		if len(s) > r.maxString() {
			return strconv.Quote(s[:r.maxString()]) + fmt.Sprintf("...+%d bytes", len(s)-r.maxString())
		}
		return strconv.Quote(s)
	case reflect.Pointer:
		if v.IsNil() {
			return "nil"
		}
		if r.follows(v) {
			r.followed++
			defer func() { r.followed-- }()
			return "&" + r.render(v.Elem(), depth+1)
		}
		return fmt.Sprintf("(%s)(%#x)", t, v.Pointer())
	case reflect.UnsafePointer:
		if v.IsNil() {
			return "nil"
		}
		return fmt.Sprintf("unsafe.Pointer(%#x)", v.Pointer())
	case reflect.Chan:
		if v.IsNil() {
			return "nil"
		}
		return fmt.Sprintf("(%s)(%#x len %d cap %d)", t, v.Pointer(), v.Len(), v.Cap())
	case reflect.Func:
		if v.IsNil() {
			return "nil"
		}
		return fmt.Sprintf("func(%#x %s)", v.Pointer(), runtime.FuncForPC(v.Pointer()).Name())
	case reflect.Interface:
		if v.IsNil() {
			return "nil"
		}
		// The dynamic type is shown unless the value's rendering already
		// shows it (named types, non-nil pointers, chans and maps).
		e := v.Elem()
		inner := r.render(e, depth+1)
		k := e.Kind()
		if named(e.Type()) || (inner != "nil" && (k == reflect.Pointer || k == reflect.Chan || k == reflect.Map)) {
			return inner
		}
		return e.Type().String() + "(" + inner + ")"
	case reflect.Map:
		if v.IsNil() {
			return "nil"
		}
		var sorted []mapEntry
		iter := v.MapRange()
		for iter.Next() {
			sorted = append(sorted, mapEntry{iter.Key(), r.render(iter.Key(), depth+1) + ": " + r.render(iter.Value(), depth+1)})
		}
		sort.SliceStable(sorted, func(i, j int) bool { return lessEntry(sorted[i], sorted[j]) })
		var entries []string
		for _, e := range sorted {
			entries = append(entries, e.text)
		}
		if len(entries) > r.maxElements() {
			entries = append(entries[:r.maxElements()], fmt.Sprintf("...+%d", v.Len()-r.maxElements()))
		}
		prefix := t.String()
		if named(t) {
			prefix = ""
		}
		return prefix + "{" + strings.Join(entries, ", ") + "}"
	case reflect.Array:
		return r.elements(v.Len(), v.Index, depth)
	case reflect.Slice:
		if v.IsNil() {
			return "nil"
		}
		return fmt.Sprintf("len %d cap %d ", v.Len(), v.Cap()) + r.elements(v.Len(), v.Index, depth)
	case reflect.Struct:
		parts := make([]string, v.NumField())
		for i := range parts {
			parts[i] = t.Field(i).Name + ": " + r.render(v.Field(i), depth+1)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	panic("truth.Render: unsupported kind " + v.Kind().String())
}

// follows says whether the non-nil pointer v is followed: levels remain and
// its target has a size (gomapdbg reads the target's bytes).
func (r *renderer) follows(v reflect.Value) bool {
	return r.followed < r.levels && v.Type().Elem().Size() > 0
}
