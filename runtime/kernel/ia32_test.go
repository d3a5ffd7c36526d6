package kernel

import (
	"os"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func TestConfigSays(t *testing.T) {
	for _, c := range []struct {
		config string
		want   bool
	}{
		{"CONFIG_X86_64=y\nCONFIG_IA32_EMULATION=y\n", true},
		{"CONFIG_X86_64=y\n# CONFIG_IA32_EMULATION is not set\n", false},
		{"CONFIG_IA32_EMULATION_DEFAULT_DISABLED=y\n", false},
		{"", false},
	} {
		if got := configSays(strings.NewReader(c.config), "CONFIG_IA32_EMULATION"); got != c.want {
			t.Errorf("configSays(%q) = %v, want %v", c.config, got, c.want)
		}
	}
	t.Logf("this kernel: IA32 emulation %v", IA32Emulation())
}

// TestVsyscall32MeansIA32: the sysctl IA32Emulation trusts first exists
// on this kernel exactly when its configuration has IA32 emulation.
func TestVsyscall32MeansIA32(t *testing.T) {
	var uts unix.Utsname
	if err := unix.Uname(&uts); err != nil || unix.ByteSliceToString(uts.Machine[:]) != "x86_64" {
		t.Skip("x86-64 only")
	}
	_, err := os.Stat(vsyscall32)
	if has, want := err == nil, configIA32(unix.ByteSliceToString(uts.Release[:])); has != want {
		t.Errorf("%s exists: %v; the kernel's configuration says IA32 emulation: %v", vsyscall32, has, want)
	}
	if !IA32Emulation() && err == nil {
		t.Errorf("IA32Emulation is false where %s exists", vsyscall32)
	}
}
