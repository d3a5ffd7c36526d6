package runtime

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/kernel"
)

// privilegeHint says which capability the kernel wanted when it refused,
// with EACCES or EPERM, to attach a probe of kind k; "" when that is not
// known. The kernel opens the uprobe perf event (uprobes, uretprobes,
// usdt probes) only for CAP_SYS_ADMIN since 2025 ("perf/core: require
// CAP_SYS_ADMIN for uprobes"): CAP_BPF and CAP_PERFMON, which tracing
// otherwise needs, are not enough.
func privilegeHint(k lang.ProbeKind, err error) string {
	if !errors.Is(err, os.ErrPermission) || kernel.HasCapability(unix.CAP_SYS_ADMIN) {
		return ""
	}
	switch k {
	case lang.ProbeUprobe, lang.ProbeUretprobe, lang.ProbeUsdt:
		return "the kernel attaches uprobes and usdt probes only for CAP_SYS_ADMIN: CAP_BPF and CAP_PERFMON are not enough"
	}
	return ""
}

// withHint gives d the hint, when there is one; d may be nil.
func withHint(d *lang.Diagnostic, hint string) *lang.Diagnostic {
	if d != nil && hint != "" {
		d.Hint = hint
	}
	return d
}
