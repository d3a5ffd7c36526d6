package runtime_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
)

// TestOutputBeforeSlowCloses: ending a run, END's output and the maps are
// flushed before the perf-event tracepoints, slow to close (an RCU grace
// period each), are closed; once Run returns nothing of the script is
// attached, and Close leaves nothing loaded. Before, every probe was
// closed, and waited for, before END ran.
func TestOutputBeforeSlowCloses(t *testing.T) {
	kerneltest.Require(t)
	script, err := hawk.Compile(lang.NewSource("slow.bt", `
		BEGIN { @b = 1; }
		tracepoint:sched:sched_switch { @n = count(); }
		tracepoint:syscalls:sys_enter_getppid { @g = count(); }
		interval:ms:1 { @i = count(); }
		END { printf("end\n"); }`), hawk.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr kerneltest.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var atClosing string
	var linkedAtClosing []link.Type
	var sess *runtime.Session
	sess, err = runtime.Load(script.Out, runtime.Options{
		Stdout: &stdout, Stderr: &stderr,
		Attached: cancel,
		Closing: func() {
			atClosing = stdout.String()
			linkedAtClosing = linkTypes(t, sess.ProgramIDs())
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ids := sess.ProgramIDs()
	if _, err := sess.Run(ctx); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"end\n", "@b: 1\n"} {
		if !strings.Contains(atClosing, want) {
			t.Errorf("output when the slow closes begin lacks %q: %q", want, atClosing)
		}
	}
	// The perf-event tracepoint is still attached then; the interval's
	// perf event (disabled) and the BTF raw tracepoint of the syscall are
	// not slow to close, and were closed at the stop.
	if len(linkedAtClosing) > 0 {
		t.Errorf("links of the script when the output is out: %v", linkedAtClosing)
	}
	if left := linkTypes(t, ids); len(left) > 0 {
		t.Errorf("links of the script once Run returned: %v", left)
	}
	sess.Close()
	kerneltest.AssertUnloaded(t, ids)
}

// linkTypes returns the types of the links in the kernel to the programs
// ids.
func linkTypes(t *testing.T, ids []ebpf.ProgramID) []link.Type {
	var types []link.Type
	var it link.Iterator
	defer it.Close()
	for it.Next() {
		info, err := it.Link.Info()
		if err != nil {
			continue
		}
		if slices.Contains(ids, info.Program) {
			types = append(types, info.Type)
		}
	}
	if err := it.Err(); err != nil {
		t.Error(err)
	}
	return types
}
