package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/internal/runtest"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
)

// TestStopDropsQueuedCommands: a stop (Ctrl-C) kills the command
// system() runs and drops those still queued, which a storm of events can
// pile up faster than they run; END still runs. Without it, hawk went on
// running the backlog long after Ctrl-C (bpftrace's "sigint under heavy
// load").
func TestStopDropsQueuedCommands(t *testing.T) {
	script, err := hawk.Compile(lang.NewSource("storm.bt", `
		BEGIN { unroll(100) { system("sleep 0.1; echo ran"); } }
		interval:s:100 { }
		END { system("echo end"); }`), hawk.Config{Unsafe: true})
	if err != nil {
		t.Fatal(err)
	}
	r := runtest.Start(t, script.Out)
	time.Sleep(250 * time.Millisecond) // two or three commands run
	begin := time.Now()
	r.Stop(t)
	took := time.Since(begin)
	out := r.Stdout.String()
	ran := strings.Count(out, "ran\n")
	t.Logf("stopped %v after the stop; %d of 100 commands ran", took.Round(time.Millisecond), ran)
	if took > time.Second || ran > 10 {
		t.Errorf("the stop took %v and %d commands ran", took, ran)
	}
	if !strings.Contains(out, "end\n") {
		t.Errorf("END's command did not run: %q", out)
	}
}

// TestStopBeforeBegin: a context already done runs nothing, and a load
// given up on returns at once.
func TestStopBeforeBegin(t *testing.T) {
	kerneltest.Require(t)
	script, err := hawk.Compile(lang.NewSource("t.bt", `BEGIN { printf("begin\n"); exit(); }`), hawk.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr kerneltest.Buffer
	sess, err := runtime.Load(script.Out, runtime.Options{Stdout: &stdout, Stderr: &stderr})
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if _, err := sess.Run(ctx); !errors.Is(err, context.Canceled) || stdout.String() != "" || stderr.String() != "" {
		t.Errorf("Run with ctx done: %v, stdout %q, stderr %q", err, stdout.String(), stderr.String())
	}
	if _, err := runtime.LoadContext(ctx, script.Out, runtime.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("LoadContext with ctx done: %v", err)
	}
}

// TestLoadContextGivesUp: a load given up on while the kernel verifies a
// program returns at once; the load, left to finish, is closed: its maps
// leave the kernel.
func TestLoadContextGivesUp(t *testing.T) {
	kerneltest.Require(t)
	name := fmt.Sprintf("zq%08x", rand.Uint32())
	var b strings.Builder
	fmt.Fprintf(&b, "BEGIN {\n  @%s = 1;\n  $i = 0;\n", name)
	for j := 0; j < 17; j++ {
		fmt.Fprintf(&b, "  if (nsecs & 1) { $i += %d; }\n", 1<<j)
	}
	b.WriteString("  if ($i == 77) { printf(\"x\\n\"); }\n}\n")
	script, err := hawk.Compile(lang.NewSource("slow.bt", b.String()), hawk.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		sess, err := runtime.LoadContext(ctx, script.Out, runtime.Options{})
		if sess != nil {
			sess.Close()
		}
		done <- err
	}()
	kernelName := "AT_" + name
	deadline := time.Now().Add(20 * time.Second)
	for !mapExists(kernelName) {
		if time.Now().After(deadline) {
			t.Fatalf("no map %s appeared", kernelName)
		}
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // into the verifier's seconds
	begin := time.Now()
	cancel()
	err = <-done
	took := time.Since(begin)
	if !errors.Is(err, context.Canceled) || took > 50*time.Millisecond {
		t.Errorf("LoadContext returned %v %v after the cancel, want context.Canceled at once", err, took)
	}
	for mapExists(kernelName) {
		if time.Now().After(deadline) {
			t.Fatalf("the abandoned load's map %s stayed in the kernel", kernelName)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// mapExists reports whether the kernel has a map of that name.
func mapExists(name string) bool {
	var id ebpf.MapID
	for {
		next, err := ebpf.MapGetNextID(id)
		if err != nil {
			return false
		}
		id = next
		m, err := ebpf.NewMapFromID(id)
		if err != nil {
			continue
		}
		info, err := m.Info()
		m.Close()
		if err == nil && info.Name == name {
			return true
		}
	}
}
