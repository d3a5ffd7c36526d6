package object

import (
	"crypto/sha256"
	"encoding"
	"encoding/hex"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// envelopeType is the type the manifest's encoding is generated from.
var envelopeType = reflect.TypeFor[envelope]()

var (
	textMarshaler   = reflect.TypeFor[encoding.TextMarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	stringer        = reflect.TypeFor[fmt.Stringer]()
)

// isText reports whether values of t encode as their text.
func isText(t reflect.Type) bool {
	return t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface &&
		t.Implements(textMarshaler) && reflect.PointerTo(t).Implements(textUnmarshaler)
}

// isEnum reports whether t is an integer type with a String method, whose
// values encode with their names.
func isEnum(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return t.Implements(stringer)
	}
	return false
}

// schema fingerprints the Go types reachable from t: the names and types
// of exported fields, recursively. It changes when a field is added,
// removed, renamed or retyped.
func schema(t reflect.Type) string {
	defs := map[string]string{}
	var describe func(t reflect.Type, named bool) string
	describe = func(t reflect.Type, top bool) string {
		if t.Name() != "" && !top {
			id := t.PkgPath() + "." + t.Name()
			if _, ok := defs[id]; !ok {
				defs[id] = "" // stops recursion
				defs[id] = describe(t, true)
			}
			return id
		}
		if isText(t) {
			return "text"
		}
		switch t.Kind() {
		case reflect.Pointer:
			return "*" + describe(t.Elem(), false)
		case reflect.Slice:
			return "[]" + describe(t.Elem(), false)
		case reflect.Array:
			return fmt.Sprintf("[%d]%s", t.Len(), describe(t.Elem(), false))
		case reflect.Map:
			return "map[" + describe(t.Key(), false) + "]" + describe(t.Elem(), false)
		case reflect.Struct:
			var b strings.Builder
			b.WriteString("struct{")
			for i := 0; i < t.NumField(); i++ {
				if f := t.Field(i); f.IsExported() {
					fmt.Fprintf(&b, "%s %s;", f.Name, describe(f.Type, false))
				}
			}
			b.WriteString("}")
			return b.String()
		}
		s := t.Kind().String()
		if isEnum(t) {
			s += " enum"
		}
		return s
	}
	root := describe(t, false)
	ids := make([]string, 0, len(defs))
	for id := range defs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	h := sha256.New()
	fmt.Fprintln(h, root)
	for _, id := range ids {
		fmt.Fprintln(h, id, defs[id])
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}
