package kernel

import "testing"

// TestEffectiveCaps: capget's effective set is the one /proc/self/status
// shows.
func TestEffectiveCaps(t *testing.T) {
	if got, want := effectiveCaps(), statusCaps(); got != want {
		t.Errorf("capget says %#x, /proc/self/status %#x", got, want)
	}
}
