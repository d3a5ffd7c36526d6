package initcheck

import "github.com/cilium/ebpf/asm"

// kernelFnHelper interprets the helpers of the functions that reach into
// the kernel (codegen/kernelfns.go); it reports whether it knows fn.
func (c *checker) kernelFnHelper(i int, fn asm.BuiltinFunc, s *state) bool {
	r := s.regs
	switch fn {
	case asm.FnPerCpuPtr, asm.FnThisCpuPtr, asm.FnGetSocketCookie, asm.FnSendSignalThread, asm.FnOverrideReturn:
		// They read no memory of the program's.
	case asm.FnProbeWriteUser:
		// Writes R3 bytes of the program's memory at R2 to user memory.
		n := 1
		if v := r[asm.R3]; v.kind == kConst {
			n = int(v.c)
		}
		c.need(i, s, r[asm.R2], n, "bpf_probe_write_user's source")
	case asm.FnSeqPrintf:
		// An iterator's printf: R5 bytes of arguments at R4 (the strings
		// they point to are copies the program wrote whole).
		if v := r[asm.R5]; v.kind == kConst && v.c > 0 {
			c.need(i, s, r[asm.R4], int(v.c), "bpf_seq_printf's arguments")
		}
	case asm.FnSkbOutput:
		// Sends R5 bytes at R4 before the packet.
		if v := r[asm.R5]; v.kind == kConst {
			c.need(i, s, r[asm.R4], int(v.c), "bpf_skb_output's header")
		}
	default:
		return false
	}
	return true
}
