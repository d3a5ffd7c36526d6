package object

import (
	"fmt"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// secDef is a libbpf section prefix and the program type, attach type and
// flags that cilium/ebpf and libbpf read from it.
type secDef struct {
	prefix string
	typ    ebpf.ProgramType
	attach ebpf.AttachType
	flags  uint32
	// target says the prefix may carry an attach target after a slash
	// (libbpf's "+" patterns).
	target bool
}

// secDefs are the section prefixes hawk writes, the default one of each
// program type first. Each entry is checked against cilium/ebpf's reader
// by a test.
var secDefs = []secDef{
	{"kprobe", ebpf.Kprobe, ebpf.AttachNone, 0, true},
	{"kretprobe", ebpf.Kprobe, ebpf.AttachNone, 0, true},
	{"uprobe", ebpf.Kprobe, ebpf.AttachNone, 0, true},
	{"uretprobe", ebpf.Kprobe, ebpf.AttachNone, 0, true},
	{"usdt", ebpf.Kprobe, ebpf.AttachNone, 0, true},
	{"uprobe.s", ebpf.Kprobe, ebpf.AttachNone, unix.BPF_F_SLEEPABLE, true},
	{"uretprobe.s", ebpf.Kprobe, ebpf.AttachNone, unix.BPF_F_SLEEPABLE, true},
	{"kprobe.multi", ebpf.Kprobe, ebpf.AttachTraceKprobeMulti, 0, true},
	{"kretprobe.multi", ebpf.Kprobe, ebpf.AttachTraceKprobeMulti, 0, true},
	{"uprobe.multi", ebpf.Kprobe, ebpf.AttachTraceUprobeMulti, 0, true},
	{"uretprobe.multi", ebpf.Kprobe, ebpf.AttachTraceUprobeMulti, 0, true},
	{"tracepoint", ebpf.TracePoint, ebpf.AttachNone, 0, true},
	{"raw_tracepoint", ebpf.RawTracepoint, ebpf.AttachNone, 0, true},
	{"raw_tracepoint.w", ebpf.RawTracepointWritable, ebpf.AttachNone, 0, true},
	{"perf_event", ebpf.PerfEvent, ebpf.AttachNone, 0, false},
	{"tp_btf", ebpf.Tracing, ebpf.AttachTraceRawTp, 0, true},
	{"fentry", ebpf.Tracing, ebpf.AttachTraceFEntry, 0, true},
	{"fexit", ebpf.Tracing, ebpf.AttachTraceFExit, 0, true},
	{"fentry.s", ebpf.Tracing, ebpf.AttachTraceFEntry, unix.BPF_F_SLEEPABLE, true},
	{"fexit.s", ebpf.Tracing, ebpf.AttachTraceFExit, unix.BPF_F_SLEEPABLE, true},
	{"iter", ebpf.Tracing, ebpf.AttachTraceIter, 0, true},
	{"iter.s", ebpf.Tracing, ebpf.AttachTraceIter, unix.BPF_F_SLEEPABLE, true},
	{"lsm", ebpf.LSM, ebpf.AttachLSMMac, 0, true},
	{"lsm.s", ebpf.LSM, ebpf.AttachLSMMac, unix.BPF_F_SLEEPABLE, true},
	// test: and bench: probes, which the runtime runs with
	// BPF_PROG_TEST_RUN.
	{"xdp", ebpf.XDP, ebpf.AttachXDP, 0, false},
}

// sectionName is the name of the section that makes a loader read p's
// program type, attach type, flags and attach target back. kind, the
// program's probe kind ("uprobe"), picks among the prefixes that mean the
// same; any other kind ("BEGIN", "interval") gets the default.
func sectionName(p *ebpf.ProgramSpec, kind string) (string, error) {
	var def *secDef
	for i := range secDefs {
		d := &secDefs[i]
		if d.typ != p.Type || d.attach != p.AttachType || d.flags != p.Flags {
			continue
		}
		if def == nil || d.prefix == kind {
			def = d
		}
	}
	if def == nil {
		return "", fmt.Errorf("program %s: no ELF section name reads back as program type %s, attach type %s and flags %#x",
			p.Name, p.Type, p.AttachType, p.Flags)
	}
	if p.AttachTo == "" {
		return def.prefix, nil
	}
	if !def.target {
		return "", fmt.Errorf("program %s: a %q section cannot carry the attach target %q", p.Name, def.prefix, p.AttachTo)
	}
	return def.prefix + "/" + p.AttachTo, nil
}
