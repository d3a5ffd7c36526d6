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
	b = b[:min(len(b), t.Size)]
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return string(b[:i])
	}
	if t.CharArray || s == nil || s.man == nil {
		return string(b)
	}
	return string(b) + s.man.StrTruncTrailer
}
