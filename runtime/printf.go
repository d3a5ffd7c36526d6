package runtime

import (
	"unsafe"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/output"
)

// formatPrintf appends the text of one printf event to dst. args is the
// record after its header.
func (s *Session) formatPrintf(dst []byte, meta *codegen.PrintfMeta, args []byte) []byte {
	i := 0
	for _, part := range meta.Format.Parts {
		if part.Verb == nil {
			dst = append(dst, part.Lit...)
			continue
		}
		arg := meta.Args.Parts[i]
		i++
		dst = s.formatArg(dst, part.Verb, arg, args)
	}
	return dst
}

func (s *Session) formatArg(dst []byte, v *lang.Verb, arg codegen.Part, args []byte) []byte {
	t := arg.Type
	if t.Kind == lang.KindString {
		if arg.Const != nil {
			// A literal ends at its first NUL, as the kernel's copy would.
			return v.AppendString(dst, cString([]byte(arg.Const.Str)))
		}
		return s.appendStr(dst, v, t, args[arg.Offset:])
	}
	if arg.Const == nil && !t.IsInteger() {
		// user names, symbols, stacks, addresses, buffers
		b := args[arg.Offset:]
		if v.Conv == 'r' && t.Kind == lang.KindBuffer {
			n := min(int(ne.Uint64(b)), t.Size)
			return v.AppendString(dst, output.EscapeBuffer(b[8:8+n], v.RawAs))
		}
		val := s.decoder().decode(t, b)
		return v.AppendString(dst, val.S)
	}
	var x uint64
	if arg.Const != nil {
		x = arg.Const.Int
	} else {
		x = ne.Uint64(args[arg.Offset:])
	}
	if v.Conv == 's' && t.IsEnum() {
		return v.AppendString(dst, enumValue(t, x).S)
	}
	size, signed := 8, false
	switch t.Kind {
	case lang.KindInt:
		size, signed = t.Size, t.Signed
	case lang.KindBool:
		size = 1
	}
	return v.AppendInt(dst, x, size, signed)
}

// appendStr formats the string b of type t as v directs, as
// v.AppendString(dst, s.strText(t, b)) does, without making a string of
// it: printf's %s of a string in the record allocates nothing.
func (s *Session) appendStr(dst []byte, v *lang.Verb, t *lang.Type, b []byte) []byte {
	text, trailer := s.strBytes(t, b)
	switch {
	case v.Width <= 0 && v.Prec < 0:
		return append(append(dst, text...), trailer...)
	case trailer == "":
		// AppendString keeps no part of its string.
		return v.AppendString(dst, unsafe.String(unsafe.SliceData(text), len(text)))
	}
	return v.AppendString(dst, string(text)+trailer)
}
