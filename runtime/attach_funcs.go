package runtime

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/kernel"
	"github.com/hawktrace/hawk/runtime/tracefs"
)

// attachKprobe attaches a kprobe or kretprobe. A kernel built without
// kprobes, as some are, is said in one line.
func attachKprobe(prog *ebpf.Program, ap *codegen.AttachMeta) (io.Closer, error) {
	sym, off := lang.SplitFunc(ap.Args[0])
	opts := &link.KprobeOptions{Offset: off}
	var l link.Link
	var err error
	if ap.Kind == lang.ProbeKretprobe {
		l, err = link.Kretprobe(sym, prog, opts)
	} else {
		l, err = link.Kprobe(sym, prog, opts)
	}
	if err != nil && !kprobesAvailable() {
		return nil, errors.New("this kernel has no kprobes (no kprobe PMU, no kprobe_events in tracefs); --verify still checks kprobe programs")
	}
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("the kernel has no function %s that can be probed", sym)
	}
	return l, err
}

// kprobesAvailable reports whether the kernel can create kprobes: through
// the kprobe PMU or tracefs's kprobe_events.
func kprobesAvailable() bool {
	if _, err := os.Stat("/sys/bus/event_source/devices/kprobe"); err == nil {
		return true
	}
	_, err := os.Stat(filepath.Join(tracefs.Path, "kprobe_events"))
	return err == nil
}

// attachUprobe attaches a uprobe or uretprobe to a function of a binary or
// library, found by path, in $PATH, or by library name (the checker has
// already resolved it).
func attachUprobe(prog *ebpf.Program, ap *codegen.AttachMeta) (io.Closer, error) {
	bin, err := kernel.FindBinary(ap.Args[0])
	if err != nil {
		return nil, err
	}
	ex, err := link.OpenExecutable(bin)
	if err != nil {
		return nil, err
	}
	sym, off := lang.SplitFunc(ap.Args[1])
	opts := &link.UprobeOptions{Offset: off}
	if sym == "" {
		opts = &link.UprobeOptions{Address: off}
		sym = ap.Args[1]
	}
	if ap.Kind == lang.ProbeUretprobe {
		return ex.Uretprobe(sym, prog, opts)
	}
	return ex.Uprobe(sym, prog, opts)
}
