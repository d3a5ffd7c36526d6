package kernel

import (
	"bufio"
	"compress/gzip"
	"io"
	"os"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// IA32Emulation reports whether the kernel may run 32-bit x86 processes
// (CONFIG_IA32_EMULATION), whose syscalls number another table's: only
// then must a program on the raw syscall tracepoints tell them apart.
// The sysctl abi.vsyscall32, which x86-64 kernels have only with IA32
// emulation, says yes at the cost of a stat; else the kernel's
// configuration says, from /proc/config.gz (decompressing it takes about
// half a millisecond) or /boot/config-RELEASE; true when neither can be
// read, and on other machines than x86-64 (whose compat syscalls hawk
// does not serve from the raw tracepoints). Read once per process.
var IA32Emulation = sync.OnceValue(func() bool {
	var uts unix.Utsname
	if unix.Uname(&uts) != nil || unix.ByteSliceToString(uts.Machine[:]) != "x86_64" {
		return true
	}
	if _, err := os.Stat(vsyscall32); err == nil {
		return true
	}
	return configIA32(unix.ByteSliceToString(uts.Release[:]))
})

// vsyscall32 is the sysctl an x86-64 kernel registers only where it
// runs 32-bit processes (arch/x86/entry/vdso/vdso32-setup.c, built with
// CONFIG_IA32_EMULATION).
const vsyscall32 = "/proc/sys/abi/vsyscall32"

// configIA32 reads CONFIG_IA32_EMULATION from the configuration of the
// kernel release: true when it cannot be read.
func configIA32(release string) bool {
	if f, err := os.Open("/proc/config.gz"); err == nil {
		defer f.Close()
		if z, err := gzip.NewReader(f); err == nil {
			return configSays(z, "CONFIG_IA32_EMULATION")
		}
	}
	if f, err := os.Open("/boot/config-" + release); err == nil {
		defer f.Close()
		return configSays(f, "CONFIG_IA32_EMULATION")
	}
	return true
}

// configSays reports whether a kernel configuration sets option to y;
// true when it cannot be read to its end.
func configSays(r io.Reader, option string) bool {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), option+"="); ok {
			return v == "y"
		}
	}
	return sc.Err() != nil
}
