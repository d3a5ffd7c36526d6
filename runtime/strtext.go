package runtime

import (
	"bytes"

	"github.com/hawktrace/hawk/lang"
)

// strText is the text of a string of type t stored at b: its bytes up to
// the first NUL. A string that fills its whole size without a NUL was cut
// short, as bpftrace reckons (str() reads one byte more than it keeps):
// all its bytes print, then the str_trunc_trailer setting ("..") unless
// t is a char array, whose characters may fill it.
func (s *Session) strText(t *lang.Type, b []byte) string {
	text, trailer := s.strBytes(t, b)
	return string(text) + trailer
}

// strBytes is strText as the string's bytes in b and the trailer that
// follows them.
func (s *Session) strBytes(t *lang.Type, b []byte) (text []byte, trailer string) {
	b = b[:min(len(b), t.Size)]
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i], ""
	}
	if t.CharArray || s == nil || s.man == nil {
		return b, ""
	}
	return b, s.man.StrTruncTrailer
}
