package codegen_test

import (
	"bytes"
	"encoding/binary"
	"os"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/internal/testenv"
	"github.com/hawktrace/hawk/lang"
)

// TestOptionsAtLoad: compiled for an object, each option getopt() reads
// gets a place in the read-only data holding its default, listed in the
// manifest; compiled to run at once, none does.
func TestOptionsAtLoad(t *testing.T) {
	script := `BEGIN { print((getopt("a"), getopt("b", 5), getopt("c", -5), getopt("d", "xy"))); if (getopt("a")) { @x = getopt("d", "xy"); } }`
	out, err := generate(testenv.Env{}, "opts.bt", script, lang.Config{OptionsAtLoad: true, MaxStrlen: 16})
	if err != nil {
		t.Fatal(err)
	}
	data := out.Spec.Maps[out.Manifest.RodataMap].Contents[0].Value.([]byte)
	want := map[string][]byte{
		"a": {0},
		"b": binary.NativeEndian.AppendUint64(nil, 5),
		"c": binary.NativeEndian.AppendUint64(nil, uint64(1<<64-5)),
		"d": append([]byte("xy"), make([]byte, 14)...),
	}
	var names []string
	for _, o := range out.Manifest.Options {
		names = append(names, o.Option.Name)
		w := want[o.Option.Name]
		if o.Offset%8 != 0 || o.Offset+len(w) > len(data) || !bytes.Equal(data[o.Offset:o.Offset+len(w)], w) {
			t.Errorf("--%s at %d: %q, want %q", o.Option.Name, o.Offset, data[o.Offset:min(o.Offset+len(w), len(data))], w)
		}
	}
	if strings.Join(names, ",") != "a,b,c,d" {
		t.Errorf("manifest options %q", names)
	}
	checkInit(t, "opts.bt", out)
	// lang's getopt test script, compiled for an object, reads no memory
	// it did not write either.
	text, err := os.ReadFile("../lang/testdata/parse/getopt.bt")
	if err != nil {
		t.Fatal(err)
	}
	obj, err := generate(testenv.Env{}, "getopt.bt", string(text), lang.Config{OptionsAtLoad: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(obj.Manifest.Options) == 0 {
		t.Error("getopt.bt compiled for an object has no options")
	}
	checkInit(t, "getopt.bt", obj)
	// The same script run at once has its options as constants.
	now, err := generate(testenv.Env{}, "opts.bt", script, lang.Config{MaxStrlen: 16})
	if err != nil {
		t.Fatal(err)
	}
	if len(now.Manifest.Options) != 0 {
		t.Errorf("options in the read-only data of a script compiled to run: %v", now.Manifest.Options)
	}
}

// TestOptionBytes: how the read-only data holds each kind of value; a
// string is cut to its size, NUL included.
func TestOptionBytes(t *testing.T) {
	for _, tc := range []struct {
		t    *lang.Type
		k    lang.Const
		want []byte
	}{
		{lang.Bool, lang.Const{Int: 1}, []byte{1}},
		{lang.Bool, lang.Const{}, []byte{0}},
		{lang.Uint64, lang.Const{Int: 0x0102}, binary.NativeEndian.AppendUint64(nil, 0x0102)},
		{lang.StringType(4), lang.Const{Str: "hello", IsStr: true}, []byte("hel\x00")},
		{lang.StringType(4), lang.Const{Str: "h", IsStr: true}, []byte("h\x00\x00\x00")},
	} {
		if got := codegen.OptionBytes(&lang.NamedOption{Name: "x", Type: tc.t}, tc.k); !bytes.Equal(got, tc.want) {
			t.Errorf("%s %+v: %q, want %q", tc.t, tc.k, got, tc.want)
		}
	}
}
