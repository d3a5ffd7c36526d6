package runtime

import (
	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
)

// firesLastAttachedFirst lists the kinds whose programs, attached to one
// event, the kernel runs newest first: kprobes, uprobes, uretprobes,
// usdt probes, fentry, fexit and iterators. The others (kretprobes,
// tracepoints, raw tracepoints, perf events) run in the order attached.
var firesLastAttachedFirst = map[lang.ProbeKind]bool{
	lang.ProbeKprobe: true, lang.ProbeUprobe: true, lang.ProbeUretprobe: true, lang.ProbeUsdt: true,
	lang.ProbeFentry: true, lang.ProbeFexit: true, lang.ProbeIter: true,
}

// attachOrder returns the programs in the order to attach them so that
// the probes of one event run in script order, as in bpftrace: first, in
// script order, those the kernel runs in the order attached; then, in
// reverse script order, those it runs newest first. A syscall tracepoint
// program served from a raw tracepoint runs in the order attached.
func attachOrder(progs []*codegen.ProgramMeta) []*codegen.ProgramMeta {
	order := make([]*codegen.ProgramMeta, 0, len(progs))
	reversed := func(p *codegen.ProgramMeta) bool { return p.RawSyscall == "" && firesLastAttachedFirst[p.Kind] }
	for _, p := range progs {
		if !reversed(p) {
			order = append(order, p)
		}
	}
	for i := len(progs) - 1; i >= 0; i-- {
		if reversed(progs[i]) {
			order = append(order, progs[i])
		}
	}
	return order
}
