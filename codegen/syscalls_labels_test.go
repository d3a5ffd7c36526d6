package codegen_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"

	"github.com/hawktrace/hawk/codegen"
)

// TestDispatcherLabels: the labels of a dispatcher's sections start with
// their program's name, as they are made (they used to be renamed after,
// at an allocation per instruction), and are each placed once; a
// section's callback keeps its function name, without the prefix.
func TestDispatcherLabels(t *testing.T) {
	const text = `t:syscalls:sys_enter_openat { for ($i : 0..4) { @a[$i] = count(); } }
		t:syscalls:sys_enter_read { for ($i : 0..4) { @b[$i] = count(); } if (pid > 1) { @c = count(); } }`
	out := generateWith(t, text, codegen.Options{})
	insns := out.Spec.Programs["hawk_se0"].Instructions
	if insns == nil {
		t.Fatalf("no dispatcher: %v", slices.Collect(func(yield func(string) bool) {
			for name := range out.Spec.Programs {
				yield(name)
			}
		}))
	}
	placed := map[string]bool{}
	var funcs []string
	section := ""
	for i := range insns {
		if fn := btf.FuncMetadata(&insns[i]); fn != nil {
			funcs = append(funcs, fn.Name)
			if strings.HasPrefix(fn.Name, "hawk_tp") {
				section = fn.Name
			}
		}
		sym := insns[i].Symbol()
		if sym == "" {
			continue
		}
		if placed[sym] {
			t.Errorf("label %s placed twice", sym)
		}
		placed[sym] = true
		if section != "" && sym != section && !strings.HasPrefix(sym, section+".") {
			t.Errorf("label %s in section %s", sym, section)
		}
	}
	cbs := 0
	for _, name := range funcs {
		if strings.Contains(name, ".") {
			t.Errorf("function %s: a section's prefix in a function's name", name)
		}
		if strings.HasPrefix(name, "hawk_cb") {
			cbs++
		}
	}
	if !slices.Contains(funcs, "hawk_tp0") || !slices.Contains(funcs, "hawk_tp1") || cbs != 2 {
		t.Errorf("functions %v: want hawk_tp0, hawk_tp1 and a callback each", funcs)
	}
}
