package listing

import (
	"strings"
	"testing"
)

// TestSelfProbes: -l lists self probes when the pattern names the self
// provider, as bpftrace does, and never among the kernel's probes.
func TestSelfProbes(t *testing.T) {
	for _, tc := range []struct{ pattern, want string }{
		{"self:*", "self:signal:SIGUSR1"},
		{"self:signal:SIGUSR*", "self:signal:SIGUSR1"},
		{"self:signal:SIGUSR2", ""},
		{"self:timer:*", ""},
	} {
		lines, err := Lines(tc.pattern, Options{})
		if got := strings.Join(lines, "\n"); err != nil || got != tc.want {
			t.Errorf("-l %s: %q, %v; want %q", tc.pattern, got, err, tc.want)
		}
	}
}
