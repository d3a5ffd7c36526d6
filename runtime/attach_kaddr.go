package runtime

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// kprobePMU is where the kernel describes its kprobe perf event type.
const kprobePMU = "/sys/bus/event_source/devices/kprobe"

// kprobeAtAddress attaches prog to a kprobe (or a kretprobe) at a kernel
// address, kprobe:0xADDR: a perf event of the kprobe PMU whose config2
// is the address and config1 (the function's name) empty, as bpftrace
// opens it.
func kprobeAtAddress(prog *ebpf.Program, addr uint64, ret bool) (io.Closer, error) {
	b, err := os.ReadFile(kprobePMU + "/type")
	if err != nil {
		return nil, fmt.Errorf("a kprobe at an address needs the kernel's kprobe PMU: %w", err)
	}
	typ, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 32)
	if err != nil {
		return nil, fmt.Errorf("reading %s/type: %w", kprobePMU, err)
	}
	attr := unix.PerfEventAttr{Type: uint32(typ), Sample: 1, Wakeup: 1, Ext2: addr}
	if ret {
		bit, err := retprobeBit()
		if err != nil {
			return nil, err
		}
		attr.Config |= 1 << bit
	}
	c, err := perfEvent(prog, &attr, -1, 0)
	if err != nil {
		return nil, fmt.Errorf("no kprobe at 0x%x: %w", addr, err)
	}
	return c, nil
}

// retprobeBit reads which bit of config makes a kprobe PMU event a
// return probe ("config:0").
func retprobeBit() (uint, error) {
	b, err := os.ReadFile(kprobePMU + "/format/retprobe")
	if err != nil {
		return 0, fmt.Errorf("a kretprobe at an address needs the kprobe PMU's retprobe format: %w", err)
	}
	field, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "config:")
	n, err := strconv.ParseUint(field, 10, 6)
	if !ok || err != nil {
		return 0, fmt.Errorf("cannot read %s/format/retprobe %q", kprobePMU, b)
	}
	return uint(n), nil
}
