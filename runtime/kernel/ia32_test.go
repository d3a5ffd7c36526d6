package kernel

import (
	"strings"
	"testing"
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
