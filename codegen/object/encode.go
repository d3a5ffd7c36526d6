package object

import (
	"encoding"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"unicode/utf8"
)

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

// enumName returns v.String(), or "" if it panics (a table indexed by an
// unknown value).
func enumName(v reflect.Value) (s string) {
	defer func() {
		if recover() != nil {
			s = ""
		}
	}()
	return v.Interface().(fmt.Stringer).String()
}

// ptrKey identifies what a pointer points to.
type ptrKey struct {
	addr uintptr
	typ  reflect.Type
}

// encoder turns a value into JSON values, pointers into object indexes.
type encoder struct {
	ids     map[ptrKey]int
	objects []any
}

func (e *encoder) value(v reflect.Value, path string) (any, error) {
	t := v.Type()
	if isText(t) {
		b, err := v.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return encodeString(string(b)), nil
	}
	switch v.Kind() {
	case reflect.Bool:
		return v.Bool(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n := json.Number(strconv.FormatInt(v.Int(), 10))
		if isEnum(t) {
			return []any{n, encodeString(enumName(v))}, nil
		}
		return n, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n := json.Number(strconv.FormatUint(v.Uint(), 10))
		if isEnum(t) {
			return []any{n, encodeString(enumName(v))}, nil
		}
		return n, nil
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, t.Bits()), nil
	case reflect.String:
		return encodeString(v.String()), nil
	case reflect.Pointer:
		if v.IsNil() {
			return nil, nil
		}
		key := ptrKey{v.Pointer(), t}
		if id, ok := e.ids[key]; ok {
			return id, nil
		}
		id := len(e.objects)
		e.ids[key] = id
		e.objects = append(e.objects, nil)
		obj, err := e.value(v.Elem(), path)
		if err != nil {
			return nil, err
		}
		e.objects[id] = obj
		return id, nil
	case reflect.Struct:
		m := map[string]any{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			fv, err := e.value(v.Field(i), join(path, f.Name))
			if err != nil {
				return nil, err
			}
			m[f.Name] = fv
		}
		return m, nil
	case reflect.Slice:
		if v.IsNil() {
			return nil, nil
		}
		if t.Elem().Kind() == reflect.Uint8 && !isEnum(t.Elem()) && !isText(t.Elem()) {
			return base64.StdEncoding.EncodeToString(v.Bytes()), nil
		}
		fallthrough
	case reflect.Array:
		list := make([]any, v.Len())
		for i := range list {
			var err error
			if list[i], err = e.value(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return nil, err
			}
		}
		return list, nil
	case reflect.Map:
		if v.IsNil() {
			return nil, nil
		}
		type pair struct {
			key  string // JSON of the key, to sort by
			k, v any
		}
		var pairs []pair
		iter := v.MapRange()
		for iter.Next() {
			k, err := e.value(iter.Key(), path+"[key]")
			if err != nil {
				return nil, err
			}
			val, err := e.value(iter.Value(), fmt.Sprintf("%s[%v]", path, iter.Key()))
			if err != nil {
				return nil, err
			}
			kj, _ := json.Marshal(k)
			pairs = append(pairs, pair{string(kj), k, val})
		}
		sort.Slice(pairs, func(i, j int) bool { return pairs[i].key < pairs[j].key })
		list := make([]any, len(pairs))
		for i, p := range pairs {
			list[i] = []any{p.k, p.v}
		}
		return list, nil
	case reflect.Interface:
		if v.IsNil() {
			return nil, nil
		}
		return nil, fmt.Errorf("%s: a %s value in an interface cannot be encoded", path, v.Elem().Type())
	}
	return nil, fmt.Errorf("%s: values of type %s cannot be encoded", path, t)
}

// bytesKey names the base64 of a string's bytes in the JSON object that
// stands for a string that is not valid UTF-8.
const bytesKey = "bytes"

// encodeString returns the JSON value of s. A JSON string holds only
// Unicode text (encoding/json writes U+FFFD for each byte that is not
// UTF-8), while Go strings, and the scripts' strings, formats and paths
// they hold, are any bytes: a string that is not valid UTF-8 becomes
// {"bytes": base64 of its bytes}. Valid strings, nearly all of them, stay
// JSON strings, which keeps the section readable and as fast to write.
func encodeString(s string) any {
	if utf8.ValidString(s) {
		return s
	}
	return map[string]any{bytesKey: base64.StdEncoding.EncodeToString([]byte(s))}
}

// decodeString returns the string that encodeString encoded as data.
func decodeString(data any) (string, error) {
	switch x := data.(type) {
	case string:
		return x, nil
	case map[string]any:
		if b64, ok := x[bytesKey].(string); ok && len(x) == 1 {
			b, err := base64.StdEncoding.DecodeString(b64)
			if err != nil {
				return "", fmt.Errorf("the bytes of a string: %w", err)
			}
			return string(b), nil
		}
	}
	return "", fmt.Errorf("%T is not a string", data)
}
