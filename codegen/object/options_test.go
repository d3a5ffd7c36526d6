package object_test

import (
	"bytes"
	"testing"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/codegen/object"
	"github.com/hawktrace/hawk/internal/testenv"
	"github.com/hawktrace/hawk/lang"
)

// TestRoundTripOptions: an object's program options (getopt() read when
// it loads) come back with their types, defaults, descriptions and
// places in the read-only data, which holds the defaults.
func TestRoundTripOptions(t *testing.T) {
	text := `BEGIN { print((getopt("a"), getopt("b", 5, "B's text"), getopt("c", -5), getopt("d", "xy\xdc"))); }`
	s, err := hawk.Compile(lang.NewSource("opts.bt", text), hawk.Config{Env: testenv.Env{}, OptionsAtLoad: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Out.Manifest.Options) != 4 {
		t.Fatalf("options %v", s.Out.Manifest.Options)
	}
	roundTrip(t, s.Out)
	back, err := object.Read(bytes.NewReader(write(t, s.Out)))
	if err != nil {
		t.Fatal(err)
	}
	d := back.Manifest.Options[3]
	data := back.Spec.Maps[back.Manifest.RodataMap].Contents[0].Value.([]byte)
	if d.Option.Name != "d" || d.Option.Default.Str != "xy\xdc" || d.Option.Type.Size != lang.DefaultMaxStrlen ||
		!bytes.HasPrefix(data[d.Offset:], []byte("xy\xdc\x00")) {
		t.Errorf("option d read back: %+v at %d", d.Option, d.Offset)
	}
	if b := back.Manifest.Options[1].Option; b.Description != "B's text" || b.Default.Int != 5 || b.Type.String() != "uint64" {
		t.Errorf("option b read back: %+v", b)
	}
}
