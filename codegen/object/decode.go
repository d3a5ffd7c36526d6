package object

import (
	"encoding"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
)

// decoder fills values in from JSON values.
type decoder struct {
	objects []any
	ptrs    map[int]reflect.Value
}

func (d *decoder) value(data any, v reflect.Value, path string) error {
	t := v.Type()
	bad := func() error {
		return fmt.Errorf("%s: %T is not a %s", path, data, t)
	}
	if isText(t) {
		s, err := decodeString(data)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		return nil
	}
	switch v.Kind() {
	case reflect.Bool:
		b, ok := data.(bool)
		if !ok {
			return bad()
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, want, ok := number(data)
		if !ok {
			return bad()
		}
		i, err := strconv.ParseInt(string(n), 10, 64)
		if err != nil || v.OverflowInt(i) {
			return fmt.Errorf("%s: %s does not fit a %s", path, n, t)
		}
		v.SetInt(i)
		return checkName(v, want, path)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n, want, ok := number(data)
		if !ok {
			return bad()
		}
		u, err := strconv.ParseUint(string(n), 10, 64)
		if err != nil || v.OverflowUint(u) {
			return fmt.Errorf("%s: %s does not fit a %s", path, n, t)
		}
		v.SetUint(u)
		return checkName(v, want, path)
	case reflect.Float32, reflect.Float64:
		s, ok := data.(string)
		if !ok {
			return bad()
		}
		f, err := strconv.ParseFloat(s, t.Bits())
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		v.SetFloat(f)
	case reflect.String:
		s, err := decodeString(data)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		v.SetString(s)
	case reflect.Pointer:
		if data == nil {
			v.SetZero()
			return nil
		}
		n, ok := data.(json.Number)
		if !ok {
			return bad()
		}
		id, err := strconv.Atoi(string(n))
		if err != nil || id < 0 || id >= len(d.objects) {
			return fmt.Errorf("%s: no object %s", path, n)
		}
		if p, ok := d.ptrs[id]; ok {
			if p.Type() != t {
				return fmt.Errorf("%s: object %d is a %s, not a %s", path, id, p.Type(), t)
			}
			v.Set(p)
			return nil
		}
		p := reflect.New(t.Elem())
		d.ptrs[id] = p
		v.Set(p)
		return d.value(d.objects[id], p.Elem(), path)
	case reflect.Struct:
		m, ok := data.(map[string]any)
		if !ok {
			return bad()
		}
		// Fields the object lacks keep their zero values; fields it has
		// that t lacks are ignored. The schema check has made sure that
		// neither happens unnoticed.
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			fd, ok := m[f.Name]
			if !f.IsExported() || !ok {
				continue
			}
			if err := d.value(fd, v.Field(i), join(path, f.Name)); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if data == nil {
			v.SetZero()
			return nil
		}
		if s, ok := data.(string); ok && t.Elem().Kind() == reflect.Uint8 {
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			v.SetBytes(b)
			return nil
		}
		list, ok := data.([]any)
		if !ok {
			return bad()
		}
		v.Set(reflect.MakeSlice(t, len(list), len(list)))
		return d.elems(list, v, path)
	case reflect.Array:
		list, ok := data.([]any)
		if !ok || len(list) != v.Len() {
			return bad()
		}
		return d.elems(list, v, path)
	case reflect.Map:
		if data == nil {
			v.SetZero()
			return nil
		}
		list, ok := data.([]any)
		if !ok {
			return bad()
		}
		m := reflect.MakeMapWithSize(t, len(list))
		for _, item := range list {
			pair, ok := item.([]any)
			if !ok || len(pair) != 2 {
				return fmt.Errorf("%s: a map entry is not a key and a value", path)
			}
			k, val := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
			if err := d.value(pair[0], k, path+"[key]"); err != nil {
				return err
			}
			if err := d.value(pair[1], val, fmt.Sprintf("%s[%v]", path, k)); err != nil {
				return err
			}
			m.SetMapIndex(k, val)
		}
		v.Set(m)
	case reflect.Interface:
		if data != nil {
			return bad()
		}
	default:
		return fmt.Errorf("%s: values of type %s cannot be decoded", path, t)
	}
	return nil
}

func (d *decoder) elems(list []any, v reflect.Value, path string) error {
	for i, item := range list {
		if err := d.value(item, v.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	return nil
}

// join appends a field's name to the path of a value, for messages.
func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

// number returns the number data encodes, and the name that goes with it
// for enums.
func number(data any) (n json.Number, name string, ok bool) {
	switch x := data.(type) {
	case json.Number:
		return x, "", true
	case []any:
		if len(x) == 2 {
			n, ok1 := x[0].(json.Number)
			s, err := decodeString(x[1])
			return n, s, ok1 && err == nil
		}
	}
	return "", "", false
}

// checkName makes sure an enum value means what it meant to the hawk that
// wrote it.
func checkName(v reflect.Value, want, path string) error {
	if want == "" || !isEnum(v.Type()) {
		return nil
	}
	if got := enumName(v); got != want {
		n := fmt.Sprint(v.Convert(reflect.TypeFor[uint64]()).Uint())
		if v.CanInt() {
			n = fmt.Sprint(v.Int())
		}
		return fmt.Errorf("%s: %s %s is %q to this hawk but was %q to the hawk that wrote the object: compile the script again with this hawk",
			path, v.Type(), n, got, want)
	}
	return nil
}
