package runtime

import (
	"errors"

	"github.com/hawktrace/hawk/runtime/kernel"
)

// kernelSymbols returns the kernel's symbols, nil when they cannot be
// read. The first time they cannot because /proc/kallsyms hides their
// addresses (a container without CAP_SYSLOG), it warns that kernel stacks
// and ksym() print as addresses, unless warnings are off.
func (d *decoder) kernelSymbols() *kernel.Symbols {
	syms, err := kernel.KernelSymbols()
	if errors.Is(err, kernel.ErrKallsymsHidden) && !d.kallsymsWarned {
		d.kallsymsWarned = true
		if !d.s.opts.NoWarnings {
			d.s.warnf("WARNING: kernel stacks and symbols print as addresses: %v", err)
		}
	}
	return syms
}
