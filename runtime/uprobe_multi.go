package runtime

import (
	"errors"
	"io"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/features"
	"github.com/cilium/ebpf/link"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/kernel"
)

// multiUprobe reports whether program p attaches through uprobe_multi
// links, one per binary, rather than a perf event per attach point: a
// uprobe or uretprobe program that serves several functions (a pattern,
// uprobe:/bin/bash:read*), each named by a symbol, on a kernel that has
// uprobe_multi (Linux 6.6), as bpftrace does. Such a program is loaded
// for it (ebpf.AttachTraceUprobeMulti), so the choice is made at load.
func multiUprobe(p *codegen.ProgramMeta) bool {
	if p.Kind != lang.ProbeUprobe && p.Kind != lang.ProbeUretprobe || len(p.Points) < 2 {
		return false
	}
	for _, ap := range p.Points {
		if sym, _ := lang.SplitFunc(ap.Args[1]); sym == "" || !kernel.IsELF(ap.Args[0]) {
			return false
		}
	}
	return features.HaveBPFLinkUprobeMulti() == nil
}

// useUprobeMulti loads the programs multiUprobe chooses for uprobe_multi
// links, and returns their names; none when allowed is false
// (--no-feature uprobe_multi).
func useUprobeMulti(spec *ebpf.CollectionSpec, man *codegen.Manifest, allowed bool) map[string]bool {
	multi := map[string]bool{}
	for _, p := range man.Programs {
		if allowed && multiUprobe(p) {
			spec.Programs[p.Name].AttachType = ebpf.AttachTraceUprobeMulti
			multi[p.Name] = true
		}
	}
	return multi
}

// attachUprobeMulti attaches a program's uprobes with one uprobe_multi
// link for each binary they are in.
func attachUprobeMulti(prog *ebpf.Program, p *codegen.ProgramMeta, t target) (io.Closer, error) {
	var bins []string
	offsets := map[string][]uint64{}
	for _, ap := range p.Points {
		bin, err := kernel.FindBinary(ap.Args[0])
		if err != nil {
			return nil, err
		}
		off, err := uprobeOffset(bin, ap.Args[1])
		if err != nil {
			return nil, err
		}
		if _, ok := offsets[bin]; !ok {
			bins = append(bins, bin)
		}
		offsets[bin] = append(offsets[bin], off)
	}
	var cs closers
	for _, bin := range bins {
		ex, err := link.OpenExecutable(bin)
		if err != nil {
			cs.Close()
			return nil, err
		}
		opts := &link.UprobeMultiOptions{Addresses: offsets[bin], PID: uint32(t.pid)}
		var l link.Link
		if p.Kind == lang.ProbeUretprobe {
			l, err = ex.UretprobeMulti(nil, prog, opts)
		} else {
			l, err = ex.UprobeMulti(nil, prog, opts)
		}
		if err != nil {
			cs.Close()
			return nil, errors.Join(errors.New("attaching "+bin+"'s functions through one uprobe_multi link"), err)
		}
		cs = append(cs, l)
	}
	return cs, nil
}
