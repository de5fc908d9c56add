package truth

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"runtime"
	"sort"
	"strconv"
)

// JSON formats a value as gomapdbg's JSON (core/values/json_renderer.h,
// README "JSON output"), under the same caps as Render.
func JSON(v reflect.Value) string { return JSONDeref(v, 0) }

// JSONDeref is JSON following up to `levels` pointers along each path, as
// `go print --deref N --json` does: {"address": "0x...", "value": V}.
func JSONDeref(v reflect.Value, levels int) string {
	return jsonOf(&renderer{levels: levels, caps: DefaultCaps}, v)
}

// JSONCaps is JSON under other caps.
func JSONCaps(v reflect.Value, caps Caps) string { return jsonOf(&renderer{caps: caps}, v) }

func jsonOf(r *renderer, v reflect.Value) string {
	b, err := json.Marshal(r.jsonValue(v, 0))
	if err != nil {
		panic(err)
	}
	return string(b)
}

// maxExactInt: integers beyond it are strings (a double cannot hold them).
const maxExactInt = 1<<53 - 1

func jsonInt(i int64) any {
	if i > maxExactInt || i < -maxExactInt {
		return strconv.FormatInt(i, 10)
	}
	return json.Number(strconv.FormatInt(i, 10))
}

func jsonUint(u uint64) any {
	if u > maxExactInt {
		return strconv.FormatUint(u, 10)
	}
	return json.Number(strconv.FormatUint(u, 10))
}

func jsonFloat(f float64, bits int) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return formatFloat(f, bits) // "NaN", "+Inf", "-Inf"
	}
	return json.Number(formatFloat(f, bits))
}

func (r *renderer) jsonElements(n int, at func(int) reflect.Value, depth int) []any {
	shown := n
	if shown > r.maxElements() {
		shown = r.maxElements()
	}
	out := make([]any, shown)
	for i := range out {
		out[i] = r.jsonValue(at(i), depth+1)
	}
	return out
}

func (r *renderer) jsonValue(v reflect.Value, depth int) any {
	if depth > r.maxDepth() {
		return map[string]any{"error": "nested too deep"}
	}
	t := v.Type()
	switch v.Kind() {
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return jsonInt(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return jsonUint(v.Uint())
	case reflect.Float32:
		return jsonFloat(v.Float(), 32)
	case reflect.Float64:
		return jsonFloat(v.Float(), 64)
	case reflect.Complex64, reflect.Complex128:
		bits := 64
		if v.Kind() == reflect.Complex64 {
			bits = 32
		}
		c := v.Complex()
		return map[string]any{"real": jsonFloat(real(c), bits), "imag": jsonFloat(imag(c), bits)}
	case reflect.String:
		// encoding/json turns invalid UTF-8 bytes into U+FFFD, as gomapdbg does.
		s := v.String()
		if len(s) > r.maxString() {
			return map[string]any{"prefix": s[:r.maxString()], "len": len(s)}
		}
		return s
	case reflect.Pointer, reflect.UnsafePointer:
		if v.IsNil() {
			return nil
		}
		address := fmt.Sprintf("%#x", v.Pointer())
		if v.Kind() == reflect.Pointer && r.follows(v) {
			r.followed++
			defer func() { r.followed-- }()
			return map[string]any{"address": address, "value": r.jsonValue(v.Elem(), depth+1)}
		}
		return address
	case reflect.Chan:
		if v.IsNil() {
			return nil
		}
		return map[string]any{"address": fmt.Sprintf("%#x", v.Pointer()), "len": v.Len(), "cap": v.Cap()}
	case reflect.Func:
		if v.IsNil() {
			return nil
		}
		// The pc of a func value is its code pointer (v.Pointer()).
		return map[string]any{"func": runtime.FuncForPC(v.Pointer()).Name(), "pc": fmt.Sprintf("%#x", v.Pointer())}
	case reflect.Interface:
		if v.IsNil() {
			return nil
		}
		e := v.Elem()
		return map[string]any{"type": e.Type().String(), "value": r.jsonValue(e, depth+1)}
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		// The entries the text rendering shows, in its order.
		type entry struct {
			text       string
			key, value reflect.Value
		}
		var entries []entry
		iter := v.MapRange()
		for iter.Next() {
			entries = append(entries, entry{r.render(iter.Key(), depth+1) + ": " + r.render(iter.Value(), depth+1),
				iter.Key(), iter.Value()})
		}
		sort.SliceStable(entries, func(i, j int) bool {
			return lessEntry(mapEntry{entries[i].key, entries[i].text}, mapEntry{entries[j].key, entries[j].text})
		})
		if len(entries) > r.maxElements() {
			entries = entries[:r.maxElements()]
		}
		out := make([]any, len(entries))
		for i, e := range entries {
			out[i] = map[string]any{"key": r.jsonValue(e.key, depth+1), "value": r.jsonValue(e.value, depth+1)}
		}
		return map[string]any{"type": t.String(), "address": fmt.Sprintf("%#x", v.Pointer()),
			"len": v.Len(), "entries": out}
	case reflect.Array:
		// Whole arrays and slices are JSON arrays; a cut one says how long it is.
		elems := r.jsonElements(v.Len(), v.Index, depth)
		if len(elems) == v.Len() {
			return elems
		}
		return map[string]any{"len": v.Len(), "elements": elems}
	case reflect.Slice:
		if v.IsNil() {
			return nil
		}
		elems := r.jsonElements(v.Len(), v.Index, depth)
		if len(elems) == v.Len() {
			return elems
		}
		return map[string]any{"len": v.Len(), "cap": v.Cap(), "elements": elems}
	case reflect.Struct:
		out := map[string]any{}
		blanks := 0
		for i := 0; i < v.NumField(); i++ {
			name := t.Field(i).Name
			if name == "_" {
				if blanks++; blanks > 1 {
					name += strconv.Itoa(blanks)
				}
			}
			out[name] = r.jsonValue(v.Field(i), depth+1)
		}
		return out
	}
	panic("truth.JSON: unsupported kind " + v.Kind().String())
}
