package runtime

import (
	"fmt"
	"io"
	"os"
	goruntime "runtime"
	"strconv"
	"strings"
	"unsafe"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// uprobePMU is where the kernel says the type of its uprobe perf events,
// and the bit of perf_event_attr.config that makes one a return probe.
const (
	uprobePMUType   = "/sys/bus/event_source/devices/uprobe/type"
	uprobePMURetBit = "/sys/bus/event_source/devices/uprobe/format/retprobe"
)

// attachFlatUprobe attaches a uprobe at a file offset of a file that is
// not ELF (a flat binary, which only --unsafe probes): cilium's
// Executable reads a target's ELF symbols and takes offset 0 for "no
// address", so hawk opens the kernel's uprobe perf event itself. pid 0
// is every process.
func attachFlatUprobe(prog *ebpf.Program, path string, offset uint64, pid int, ret bool) (io.Closer, error) {
	typ, err := readSysfsInt(uprobePMUType, "")
	if err != nil {
		return nil, fmt.Errorf("uprobes need the kernel's uprobe PMU: %w", err)
	}
	var config uint64
	if ret {
		bit, err := readSysfsInt(uprobePMURetBit, "config:")
		if err != nil {
			return nil, err
		}
		config = 1 << bit
	}
	cpath := append([]byte(path), 0)
	attr := unix.PerfEventAttr{Type: uint32(typ), Config: config, Sample: 1,
		Ext1: uint64(uintptr(unsafe.Pointer(&cpath[0]))), // uprobe_path
		Ext2: offset,                                     // probe_offset
	}
	cpu := -1
	if pid <= 0 {
		pid, cpu = -1, 0
	}
	c, err := perfEvent(prog, &attr, pid, cpu)
	goruntime.KeepAlive(cpath)
	if err != nil {
		return nil, fmt.Errorf("uprobe at offset %#x of %s: %w", offset, path, err)
	}
	return c, nil
}

// readSysfsInt reads a number from a sysfs file, after prefix.
func readSysfsInt(path, prefix string) (uint64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	s := strings.TrimPrefix(strings.TrimSpace(string(b)), prefix)
	return strconv.ParseUint(s, 10, 64)
}
