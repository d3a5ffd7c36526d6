package codegen

import (
	"strconv"
	"strings"

	"github.com/cilium/ebpf/asm"

	"github.com/hawktrace/hawk/lang"
)

// An iter probe's printf writes into the iteration's output with
// bpf_seq_printf, as bpftrace's does: what reading the iterator returns,
// so that reading a pinned iterator (iter:NAME:PIN) prints it too. The
// kernel formats integers (%d %i %u %x %X, as int or with l/ll as 64-bit
// values), characters (%c) and strings (%s), with the flags - 0 + and
// space and a width but no precision, at most 12 arguments; a printf it
// cannot format goes through the ring buffer as elsewhere.

// maxSeqArgs is the most arguments bpf_seq_printf takes.
const maxSeqArgs = 12

// seqFormat returns the kernel's format for an iter probe's printf, or
// false when the kernel cannot format it.
func (g *gen) seqFormat(call *lang.Call) (string, bool) {
	if g.kind != lang.ProbeIter || g.info.Funcs[call] != lang.FuncPrintf || len(call.Args)-1 > maxSeqArgs {
		return "", false
	}
	f := g.info.Formats[call]
	if f == nil {
		return "", false
	}
	var b strings.Builder
	n := 0
	for _, p := range f.Parts {
		if p.Verb == nil {
			b.WriteString(strings.ReplaceAll(p.Lit, "%", "%%"))
			continue
		}
		v := p.Verb
		t := g.info.TypeOf(call.Args[1+n])
		n++
		if v.Prec >= 0 || strings.Contains(v.Flags, "#") {
			return "", false
		}
		b.WriteString("%" + v.Flags)
		if v.Width >= 0 {
			b.WriteString(strconv.Itoa(v.Width))
		}
		switch {
		case v.Conv == 's' && t.Kind == lang.KindString:
			b.WriteByte('s')
		case strings.IndexByte("diuxXc", v.Conv) >= 0 && t.IsInteger() && !t.IsEnum():
			switch v.Length {
			case "":
			case "l", "ll", "z", "j", "t":
				if v.Conv != 'c' {
					b.WriteString("ll")
				}
			default:
				return "", false // h, hh: the kernel has no such widths
			}
			b.WriteByte(v.Conv)
		default:
			return "", false
		}
	}
	return b.String(), true
}

// seqPrintf writes an iter probe's printf into the iteration's output:
// the arguments go in an array of 64-bit words, strings as the address
// of their bytes.
func (g *gen) seqPrintf(call *lang.Call, format string) {
	args := call.Args[1:]
	var data mem
	if len(args) > 0 {
		data = g.allocMem(8 * len(args))
		data.size = 8 * len(args)
	}
	for i, a := range args {
		slot := data.sub(8*i, 8)
		if t := g.info.TypeOf(a); t.Kind == lang.KindString {
			// A string may fill its size without a NUL: the kernel reads
			// a copy that ends in one.
			m := g.allocMem(t.Size + 1)
			m.size = t.Size + 1
			g.strTo(a, m.sub(0, t.Size), zeroRest)
			g.zero(m.sub(t.Size, 1))
			g.withTemp(func(t asm.Register) {
				g.addrTo(m, t)
				g.storeScalar(slot, t)
			})
			continue
		}
		g.withReg(func(r asm.Register) {
			g.scalarTo(a, r)
			g.storeScalar(slot, r)
		})
	}
	// The seq_file is the context's meta->seq.
	g.emit(asm.LoadMem(asm.R1, g.ctxReg(), 0, asm.DWord))
	g.emit(asm.LoadMem(asm.R1, asm.R1, 0, asm.DWord))
	g.loadRodata(asm.R2, g.rodata.str(format))
	g.emit(asm.Mov.Imm(asm.R3, int32(len(format)+1)))
	if len(args) > 0 {
		g.addrTo(data, asm.R4)
	} else {
		g.emit(asm.Mov.Imm(asm.R4, 0))
	}
	g.emit(asm.Mov.Imm(asm.R5, int32(8*len(args))))
	g.call(asm.FnSeqPrintf)
}
