package runtime

import "github.com/hawktrace/hawk/codegen"

// formatJoin appends the strings of a join() record separated by the
// separator, as bpftrace prints them. The record holds how
// many strings were read, then the strings in slots of meta.ArgSize bytes.
func formatJoin(dst []byte, meta *codegen.JoinMeta, rec []byte) []byte {
	n := int(min(ne.Uint64(rec), uint64(meta.Args)))
	for i := 0; i < n; i++ {
		if i > 0 {
			dst = append(dst, meta.Sep...)
		}
		start := 8 + i*meta.ArgSize
		dst = append(dst, cString(rec[start:start+meta.ArgSize])...)
	}
	return dst
}
