package codegen

import (
	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"

	"github.com/hawktrace/hawk/lang"
)

// kindCode is how programs of a probe kind are built: the kernel program
// type, the attach type the kernel checks at load time, and the prefix of
// their names.
type kindCode struct {
	short  string
	prog   ebpf.ProgramType
	attach ebpf.AttachType
	// pidFilter says the program itself must check the process under -p:
	// the kernel cannot attach it to one process.
	pidFilter bool
}

// kindCodes has an entry for every probe kind. BEGIN and END are raw
// tracepoint programs that the runtime runs with BPF_PROG_TEST_RUN;
// interval, profile, software, hardware and watchpoint probes are perf
// event programs; fentry, fexit and iter are tracing programs bound at
// load time to their BTF target.
var kindCodes = map[lang.ProbeKind]kindCode{
	lang.ProbeBegin:         {short: "begin", prog: ebpf.RawTracepoint},
	lang.ProbeEnd:           {short: "end", prog: ebpf.RawTracepoint},
	lang.ProbeInterval:      {short: "iv", prog: ebpf.PerfEvent},
	lang.ProbeProfile:       {short: "pf", prog: ebpf.PerfEvent},
	lang.ProbeSoftware:      {short: "sw", prog: ebpf.PerfEvent},
	lang.ProbeHardware:      {short: "hw", prog: ebpf.PerfEvent},
	lang.ProbeWatchpoint:    {short: "wp", prog: ebpf.PerfEvent},
	lang.ProbeTracepoint:    {short: "tp", prog: ebpf.TracePoint, pidFilter: true},
	lang.ProbeRawtracepoint: {short: "rt", prog: ebpf.RawTracepoint, pidFilter: true},
	lang.ProbeKprobe:        {short: "kp", prog: ebpf.Kprobe, pidFilter: true},
	lang.ProbeKretprobe:     {short: "kr", prog: ebpf.Kprobe, pidFilter: true},
	lang.ProbeFentry:        {short: "fe", prog: ebpf.Tracing, attach: ebpf.AttachTraceFEntry, pidFilter: true},
	lang.ProbeFexit:         {short: "fx", prog: ebpf.Tracing, attach: ebpf.AttachTraceFExit, pidFilter: true},
	lang.ProbeUprobe:        {short: "up", prog: ebpf.Kprobe},
	lang.ProbeUretprobe:     {short: "ur", prog: ebpf.Kprobe},
	lang.ProbeUsdt:          {short: "ud", prog: ebpf.Kprobe},
	lang.ProbeIter:          {short: "it", prog: ebpf.Tracing, attach: ebpf.AttachTraceIter},
	// The runtime's own probes. It runs them with BPF_PROG_TEST_RUN:
	// self probes as BEGIN; test and bench probes as XDP programs, the
	// type whose test runs repeat and time themselves; BPF_XDP is the
	// attach type an object's "xdp" section reads back as.
	lang.ProbeSelf:  {short: "self", prog: ebpf.RawTracepoint},
	lang.ProbeTest:  {short: "test", prog: ebpf.XDP, attach: ebpf.AttachXDP},
	lang.ProbeBench: {short: "bench", prog: ebpf.XDP, attach: ebpf.AttachXDP},
}

// ProgramType returns the kernel program type probes of kind k compile
// to, and whether codegen knows the kind.
func ProgramType(k lang.ProbeKind) (ebpf.ProgramType, bool) {
	c, ok := kindCodes[k]
	return c.prog, ok
}

// programSpec makes the spec of a program serving a group of attach
// points of one kind: tracing programs name their target, which the
// kernel resolves in its BTF at load time; syscall tracepoints served
// from sys_enter or sys_exit are raw tracepoint programs (syscalls.go),
// whose AttachTo only names their tracepoint, or tp_btf ones when they
// call kfuncs.
// The program's license is the license setting's.
func programSpec(name string, grp programGroup, insns asm.Instructions, license string) *ebpf.ProgramSpec {
	ap := grp.aps[0]
	kc := kindCodes[ap.Kind]
	spec := &ebpf.ProgramSpec{Name: name, Type: kc.prog, AttachType: kc.attach, Instructions: insns, License: license}
	switch {
	case grp.raw != nil && grp.raw.btf:
		spec.Type, spec.AttachType, spec.AttachTo = ebpf.Tracing, ebpf.AttachTraceRawTp, grp.raw.tracepoint()
	case grp.raw != nil:
		spec.Type, spec.AttachType, spec.AttachTo = ebpf.RawTracepoint, ebpf.AttachNone, grp.raw.tracepoint()
	case grp.btf:
		spec.Type, spec.AttachType, spec.AttachTo = ebpf.Tracing, ebpf.AttachTraceRawTp, ap.Args[len(ap.Args)-1]
	case ap.Kind == lang.ProbeIter:
		spec.AttachTo = ap.Args[0] // iter:NAME[:PIN]
	case kc.prog == ebpf.Tracing:
		spec.AttachTo = ap.Args[len(ap.Args)-1]
	}
	return spec
}

// kindPrologue emits the checks a kind makes before the probe's body,
// while R1 still holds the context: an iterator's last call has no
// object, a raw syscall program serves some syscalls only, and under -p
// the probes the kernel cannot attach to one process return early for
// others. A probe that does nothing needs none: it is `r0 = 0; exit`, as
// bpftrace's.
func (g *gen) kindPrologue() {
	if g.noEffects() {
		return // nothing to filter
	}
	if g.kind == lang.ProbeIter {
		// Every bpf_iter__NAME context has its meta first, its object next.
		g.emit(asm.LoadMem(asm.R0, asm.R1, 8, asm.DWord))
		g.emit(asm.JEq.Imm(asm.R0, 0, g.exit))
	}
	if g.raw != nil {
		g.rawSyscallPrologue()
	}
	if g.opts.PidFilter && kindCodes[g.kind].pidFilter {
		g.call(asm.FnGetCurrentPidTgid)
		g.emit(asm.RSh.Imm(asm.R0, 32))
		g.loadRodata(asm.R1, RodataTargetPidOffset)
		g.emit(asm.LoadMem(asm.R1, asm.R1, 0, asm.DWord))
		// No target (an --emit-elf object run without -p): every process.
		skip := asm.JEq.Imm(asm.R1, 0, "")
		skip.Offset = 1 // over the next jump
		g.emit(skip, asm.JNE.Reg(asm.R0, asm.R1, g.exit))
	}
}

// countHit adds one to the program's slot of the hits map, once the
// predicate passed: a hit is a run of the probe's action.
func (g *gen) countHit() {
	done := g.newLabel("hit")
	g.emit(asm.StoreImm(asm.RFP, int16(g.hitSlot), int64(g.index), asm.Word))
	g.emit(asm.LoadMapPtr(asm.R1, 0).WithReference(hitsMapName))
	g.emit(asm.Mov.Reg(asm.R2, asm.RFP), asm.Add.Imm(asm.R2, int32(g.hitSlot)))
	g.call(asm.FnMapLookupElem)
	g.emit(asm.JEq.Imm(asm.R0, 0, done))
	g.emit(asm.LoadMem(asm.R1, asm.R0, 0, asm.DWord), asm.Add.Imm(asm.R1, 1), asm.StoreMem(asm.R0, 0, asm.R1, asm.DWord))
	g.place(done)
}

// noEffects reports whether the probe does nothing when it fires: no
// predicate, no statement, no hit to count. Its program needs no filter.
func (g *gen) noEffects() bool {
	return g.probe.Pred == nil && len(g.probe.Body.Stmts) == 0 && !g.opts.CountHits
}
