package codegen_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cilium/ebpf/asm"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/internal/testenv"
	"github.com/hawktrace/hawk/lang"
)

// TestFarRecordOffsets: a printf record larger than 32 KiB is written
// through a pointer moved along it, not at an offset that wraps past 16
// bits.
func TestFarRecordOffsets(t *testing.T) {
	text := "config = { max_strlen = 1024 }\ntracepoint:syscalls:sys_enter_openat { $s = str(args->filename);\n  printf(\"" +
		strings.Repeat("%s ", 40) + "\\n\"" + strings.Repeat(", $s", 40) + "); }\n"
	out := compile(t, "-e", text)
	for name, p := range out.Spec.Programs {
		for i, in := range p.Instructions {
			cls := in.OpCode.Class()
			if (cls == asm.LdXClass || cls == asm.StClass || cls == asm.StXClass) && in.Dst != asm.RFP && in.Src != asm.RFP && in.Offset < 0 {
				t.Fatalf("%s: instruction %d, %v, reaches back from a pointer into a record", name, i, in)
			}
		}
	}
}

// TestScratchLimit: a probe whose values need more scratch memory than
// hawk gives a program (MaxScratchRegions per-CPU map values) is refused
// at compile time, at the probe.
func TestScratchLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("BEGIN {\n")
	for i := range 300 {
		fmt.Fprintf(&b, "  $s%d = \"%s\";\n", i, strings.Repeat("v", 1000))
	}
	b.WriteString("}\n")
	prog, err := lang.Parse(lang.NewSource("-e", b.String()))
	if err != nil {
		t.Fatal(err)
	}
	info, err := lang.Check(prog, testenv.Env{}, lang.Config{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = codegen.Generate(prog, info, codegen.Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "-e:1:1: error: this probe needs ") ||
		!strings.Contains(err.Error(), " bytes of per-CPU scratch memory, more than hawk's 262144\n") {
		t.Errorf("got %v", err)
	}
}
