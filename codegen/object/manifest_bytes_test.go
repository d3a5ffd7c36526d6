package object

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// badUTF8 are strings that JSON strings cannot hold: bytes that start no
// UTF-8 sequence, a truncated sequence, an encoded surrogate, an overlong
// encoding; then valid text that must stay as it is, U+FFFD among it.
var badUTF8 = []string{"a\xdcb", "\xff\xfe", "\xe2\x82", "\xed\xa0\x80", "\xc0\xaf", "%X\xdc0\n", "\x00\x80", "é\ufffd"}

// fillStrings sets every field reachable from v to a value that is not
// zero, every string (map keys too) to one of badUTF8 followed by its
// path, so that no two strings are equal. A pointer type is followed once
// on each path, which ends the recursion of types that refer to themselves.
// It returns the paths of the strings it set.
func fillStrings(v reflect.Value, path string, open map[reflect.Type]bool, paths *[]string) {
	t := v.Type()
	switch t.Kind() {
	case reflect.String:
		*paths = append(*paths, path)
		v.SetString(badUTF8[len(*paths)%len(badUTF8)] + path)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		v.SetUint(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1.5)
	case reflect.Pointer:
		if open[t] {
			return
		}
		open[t] = true
		p := reflect.New(t.Elem())
		fillStrings(p.Elem(), path, open, paths)
		v.Set(p)
		open[t] = false
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if t.Field(i).IsExported() {
				fillStrings(v.Field(i), join(path, t.Field(i).Name), open, paths)
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(t, 2, 2))
		fallthrough
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			fillStrings(v.Index(i), fmt.Sprintf("%s[%d]", path, i), open, paths)
		}
	case reflect.Map:
		m := reflect.MakeMap(t)
		for i := 0; i < 2; i++ {
			k, e := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
			fillStrings(k, fmt.Sprintf("%s[key%d]", path, i), open, paths)
			fillStrings(e, fmt.Sprintf("%s[%d]", path, i), open, paths)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	}
}

// TestStringBytes: every string the manifest section holds, whatever the
// field, comes back with the bytes it had, valid UTF-8 or not: printf
// formats and their literal parts, string constants, map names and keys,
// types' and fields' names, attach points, paths, script lines.
func TestStringBytes(t *testing.T) {
	env := &envelope{}
	var paths []string
	fillStrings(reflect.ValueOf(env).Elem(), "", map[reflect.Type]bool{}, &paths)
	all := strings.Join(paths, "\n") + "\n"
	for _, want := range []string{
		"Manifest.Printfs[0].Format.Parts[0].Lit", "Manifest.Printfs[0].Format.Verbs[0].Spec",
		"Manifest.Printfs[0].Args.Parts[0].Const.Str", "Manifest.Maps[0].Name", "Manifest.Programs[0].Points[0].USDT[0].Path",
		"Manifest.Programs[0].Pos.Filename", "Manifest.Sites[0].Line", "Manifest.StackMaps[0]", "Renamed[key0]", "Empty[1]",
	} {
		if !strings.Contains(all, want+"\n") {
			t.Errorf("the manifest has no string %s, or the test no longer fills it; it fills:\n%s", want, all)
		}
	}
	data, err := encodeEnvelope(env)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeEnvelope(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, env) {
		var diffs []string
		collect(reflect.ValueOf(env).Elem(), reflect.ValueOf(got).Elem(), "", map[reflect.Type]bool{}, &diffs)
		t.Fatalf("strings changed on the way:\n%s", strings.Join(diffs, "\n"))
	}
}

// collect lists the strings of want that differ in got, on the paths that
// fillStrings fills.
func collect(want, got reflect.Value, path string, open map[reflect.Type]bool, diffs *[]string) {
	switch want.Kind() {
	case reflect.String:
		if want.String() != got.String() {
			*diffs = append(*diffs, fmt.Sprintf("%s: %q, want %q", path, got.String(), want.String()))
		}
	case reflect.Pointer:
		if open[want.Type()] || want.IsNil() || got.IsNil() {
			return
		}
		open[want.Type()] = true
		collect(want.Elem(), got.Elem(), path, open, diffs)
		open[want.Type()] = false
	case reflect.Struct:
		for i := 0; i < want.NumField(); i++ {
			if want.Type().Field(i).IsExported() {
				collect(want.Field(i), got.Field(i), join(path, want.Type().Field(i).Name), open, diffs)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < want.Len() && i < got.Len(); i++ {
			collect(want.Index(i), got.Index(i), fmt.Sprintf("%s[%d]", path, i), open, diffs)
		}
	case reflect.Map:
		for _, k := range want.MapKeys() {
			if g := got.MapIndex(k); !g.IsValid() {
				*diffs = append(*diffs, fmt.Sprintf("%s: no key %q", path, k))
			} else {
				collect(want.MapIndex(k), g, fmt.Sprintf("%s[%q]", path, k), open, diffs)
			}
		}
	}
}

// badName is an enum whose name is not UTF-8.
type badName int

func (badName) String() string { return "n\xdc" }

// TestEnumNameBytes: an enum's name is checked as the bytes it was.
func TestEnumNameBytes(t *testing.T) {
	type holder struct{ E badName }
	if got := roundTrip(t, &holder{E: 3}); got.E != 3 {
		t.Errorf("got %d", got.E)
	}
}

// TestStringKeysOrdered: map keys that differ only in bytes that are not
// UTF-8 are ordered by their bytes, so that the section is the same every
// time.
func TestStringKeysOrdered(t *testing.T) {
	type holder struct{ M map[string]int }
	h := &holder{M: map[string]int{}}
	for i := 0; i < 16; i++ {
		h.M[string([]byte{'k', byte(0xe0 + i)})] = i
	}
	var first []byte
	for i := 0; i < 20; i++ {
		e := &encoder{ids: map[ptrKey]int{}}
		root, err := e.value(reflect.ValueOf(h).Elem(), "")
		if err != nil {
			t.Fatal(err)
		}
		data, err := encodeJSON(document{Root: root, Objects: e.objects})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = data
		} else if !bytes.Equal(data, first) {
			t.Fatalf("the encoding changed from one run to the next:\n%s\n%s", first, data)
		}
	}
	if got := roundTrip(t, h); !reflect.DeepEqual(got, h) {
		t.Errorf("got %v, want %v", got.M, h.M)
	}
}

// TestDecodeStringErrors: what stands for a string but is none says so.
func TestDecodeStringErrors(t *testing.T) {
	for _, tt := range []struct {
		data any
		want string
	}{
		{map[string]any{bytesKey: "!!"}, "the bytes of a string: illegal base64 data"},
		{map[string]any{bytesKey: "3A==", "x": "y"}, "map[string]interface {} is not a string"},
		{map[string]any{"x": "3A=="}, "map[string]interface {} is not a string"},
		{[]any{"3A=="}, "[]interface {} is not a string"},
		{nil, "<nil> is not a string"},
	} {
		if _, err := decodeString(tt.data); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want %q", tt.data, err, tt.want)
		}
	}
	if s, err := decodeString(map[string]any{bytesKey: "3A=="}); s != "\xdc" || err != nil {
		t.Errorf("got %q, %v", s, err)
	}
}
