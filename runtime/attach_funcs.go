package runtime

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/kernel"
	"github.com/hawktrace/hawk/runtime/usersym"
)

// attachKprobe attaches a kprobe or kretprobe. A kernel built without
// kprobes, as some are, is said in one line.
func attachKprobe(prog *ebpf.Program, ap *codegen.AttachMeta, _ target) (io.Closer, error) {
	sym, off := lang.SplitFunc(ap.Args[len(ap.Args)-1])
	opts := &link.KprobeOptions{Offset: off}
	var l io.Closer
	var err error
	switch {
	case sym == "":
		l, err = kprobeAtAddress(prog, off, ap.Kind == lang.ProbeKretprobe)
	case ap.Kind == lang.ProbeKretprobe:
		l, err = link.Kretprobe(sym, prog, opts)
	default:
		l, err = link.Kprobe(sym, prog, opts)
	}
	if err != nil && !kernel.KprobesAvailable() {
		return nil, errors.New("this kernel has no kprobes (no kprobe PMU, no kprobe_events in tracefs); --verify still checks kprobe programs")
	}
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("the kernel has no function %s that can be probed", sym)
	}
	return l, err
}

// attachUprobe attaches a uprobe or uretprobe to a function of a binary or
// library, found by path, in $PATH, or by library name (the checker has
// already resolved it and checked that the offset is in the function).
func attachUprobe(prog *ebpf.Program, ap *codegen.AttachMeta, t target) (io.Closer, error) {
	bin, err := kernel.FindBinary(ap.Args[0])
	if err != nil {
		return nil, err
	}
	fileOff, err := uprobeOffset(bin, ap.Args[1])
	if err != nil {
		return nil, err
	}
	if !kernel.IsELF(bin) {
		return attachFlatUprobe(prog, bin, fileOff, t.pid, ap.Kind == lang.ProbeUretprobe)
	}
	ex, err := link.OpenExecutable(bin)
	if err != nil {
		return nil, err
	}
	opts := &link.UprobeOptions{Address: fileOff, PID: t.pid}
	if ap.Kind == lang.ProbeUretprobe {
		return ex.Uretprobe(ap.Args[1], prog, opts)
	}
	return ex.Uprobe(ap.Args[1], prog, opts)
}

// uprobeOffset is the file offset of a uprobe at fn in bin: SYMBOL,
// SYMBOL+OFFSET or an address, which is a virtual address as nm prints
// it, except in a file that is not ELF (a flat binary, which only
// --unsafe probes), where it is the offset itself.
func uprobeOffset(bin, fn string) (uint64, error) {
	sym, off := lang.SplitFunc(fn)
	if sym == "" && !kernel.IsELF(bin) {
		return off, nil
	}
	addr := off
	if sym != "" {
		value, _, err := usersym.SymbolAddress(bin, sym)
		if err != nil {
			return 0, err
		}
		addr += value
	}
	return usersym.AddressOffset(bin, addr)
}

func openExecutable(name string) (*link.Executable, error) {
	bin, err := kernel.FindBinary(name)
	if err != nil {
		return nil, err
	}
	return link.OpenExecutable(bin)
}

// attachUsdt attaches a uprobe at every site of a usdt probe. A site with
// a semaphore has the kernel count it up while attached, so the
// program's guarded probes fire.
func attachUsdt(prog *ebpf.Program, ap *codegen.AttachMeta, t target) (io.Closer, error) {
	var cs closers
	for _, site := range ap.USDT {
		ex, err := openExecutable(site.Path)
		if err != nil {
			cs.Close()
			return nil, err
		}
		l, err := ex.Uprobe("", prog, &link.UprobeOptions{Address: site.Offset, RefCtrOffset: site.SemaphoreOffset, PID: t.pid})
		if err != nil {
			cs.Close()
			return nil, err
		}
		cs = append(cs, l)
	}
	return cs, nil
}
