package runtime

import (
	"bytes"
	"encoding/binary"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/output"
)

var ne = binary.NativeEndian

// decode reads a value of type t stored at b, in the layout codegen uses:
// scalars take 8 bytes, strings their buffer.
func decode(t *lang.Type, b []byte) output.Value {
	switch t.Kind {
	case lang.KindInt, lang.KindCount, lang.KindSum:
		if t.IsSigned() {
			return output.IntValue(int64(ne.Uint64(b)))
		}
		return output.UintValue(ne.Uint64(b))
	case lang.KindPointer:
		return output.UintValue(ne.Uint64(b))
	case lang.KindBool:
		return output.BoolValue(ne.Uint64(b) != 0)
	case lang.KindString:
		return output.StringValue(cString(b[:min(len(b), t.Size)]))
	}
	return output.Value{}
}

// cString returns the bytes of b up to the first NUL.
func cString(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// decodeKey reads a map key: one value, or a tuple of its parts.
func decodeKey(l *codegen.Layout, b []byte) output.Value {
	if len(l.Parts) == 1 {
		return decode(l.Parts[0].Type, b)
	}
	elems := make([]output.Value, len(l.Parts))
	for i, p := range l.Parts {
		elems[i] = decode(p.Type, b[p.Offset:])
	}
	return output.Value{Kind: output.Tuple, Elems: elems}
}
