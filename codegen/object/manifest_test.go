package object

import (
	"reflect"
	"testing"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
)

// TestGraphEncoding: pointers stay shared, nil and empty stay apart,
// numbers keep every bit, maps with integer keys come back.
func TestGraphEncoding(t *testing.T) {
	shared := &lang.Type{Kind: lang.KindInt, Size: 8, Signed: true}
	arr := &lang.Type{Kind: lang.KindArray, Elem: shared, Len: 4, Size: 32}
	field := &lang.Type{Kind: lang.KindStruct, Name: "s", Size: 8, Fields: []lang.Field{{Name: "x", Type: shared}}, Args: []int64{-1 << 63, -1, 0, 1<<63 - 1}}
	point := &codegen.AttachMeta{Raw: "interval:s:1", Kind: lang.ProbeInterval, Args: []string{}, PeriodNs: 1<<64 - 1, PerfConfig: 0}
	man := &codegen.Manifest{
		Programs:  []*codegen.ProgramMeta{{Name: "p", Kind: lang.ProbeInterval, Points: []*codegen.AttachMeta{point, point, nil}}},
		Values:    []*lang.Type{shared, arr, field, shared, nil},
		StackMaps: map[int]string{127: "a", -3: "b", 0: ""},
		Joins:     []*codegen.JoinMeta{},
		Sites:     nil,
	}
	env := &envelope{Manifest: man, Renamed: map[string]string{}, Empty: nil}
	got := roundTrip(t, env)
	if !reflect.DeepEqual(got, env) {
		t.Fatalf("got %+v\nwant %+v", got.Manifest, env.Manifest)
	}
	m := got.Manifest
	if m.Values[0] != m.Values[3] || m.Values[1].Elem != m.Values[0] || m.Values[2].Fields[0].Type != m.Values[0] ||
		m.Programs[0].Points[0] != m.Programs[0].Points[1] {
		t.Error("pointers are no longer shared")
	}
	if m.Sites != nil || m.Joins == nil || got.Renamed == nil || got.Empty != nil || m.Programs[0].Points[0].Args == nil {
		t.Error("nil and empty differ no more")
	}
}

// roundTrip encodes env and decodes it again.
func roundTrip(t *testing.T, env *envelope) *envelope {
	t.Helper()
	data, err := encodeEnvelope(env)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeEnvelope(data)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestSelfReferentialType: a script's struct pointing to itself, as the
// checker builds it, survives with its cycle.
func TestSelfReferentialType(t *testing.T) {
	n := &lang.Type{Kind: lang.KindStruct, Name: "Node", Size: 16}
	n.Fields = []lang.Field{{Name: "next", Type: lang.PointerType(n, lang.SpaceKernel)}, {Name: "v", Type: lang.Int32, Offset: 8}}
	man := &codegen.Manifest{Values: []*lang.Type{n, lang.PointerType(n, lang.SpaceKernel)}}
	data, err := encodeEnvelope(&envelope{Manifest: man})
	if err != nil {
		t.Fatal(err)
	}
	env, err := decodeEnvelope(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(env.Manifest, man) {
		t.Fatalf("got %+v", env.Manifest)
	}
	got := env.Manifest.Values[0]
	if got.Fields[0].Type.Elem != got || env.Manifest.Values[1].Elem != got {
		t.Error("the struct no longer points to itself")
	}
}

// derived are the unexported fields that only keep what the exported
// ones tell, which a type read back from an object does without:
// lang.Type's alignment, member count and field index of a tuple.
var derived = map[string]bool{"lang.Type.align": true, "lang.Type.members": true, "lang.Type.byName": true}

// TestManifestTypesEncodable walks the types the manifest section holds:
// the encoding drops unexported fields and refuses interfaces, channels
// and functions, so a field of such a type added to the manifest must be
// noticed here, not in a user's object.
func TestManifestTypesEncodable(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type, path string)
	walk = func(typ reflect.Type, path string) {
		if seen[typ] || isText(typ) {
			return
		}
		seen[typ] = true
		switch typ.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			walk(typ.Elem(), path)
		case reflect.Map:
			walk(typ.Key(), path+"[key]")
			walk(typ.Elem(), path+"[]")
		case reflect.Struct:
			for i := 0; i < typ.NumField(); i++ {
				f := typ.Field(i)
				if !f.IsExported() {
					if !derived[typ.String()+"."+f.Name] {
						t.Errorf("%s.%s (in %s) is unexported: objects would lose it", path, f.Name, typ)
					}
					continue
				}
				walk(f.Type, path+"."+f.Name)
			}
		case reflect.Interface, reflect.Chan, reflect.Func, reflect.UnsafePointer, reflect.Complex64, reflect.Complex128:
			t.Errorf("%s is a %s, which objects cannot hold", path, typ)
		}
	}
	walk(envelopeType, "envelope")
}

func TestSchema(t *testing.T) {
	type v1 struct{ A int }
	type v2 struct {
		A int
		B string
	}
	type v3 struct{ A int64 }
	s1, s2, s3 := schema(reflect.TypeFor[v1]()), schema(reflect.TypeFor[v2]()), schema(reflect.TypeFor[v3]())
	if s1 == s2 || s1 == s3 {
		t.Errorf("schemas of different types are equal: %s %s %s", s1, s2, s3)
	}
	if schema(envelopeType) != schema(envelopeType) {
		t.Error("the schema is not stable")
	}
}
