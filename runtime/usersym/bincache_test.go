package usersym

import (
	"runtime"
	"testing"
	"time"
)

// TestResolverIsCollected checks that the cleanups the binary cache sets
// do not keep a Resolver, and so its binaries, alive.
func TestResolverIsCollected(t *testing.T) {
	freed := make(chan struct{})
	func() {
		pid, _, pc, _ := self(t)
		r := NewResolver()
		if _, ok := r.Resolve(pid, pc); !ok {
			t.Fatal("cannot resolve in the test binary")
		}
		runtime.AddCleanup(r, func(struct{}) { close(freed) }, struct{}{})
	}()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		runtime.GC()
		select {
		case <-freed:
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Error("a Resolver no one refers to was not freed")
}
