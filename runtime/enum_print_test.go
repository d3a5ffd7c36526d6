package runtime

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/output"
)

// testEnum is enum Foo { ONE = 1, TWO = 2, NEG = -1 }.
var testEnum = &lang.EnumDef{Name: "Foo", Values: []lang.Enumerator{
	{Name: "ONE", Value: 1}, {Name: "TWO", Value: 2}, {Name: "NEG", Value: ^uint64(0)}}}

// render writes v as print(v) does, in text and in JSON.
func render(v output.Value) (text, json string) {
	var tb, jb bytes.Buffer
	tw, jw := output.NewText(&tb, &tb, output.BufferNone), output.NewJSON(&jb, output.BufferNone)
	tw.Value(v)
	jw.Value(v)
	tw.Flush()
	jw.Flush()
	return tb.String(), jb.String()
}

// TestEnumValuesPrinted: a value of an enum type prints as its
// enumerator's name, or its number when the enum has none of that value;
// JSON has the number. A 4-byte enum compares its 4 bytes (a negative
// enumerator too), inside a tuple as alone.
func TestEnumValuesPrinted(t *testing.T) {
	d := &decoder{s: &Session{}}
	e8, e4 := lang.EnumType(testEnum, 8), lang.EnumType(testEnum, 4)
	le := func(x uint64) []byte { return binary.NativeEndian.AppendUint64(nil, x) }
	tuple := lang.TupleType([]*lang.Type{e4, e8, lang.Uint32})
	tupleBytes := binary.NativeEndian.AppendUint32(nil, 0xffffffff)
	tupleBytes = append(tupleBytes, 0, 0, 0, 0)
	tupleBytes = binary.NativeEndian.AppendUint64(tupleBytes, 444)
	tupleBytes = binary.NativeEndian.AppendUint32(tupleBytes, 2)
	for _, tc := range []struct {
		t          *lang.Type
		b          []byte
		text, json string
	}{
		{e8, le(1), "ONE\n", `{"type": "value", "data": 1}` + "\n"},
		{e8, le(444), "444\n", `{"type": "value", "data": 444}` + "\n"},
		{e8, le(^uint64(0)), "NEG\n", `{"type": "value", "data": "18446744073709551615"}` + "\n"},
		{e4, le(0xffffffff), "NEG\n", `{"type": "value", "data": 4294967295}` + "\n"},
		{lang.Uint64, le(1), "1\n", `{"type": "value", "data": 1}` + "\n"},
		{tuple, tupleBytes, "(NEG, 444, 2)\n", `{"type": "value", "data": [4294967295,444,2]}` + "\n"},
	} {
		text, json := render(d.decode(tc.t, tc.b))
		if text != tc.text || json != tc.json {
			t.Errorf("%s % x: text %q, JSON %q; want %q, %q", tc.t, tc.b, text, json, tc.text, tc.json)
		}
	}
}

// TestEnumPrintf: printf's %s prints an enum value's enumerator (its
// number when none matches), with the verb's width; %d the number; for
// a constant argument as for one in the record.
func TestEnumPrintf(t *testing.T) {
	e8 := lang.EnumType(testEnum, 8)
	format, ferr := lang.ParseFormat("%s %d %-5s|%5s %s\n")
	if ferr != nil {
		t.Fatal(ferr)
	}
	args := binary.NativeEndian.AppendUint64(nil, 2)
	args = binary.NativeEndian.AppendUint64(args, 7)
	meta := &codegen.PrintfMeta{Format: format, Args: &codegen.Layout{Size: 16, Parts: []codegen.Part{
		{Type: e8, Const: &lang.Const{Int: 1}},
		{Type: e8, Const: &lang.Const{Int: 1}},
		{Type: e8, Offset: 0},
		{Type: e8, Const: &lang.Const{Int: 1}},
		{Type: e8, Offset: 8},
	}}}
	got := string((&Session{}).formatPrintf(nil, meta, args))
	if want := "ONE 1 TWO  |  ONE 7\n"; got != want {
		t.Errorf("printf of enums: %q, want %q", got, want)
	}
}
