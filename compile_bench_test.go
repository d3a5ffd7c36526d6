package hawk_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/internal/testenv"
	"github.com/hawktrace/hawk/lang"
)

// generatedScript returns a script of about lines lines: probes of twenty
// lines each, mixing the language's constructs as real scripts do.
func generatedScript(lines int) string {
	var b strings.Builder
	b.WriteString("config = { max_strlen = 64 }\n")
	b.WriteString("macro clamp(x, hi) { x > hi ? hi : x }\n")
	for i := 0; i < lines/20; i++ {
		fmt.Fprintf(&b, `tracepoint:syscalls:sys_enter_openat /pid != %d/ {
	$f%d = str(args.filename);
	@opens%d[comm, $f%d] = count();
	@bytes%d = sum(args.flags & 0xff);
	@lat%d = hist(nsecs %% 1000);
	let $n: uint32 = (uint32)args.mode;
	if ($n > 10) {
		$n = clamp!($n * 2, 100);
	} else if ($n == 3) {
		$n += 7;
	} else {
		$n = $n << 2;
	}
	for ($i : 0..4) { @loop%d[$i] = $i * $n; }
	@t%d = (pid, comm, $n);
	@r%d = (a = tid, b = "x");
	if (strncmp($f%d, "/etc", 4) == 0) { printf("%%s %%d %%u\n", $f%d, pid, $n); }
	@m%d = max($n);
	@s%d = stats($n);
	unroll(2) { $n++; }
}
`, i, i, i, i, i, i, i, i, i, i, i, i, i)
	}
	return b.String()
}

// BenchmarkCompile2000Lines measures parse, check and code generation of a
// generated 2,000-line script; the target is well under a second.
func BenchmarkCompile2000Lines(b *testing.B) {
	text := generatedScript(2000)
	for b.Loop() {
		if _, err := hawk.Compile(lang.NewSource("big.bt", text), hawk.Config{Env: testenv.Env{}}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestGeneratedScriptCompiles keeps the benchmark's script valid and
// checks that compiling grows linearly, counted in allocations, which do
// not flake as time does: 4x the lines may take at most 6x as many.
func TestGeneratedScriptCompiles(t *testing.T) {
	allocs := func(lines int) float64 {
		text := generatedScript(lines)
		if _, err := hawk.Compile(lang.NewSource("big.bt", text), hawk.Config{Env: testenv.Env{}}); err != nil {
			t.Fatal(err)
		}
		return testing.AllocsPerRun(1, func() {
			hawk.Compile(lang.NewSource("big.bt", text), hawk.Config{Env: testenv.Env{}})
		})
	}
	small, big := allocs(500), allocs(2000)
	if big > 6*small {
		t.Errorf("500 lines: %.0f allocations, 2000 lines: %.0f: more than linear", small, big)
	}
}
