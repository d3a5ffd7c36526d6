package runtime

import (
	"os"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/features"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/kernel"
)

// TestUseUprobeMulti: a program serving several functions of a binary is
// loaded for uprobe_multi where the kernel has it, unless --no-feature
// uprobe_multi (Options.NoUprobeMulti) says not to; one function alone,
// or an address, keeps a perf event.
func TestUseUprobeMulti(t *testing.T) {
	kerneltest.Require(t)
	if err := features.HaveBPFLinkUprobeMulti(); err != nil {
		kerneltest.Missing(t, "the kernel has no uprobe_multi links: %v", err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin, err := kernel.FindBinary(self)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		script  string
		allowed bool
		multi   bool
	}{
		{"uprobe:" + bin + ":main.main, uprobe:" + bin + ":runtime.main { }", true, true},
		{"uprobe:" + bin + ":main.main, uprobe:" + bin + ":runtime.main { }", false, false},
		{"uprobe:" + bin + ":main.main { }", true, false},
	} {
		out := compileUprobes(t, tc.script)
		spec := out.Spec.Copy()
		multi := useUprobeMulti(spec, out.Manifest, tc.allowed)
		p := out.Manifest.Programs[0]
		if got := spec.Programs[p.Name].AttachType == ebpf.AttachTraceUprobeMulti; multi[p.Name] != tc.multi || got != tc.multi {
			t.Errorf("%s (allowed %v): multi %v, attach type %v; want multi %v", tc.script, tc.allowed, multi[p.Name], spec.Programs[p.Name].AttachType, tc.multi)
		}
	}
}

// compileUprobes compiles a script for this machine.
func compileUprobes(t *testing.T, text string) *codegen.Output {
	t.Helper()
	prog, err := lang.Parse(lang.NewSource("-e", text))
	if err != nil {
		t.Fatal(err)
	}
	info, err := lang.Check(prog, &kernel.Env{}, lang.Config{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := codegen.Generate(prog, info, codegen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
