package object

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
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

// join appends a field's name to the path of a value, for messages.
func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

// badName is an enum whose name is not UTF-8.
type badName int

func (badName) String() string { return "n\xdc" }

// otherName is badName renamed.
type otherName int

func (otherName) String() string { return "n\xdd" }

// TestEnumNameBytes: an enum's name is checked as the bytes it was.
func TestEnumNameBytes(t *testing.T) {
	e := &encoder{}
	e.enum(3, badName(3))
	d := &decoder{data: e.buf}
	if n := badName(d.int(64)); n != 3 {
		t.Errorf("got %d", n)
	}
	d.checkName(badName(3), 3)
	if d.err != nil || len(d.data) != 0 {
		t.Errorf("error %v, %d bytes left", d.err, len(d.data))
	}
	d = &decoder{data: e.buf}
	d.checkName(otherName(d.int(64)), 3)
	if d.err == nil || !strings.Contains(d.err.Error(), `object.otherName 3 is "n\xdd" to this hawk but was "n\xdc"`) {
		t.Errorf("error %v", d.err)
	}
}

// TestStringKeysOrdered: map keys that differ only in bytes that are not
// UTF-8 are ordered by their bytes, so that the section is the same every
// time.
func TestStringKeysOrdered(t *testing.T) {
	env := &envelope{Manifest: &codegen.Manifest{}, Renamed: map[string]string{}}
	for i := 0; i < 16; i++ {
		env.Renamed[string([]byte{'k', byte(0xe0 + i)})] = string([]byte{byte(i)})
	}
	var first []byte
	for i := 0; i < 20; i++ {
		data, err := encodeEnvelope(env)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = data
		} else if !bytes.Equal(data, first) {
			t.Fatalf("the encoding changed from one run to the next:\n%q\n%q", first, data)
		}
	}
	if got := roundTrip(t, env); !reflect.DeepEqual(got, env) {
		t.Errorf("got %v, want %v", got.Renamed, env.Renamed)
	}
}

// TestDecodeErrors: a manifest cut short anywhere, or whose references
// and lengths point past what it holds, is an error, never a panic or a
// large allocation.
func TestDecodeErrors(t *testing.T) {
	env := &envelope{}
	var paths []string
	fillStrings(reflect.ValueOf(env).Elem(), "", map[reflect.Type]bool{}, &paths)
	data, err := encodeEnvelope(env)
	if err != nil {
		t.Fatal(err)
	}
	for cut := 0; cut < len(data); cut++ {
		if _, err := decodeEnvelope(data[:cut]); err == nil {
			t.Fatalf("cut to %d bytes: no error", cut)
		}
	}
	if _, err := decodeEnvelope(append(slices.Clone(data), 0)); err == nil || !strings.Contains(err.Error(), "1 bytes follow it") {
		t.Errorf("a byte too many: %v", err)
	}
	for _, tt := range []struct {
		name string
		read func(d *decoder)
		want string
	}{
		{"length", func(d *decoder) { d.len() }, "ends too soon"},
		{"string", func(d *decoder) { d.string() }, "ends too soon"},
		{"reference", func(d *decoder) { d.ptrLangType() }, "no object"},
		{"bool", func(d *decoder) { d.bool() }, "neither 0 nor 1"},
		{"int8", func(d *decoder) { d.int(8) }, "does not fit 8 bits"},
		{"uint8", func(d *decoder) { d.uintN(8) }, "does not fit 8 bits"},
	} {
		d := &decoder{data: binary.AppendUvarint(nil, 1000)}
		tt.read(d)
		if d.err == nil || !strings.Contains(d.err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, d.err, tt.want)
		}
	}
	// A reference to an object of another type.
	d := &decoder{data: []byte{2}, ptrs: []any{&lang.Format{}}}
	d.ptrLangType()
	if d.err == nil || !strings.Contains(d.err.Error(), "object *lang.Format is not a *lang.Type") {
		t.Errorf("error %v", d.err)
	}
	// Pointers nested past maxDepth.
	deep := &lang.Type{Kind: lang.KindPointer}
	for range maxDepth {
		deep = &lang.Type{Kind: lang.KindPointer, Elem: deep}
	}
	data, err = encodeEnvelope(&envelope{Manifest: &codegen.Manifest{Values: []*lang.Type{deep}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := decodeEnvelope(data); err == nil || !strings.Contains(err.Error(), "pointers nest more than") {
		t.Errorf("pointers nested too deep: %v", err)
	}
}

// FuzzDecodeManifest decodes arbitrary bytes as a manifest after a valid
// header (the format, the schema and the writer): an error or a
// manifest, never a panic, a hang or a large allocation.
func FuzzDecodeManifest(f *testing.F) {
	header := &encoder{}
	header.buf = fmt.Appendf(nil, "%s %d\n", manifestMagic, FormatVersion)
	header.string(schemaID())
	header.string(writer())
	env := &envelope{}
	var paths []string
	fillStrings(reflect.ValueOf(env).Elem(), "", map[reflect.Type]bool{}, &paths)
	for _, e := range []*envelope{env, {Manifest: &codegen.Manifest{}}} {
		data, err := encodeEnvelope(e)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data[len(header.buf):])
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		decodeEnvelope(append(slices.Clone(header.buf), body...))
	})
}
