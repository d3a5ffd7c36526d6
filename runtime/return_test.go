package runtime_test

import (
	"testing"

	"github.com/cilium/ebpf"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/runtime/kernel"
)

// TestProbeReturnValue: `return EXPR;` is the value the probe's program
// returns to the kernel, from the probe's body and from inside a loop;
// a probe that ends otherwise returns 0.
func TestProbeReturnValue(t *testing.T) {
	kerneltest.Require(t)
	env := &kernel.Env{}
	for _, tc := range []struct {
		script string
		want   uint32
	}{
		{`BEGIN { $a = 7; print($a); return $a; }`, 7},
		{`BEGIN { for $i : 0..10 { if ($i == 4) { return $i * 3; } } return 1; }`, 12},
		{`BEGIN { $x = 5; while ($x > 0) { $x--; if ($x == 2) { return $x + 40; } } }`, 42},
		{`BEGIN { if (pid == 0) { return 9; } return; }`, 0},
		{`BEGIN { @n = 1; }`, 0},
	} {
		out := compileFor(t, env, tc.script, codegen.Options{})
		coll, err := ebpf.NewCollection(out.Spec)
		if err != nil {
			t.Fatalf("%s: %v", tc.script, err)
		}
		got, err := coll.Programs[out.Manifest.Programs[0].Name].Run(&ebpf.RunOptions{})
		coll.Close()
		if err != nil || got != tc.want {
			t.Errorf("%s: returned %d (%v), want %d", tc.script, got, err, tc.want)
		}
	}
}
