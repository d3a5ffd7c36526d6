package object

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
)

// node exercises the encoding: cycles, shared pointers, nil and empty
// slices and maps, maps with non-string keys, enums, text values.
type node struct {
	Name   string
	Next   *node
	Kids   []*node
	ByID   map[int]*node
	Nil    []int
	Empty  []int
	NilMap map[string]int
	Bytes  []byte
	Arr    [2]int8
	F      float64
	U      uint64
	Kind   lang.ProbeKind
	When   time.Time
	hidden int // not encoded
}

func roundTrip[T any](t *testing.T, v *T) *T {
	t.Helper()
	e := &encoder{ids: map[ptrKey]int{}}
	root, err := e.value(reflect.ValueOf(v).Elem(), "")
	if err != nil {
		t.Fatal(err)
	}
	// Through JSON, as the section holds it.
	var doc document
	data, err := encodeJSON(document{Root: root, Objects: e.objects})
	if err != nil {
		t.Fatal(err)
	}
	if err := decodeJSON(data, &doc); err != nil {
		t.Fatal(err)
	}
	d := &decoder{objects: doc.Objects, ptrs: map[int]reflect.Value{}}
	got := new(T)
	if err := d.value(doc.Root, reflect.ValueOf(got).Elem(), ""); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestGraphEncoding(t *testing.T) {
	a := &node{Name: "a", Empty: []int{}, Bytes: []byte{0, 1, 255}, Arr: [2]int8{-1, 2}, F: 0.1, U: 1<<64 - 1,
		Kind: lang.ProbeTracepoint, When: time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC), hidden: 7}
	b := &node{Name: "b", Next: a}
	a.Next = b
	a.Kids = []*node{a, b, b, nil}
	a.ByID = map[int]*node{2: b, 1: a}
	type holder struct{ N *node }
	got := roundTrip(t, &holder{a}).N
	a.hidden = 0
	if !reflect.DeepEqual(got, a) {
		t.Fatalf("got %+v\nwant %+v", got, a)
	}
	if got.Next.Next != got || got.Kids[0] != got || got.Kids[1] != got.Next || got.Kids[2] != got.Next || got.ByID[1] != got {
		t.Error("pointers are no longer shared")
	}
	if got.Nil != nil || got.Empty == nil || got.NilMap != nil {
		t.Error("nil and empty differ no more")
	}
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

func TestInterfacesRefused(t *testing.T) {
	type withAny struct{ X any }
	e := &encoder{ids: map[ptrKey]int{}}
	_, err := e.value(reflect.ValueOf(withAny{X: 1}), "")
	if err == nil || !strings.Contains(err.Error(), "X: a int value in an interface cannot be encoded") {
		t.Errorf("error %v", err)
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
