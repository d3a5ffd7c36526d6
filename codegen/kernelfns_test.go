package codegen_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/internal/golden"

	"github.com/hawktrace/hawk/internal/testenv"
	"github.com/hawktrace/hawk/lang"
)

// TestKernelFnsInitialised runs initcheck over the functions that reach
// into the kernel and need --unsafe: what write_user() writes and what
// signal_thread() and override() take must be set.
func TestKernelFnsInitialised(t *testing.T) {
	scripts := map[string]string{
		"write_user":    `tracepoint:syscalls:sys_enter_openat { $t = ("ab", 1); @ok = write_user(args.filename, "/tmp/x", pid) && write_user(args.filename, $t, 3); }`,
		"signal_thread": `tracepoint:sched:sched_switch { signal_thread("SIGUSR1"); }`,
		"override":      `kprobe:vfs_read { override(-1); }`,
	}
	for name, text := range scripts {
		out, err := generate(testenv.Env{}, name, text, lang.Config{Unsafe: true})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkInit(t, name, out)
	}
}

// TestKernelFnsListing compiles testdata/kernelfns/*.bt, whose programs a
// kernel may refuse (percpu_kaddr needs variables in /proc/kallsyms), so
// that TestVerifierAcceptsScripts does not load them, and compares the
// listings with their .golden files.
func TestKernelFnsListing(t *testing.T) {
	golden.ForEach(t, "testdata/kernelfns/*.bt", func(t *testing.T, file, text string) {
		var b strings.Builder
		codegen.Fprint(&b, compile(t, filepath.Base(file), text))
		golden.Check(t, strings.TrimSuffix(file, ".bt")+".golden", b.String())
	})
}
