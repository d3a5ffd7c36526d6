package runtime

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/hawktrace/hawk/codegen"
)

// buildIDStack prints a user stack taken in build_id mode as bpftrace
// does: a newline, then a frame a line, the build id of the frame's binary
// in hex, a space and the offset in the binary (`0x` and at least two hex
// digits); a frame whose binary's build id the kernel could not read
// prints its address in hex instead.
func (d *decoder) buildIDStack(limit int, id int32) string {
	var b strings.Builder
	b.WriteByte('\n')
	m := d.s.coll.Maps[d.s.man.BuildIDStackMaps[limit]]
	raw := make([]byte, codegen.BuildIDFrameSize*limit)
	if m == nil || id < 0 || m.Lookup(uint32(id), raw) != nil {
		b.WriteString("        <stack unavailable>\n")
		return b.String()
	}
	for f := range limit {
		frame := raw[f*codegen.BuildIDFrameSize:][:codegen.BuildIDFrameSize]
		status, off := int32(ne.Uint32(frame)), ne.Uint64(frame[24:])
		switch status {
		case codegen.BuildIDValid:
			fmt.Fprintf(&b, "%s 0x%02x\n", hex.EncodeToString(frame[4:24]), off)
		case codegen.BuildIDIP:
			fmt.Fprintf(&b, "%x\n", off)
		default:
			// The map zeroes the frames past the stack's end.
			return b.String()
		}
	}
	return b.String()
}
