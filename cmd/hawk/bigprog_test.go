package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/internal/bigscript"
	"github.com/hawktrace/hawk/internal/kerneltest"
)

// TestFarJumpsRun: programs whose jumps reach further than 16 bits (an if
// with thousands of else-ifs, a ?: ten thousand deep, an if around code
// the kernel's inlining stretches past 16 bits) load and take the branch
// that $a, known only when the program runs, selects.
func TestFarJumpsRun(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"4000 branches", bigscript.IfChain(4000, 3999), "branch 3999\n"},
		{"10000 branches", bigscript.IfChain(10000, 9998), "branch 9998\n"},
		{"10000-deep ?:", bigscript.CondChain(10000, 9999), "99990\n"},
		{"inlined lookups", bigscript.Inlined(2450), "2450\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			script := filepath.Join(t.TempDir(), "big.bt")
			if err := os.WriteFile(script, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			cmd := hawkCmd(t, "-v", script)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			// -v says how large the program is and how much the verifier
			// did.
			t.Logf("%s in %v; %s", tc.name, time.Since(start).Round(time.Millisecond), loadedLine(stderr.String()))
			if code := exitCode(err); code != 0 || !strings.HasPrefix(string(out), tc.want) || strings.Count(string(out), "\n") > 6 {
				t.Errorf("code %d\nstdout %.300q\nstderr %.2000s", code, out, stderr.String())
			}
		})
	}
}

// loadedLine is what -v says about the loaded program.
func loadedLine(stderr string) string {
	for _, line := range strings.Split(stderr, "\n") {
		if strings.Contains(line, "loaded with id") {
			return line
		}
	}
	return "(no program loaded)"
}

// TestProgramTooLarge: a probe past the kernel's million instructions is
// refused at compile time, at the probe, saying how large it was when
// compiling stopped.
func TestProgramTooLarge(t *testing.T) {
	text := "BEGIN { $i = 0; unroll(100) { unroll(100) { unroll(100) { $i += 1; @x[$i] = $i; } } } }"
	stdout, stderr, code := hawkRun("", "-e", text)
	prefix := "-e:1:1: error: program too large (over "
	if code != 1 || stdout != "" || !strings.HasPrefix(stderr, prefix) {
		t.Fatalf("code %d\nstdout %q\nstderr %.500q", code, stdout, stderr)
	}
	n, rest, _ := strings.Cut(stderr[len(prefix):], " ")
	if count, err := strconv.Atoi(n); err != nil || count <= 1_000_000 ||
		!strings.HasPrefix(rest, "instructions, limit 1000000)\n    "+text+"\n    ^~~~~\n") {
		t.Errorf("stderr %.500q", stderr)
	}
}

// TestMostCallbacksRun: a probe with as many loops as the kernel takes
// callbacks (codegen.MaxFuncs, the program included) loads and runs.
func TestMostCallbacksRun(t *testing.T) {
	var b strings.Builder
	b.WriteString("BEGIN { $i = 0;")
	for k := 1; k < codegen.MaxFuncs; k++ {
		fmt.Fprintf(&b, " while ($i < %d) { $i++; }", k)
	}
	b.WriteString(` printf("%d\n", $i); exit(); }`)
	stdout, stderr, code := hawkRun("", "-q", "-e", b.String())
	if want := strconv.Itoa(codegen.MaxFuncs-1) + "\n\n\n"; code != 0 || stdout != want {
		t.Errorf("code %d\nstdout %q, want %q\nstderr %.500s", code, stdout, want, stderr)
	}
}

// TestFarRecordRun: a printf record larger than 32 KiB, whose fields lie
// further than a 16-bit offset reaches, is written whole.
func TestFarRecordRun(t *testing.T) {
	script := "config = { max_strlen = 1024 }\ntracepoint:syscalls:sys_enter_openat /pid == cpid/ { $s = str(args->filename);\n  printf(\"" +
		strings.Repeat("%s ", 40) + "\\n\"" + strings.Repeat(", $s", 40) + "); exit(); }\n"
	cmd := hawkCmd(t, "-e", script, "-c", "/bin/cat /dev/null")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	line, _, _ := strings.Cut(string(out), "\n")
	fields := strings.Fields(line)
	if exitCode(err) != 0 || len(fields) != 40 || fields[0] == "" || strings.Count(line, fields[0]) != 40 {
		t.Errorf("code %d\nstdout %.500q\nstderr %.1000s", exitCode(err), out, stderr.String())
	}
}

// TestMostMapsRun: the most maps hawk lets a probe use load and run (the
// kernel takes 64 per program, hawk's own among them), and one more is
// refused at the probe, before the kernel sees it.
func TestMostMapsRun(t *testing.T) {
	most := 0
	for n := codegen.MaxMaps; n > 0 && most == 0; n-- {
		cmd := hawkCmd(t, "-e", bigscript.ManyMaps(n))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		switch {
		case exitCode(err) == 0:
			if !strings.HasPrefix(string(out), fmt.Sprintf("%d\n", n-1)) {
				t.Errorf("%d maps: output %.200q", n, out)
			}
			most = n
		case !strings.HasPrefix(stderr.String(), "-e:1:1: error: this probe uses"):
			t.Fatalf("%d maps: %v\n%.2000s", n, err, stderr.String())
		}
	}
	if most < codegen.MaxMaps-4 {
		t.Errorf("only %d maps run", most)
	}
}

// TestVerifierRefusalPositioned: a program the kernel's verifier refuses
// (here, too many paths to follow) is reported at the statement it
// stopped at, as the checker reports a mistake: file:line:col, the line,
// a caret, then the verifier's last words; exit status 2.
func TestVerifierRefusalPositioned(t *testing.T) {
	kerneltest.Require(t)
	text := `BEGIN { $x = 0; unroll(30) { if (rand % 2) { $x = $x * 2 + 1; } else { $x = $x * 2; } if ($x == 7) { printf("seven\n"); } } }`
	stdout, stderr, code := hawkRun("", "-e", text)
	want := "-e:1:46: error: the kernel refused the program for BEGIN\n    " + text + "\n" +
		strings.Repeat(" ", 4+45) + "^~~~~~~~~~~~~~~\n  verifier: BPF program is too large."
	if code != 2 || stdout != "" || !strings.HasPrefix(stderr, want) || !strings.HasSuffix(stderr, "(run with -v for the full verifier log)\n") {
		t.Errorf("code %d\nstdout %q\nstderr %s\nwant %s", code, stdout, stderr, want)
	}
}
