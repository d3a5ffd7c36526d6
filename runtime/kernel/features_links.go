package kernel

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/features"
)

// LinkFeatures are the kinds of multi-attach link bpftrace v0.26 reports
// under "Probe types" and --no-feature turns off, by bpftrace's names:
// kprobe_multi (one link for many kprobes, Linux 5.18), uprobe_multi (one
// for many uprobes, 6.6) and kprobe_session (a kprobe and its kretprobe
// as one program, 6.10).
var LinkFeatures = []string{"kprobe_multi", "uprobe_multi", "kprobe_session"}

// linkProbes find out whether the kernel creates each link, by creating
// one (cilium/ebpf's probes).
var linkProbes = map[string]func() error{
	"kprobe_multi":   features.HaveBPFLinkKprobeMulti,
	"uprobe_multi":   features.HaveBPFLinkUprobeMulti,
	"kprobe_session": features.HaveBPFLinkKprobeSession,
}

// WriteLinkFeatures writes the "Probe types" section of --info: whether
// the kernel has each of LinkFeatures, and "no (turned off by
// --no-feature)" for those in off, which hawk does not use.
func WriteLinkFeatures(w io.Writer, off []string) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "\nProbe types")
	for _, name := range LinkFeatures {
		switch err := linkProbes[name](); {
		case slices.Contains(off, name):
			fmt.Fprintf(bw, "  %s: no (turned off by --no-feature)\n", name)
		case err == nil:
			fmt.Fprintf(bw, "  %s: yes\n", name)
		case errors.Is(err, ebpf.ErrNotSupported):
			fmt.Fprintf(bw, "  %s: no (the kernel cannot create the link)\n", name)
		default:
			fmt.Fprintf(bw, "  %s: no (%v)\n", name, err)
		}
	}
	return bw.Flush()
}
