package runtime_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/internal/runtest"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
	"github.com/hawktrace/hawk/runtime/output"
)

// TestReadMapWhileRunning: maps read from other goroutines while the
// script runs and prints, as a metrics scrape or the Go API reads them,
// give values that only grow, decoded as print() shows them; the run's
// own output is unharmed, and a closed session says so.
func TestReadMapWhileRunning(t *testing.T) {
	script, err := hawk.Compile(lang.NewSource("snap.bt", `
		interval:ms:1 { @n = count(); @h = hist(5); @s[comm, 1] = sum(2); printf("tick %s\n", comm); }`), hawk.Config{})
	if err != nil {
		t.Fatal(err)
	}
	r := runtest.Start(t, script.Out)
	if got := r.Sess.MapNames(); len(got) != 3 || got[0] != "@h" || got[1] != "@n" || got[2] != "@s" {
		t.Errorf("MapNames() = %q, want [@h @n @s]", got)
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var last uint64
			for i := 0; i < 50; i++ {
				v, err := r.Sess.ReadMap("@n")
				if err != nil {
					t.Errorf("ReadMap(@n): %v", err)
					return
				}
				if v != nil {
					if v.Kind != output.Uint || v.U < last {
						t.Errorf("@n read %+v after %d", *v, last)
						return
					}
					last = v.U
				}
				if s, err := r.Sess.ReadMap("@s"); err != nil || (s != nil && (s.Kind != output.Map || len(s.Entries) == 0 || s.Entries[0].Key.Kind != output.Tuple)) {
					t.Errorf("ReadMap(@s) = %+v, %v", s, err)
					return
				}
				time.Sleep(2 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	h, err := r.Sess.ReadMap("@h")
	if err != nil || h == nil || h.Kind != output.Hist || len(h.Rows) == 0 {
		t.Errorf("ReadMap(@h) = %+v, %v", h, err)
	}
	if _, err := r.Sess.ReadMap("@nope"); err == nil {
		t.Error("ReadMap(@nope) gave no error")
	}
	r.Stop(t)
	if out := r.Stdout.String(); len(out) < 5 || out[:5] != "tick " {
		t.Errorf("stdout begins %q", out[:min(len(out), 40)])
	}
	r.Sess.Close()
	if _, err := r.Sess.ReadMap("@n"); !errors.Is(err, runtime.ErrClosed) {
		t.Errorf("ReadMap after Close: %v, want ErrClosed", err)
	}
}
