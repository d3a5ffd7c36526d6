package codegen

import (
	"encoding/binary"

	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// OptionMeta is a program option that getopt() reads from the read-only
// data, in objects (lang.Info.OptionsAtLoad): the runtime stores the value
// the command line gives it, or its default, at Offset before loading.
type OptionMeta struct {
	Option *lang.NamedOption
	// Offset is where the value is in the read-only data:
	// Option.Type.Size bytes (OptionBytes).
	Offset int
}

// OptionBytes is how the read-only data holds the value k of option o:
// an integer as 8 bytes in the machine's order, a bool as one byte, a
// string NUL-terminated in the option's size, cut to fit.
func OptionBytes(o *lang.NamedOption, k lang.Const) []byte {
	b := make([]byte, o.Type.Size)
	switch o.Type.Kind {
	case lang.KindString:
		copy(b[:len(b)-1], k.Str)
	case lang.KindBool:
		if k.Int != 0 {
			b[0] = 1
		}
	default:
		binary.NativeEndian.PutUint64(b, k.Int)
	}
	return b
}

// declareOptions puts the options getopt() reads at load time in the
// read-only data, holding their defaults until the runtime stores their
// values, and in the manifest.
func (c *compiler) declareOptions() {
	if !c.info.OptionsAtLoad {
		return
	}
	c.optionOffsets = map[string]int{}
	for _, o := range c.info.Options {
		off := c.rodata.bytes(OptionBytes(o, o.Default))
		c.optionOffsets[o.Name] = off
		c.man.Options = append(c.man.Options, &OptionMeta{Option: o, Offset: off})
	}
}

// optionMem is where getopt()'s value is: its option's place in the
// read-only data, which the verifier knows as a constant since the map is
// frozen.
func (g *gen) optionMem(call *lang.Call) mem {
	name := call.Args[0].(*lang.StrLit).Value
	off, ok := g.optionOffsets[name]
	if !ok {
		internal("getopt: option %q has no place in the read-only data", name)
	}
	return mem{base: baseRodata, off: off, size: g.info.TypeOf(call).Size}
}

// getoptTo reads a scalar option's value (a bool or an integer).
func (g *gen) getoptTo(call *lang.Call, dst asm.Register) {
	g.readScalar(place{direct: true, m: g.optionMem(call)}, g.info.TypeOf(call), dst)
}
