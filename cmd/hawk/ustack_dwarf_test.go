package main

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/inlineprog"
)

// TestUstackDebugInfo: a user stack of a binary with DWARF prints each
// frame's source file:line and, before a frame in code inlined from
// other functions, a line for each of those, innermost first, as bpftrace
// does with show_debug_info (its default). A uprobe on hawk_leaf, called
// by hawk_target, called from inner, inlined in middle, inlined in outer
// (see inlineprog), takes hawk_leaf, the return address in outer, and
// main. ustack(2) takes two addresses, which print as four lines; perf
// mode names the inlined functions and prints no file:line;
// show_debug_info=0 prints the stack as before; -f json carries the same
// text.
func TestUstackDebugInfo(t *testing.T) {
	for _, pie := range []bool{false, true} {
		t.Run(fmt.Sprintf("pie=%v", pie), func(t *testing.T) {
			var flags []string
			if !pie {
				flags = []string{"-no-pie"}
			}
			prog := inlineprog.ForTest(t, flags...)
			q := regexp.QuoteMeta
			at := func(marker string) string { return q("@"+prog+".c:") + fmt.Sprint(inlineprog.Line(marker)) }
			leaf := `        hawk_leaf\+0` + at("leaf") + "\n"
			inlined := `        \[inlined\] inner` + at("inner") + "\n" +
				`        \[inlined\] middle` + at("middle") + "\n" +
				`        outer\+\d+` + at("outer") + "\n"
			main := `        main\+\d+` + q("@"+prog+".c:") + `\d+` + "\n"
			for _, tc := range []struct {
				name, script string
				args         []string
				want         string
			}{
				{"bpftrace", `printf("%s\n", ustack(3))`, nil, "^\n" + leaf + inlined + main + "\n\n\n$"},
				{"limit", `printf("%s\n", ustack(bpftrace, 2))`, nil, "^\n" + leaf + inlined + "\n\n\n$"},
				{"perf", `printf("%s\n", ustack(perf, 3))`, nil,
					`^\n\t[0-9a-f]+ hawk_leaf\+0 \(` + q(prog) + `\)\n` +
						`\t[0-9a-f]+ inner \(inlined\)\n` +
						`\t[0-9a-f]+ middle \(inlined\)\n` +
						`\t[0-9a-f]+ outer\+\d+ \(` + q(prog) + `\)\n` +
						`\t[0-9a-f]+ main\+\d+ \(` + q(prog) + `\)\n\n\n\n$`},
				{"env perf", `printf("%s\n", ustack(2))`, []string{"BPFTRACE_STACK_MODE=perf"},
					`^\n\t[0-9a-f]+ hawk_leaf\+0 \(` + q(prog) + `\)\n\t[0-9a-f]+ inner \(inlined\)\n` +
						`\t[0-9a-f]+ middle \(inlined\)\n\t[0-9a-f]+ outer\+\d+ \(` + q(prog) + `\)\n\n\n\n$`},
				{"off", `printf("%s\n", ustack(3))`, []string{"BPFTRACE_SHOW_DEBUG_INFO=0"},
					"^\n        hawk_leaf\\+0\n        outer\\+\\d+\n        main\\+\\d+\n\n\n\n$"},
				{"config off", `printf("%s\n", ustack(perf, 2))`, []string{"config"},
					`^\n\t[0-9a-f]+ hawk_leaf\+0 \(` + q(prog) + `\)\n\t[0-9a-f]+ outer\+\d+ \(` + q(prog) + `\)\n\n\n\n$`},
			} {
				t.Run(tc.name, func(t *testing.T) {
					script := "uprobe:" + prog + ":hawk_leaf { " + tc.script + "; exit(); }"
					var env []string
					for _, a := range tc.args {
						if a == "config" {
							script = "config = { show_debug_info = 0 } " + script
						} else {
							env = append(env, a)
						}
					}
					cmd := hawkCmd(t, "-q", "-c", prog+" 0", "-e", script)
					cmd.Env = append(os.Environ(), env...)
					var stdout, stderr bytes.Buffer
					cmd.Stdout, cmd.Stderr = &stdout, &stderr
					err := cmd.Run()
					if code := exitCode(err); code != 0 || !regexp.MustCompile(tc.want).MatchString(stdout.String()) {
						t.Errorf("%s: exit %d\nstdout %q\nwant %q\nstderr:\n%s", script, code, stdout.String(), tc.want, stderr.String())
					}
					checkInlinedAddrs(t, stdout.String())
				})
			}
		})
	}
}

// TestUstackDebugInfoJSON: with -f json a stack is the same text, in a
// JSON string.
func TestUstackDebugInfoJSON(t *testing.T) {
	prog := inlineprog.ForTest(t)
	code, stdout, stderr := hawkOut(t, "-q", "-f", "json", "-c", prog+" 0", "-e",
		"uprobe:"+prog+":hawk_leaf { @s = ustack(2); exit(); }")
	src := fmt.Sprintf("%s.c:%d", prog, inlineprog.Line("inner"))
	if code != 0 || !strings.HasPrefix(stdout, `{"type": "map", "data": {"@s": "\n        hawk_leaf+0@`) ||
		!strings.Contains(stdout, `\n        [inlined] inner@`+src+`\n        [inlined] middle@`) {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// checkInlinedAddrs checks that in a perf mode stack each inlined
// function's line has the address of the frame it is inlined in: the
// next line that is not inlined.
func checkInlinedAddrs(t *testing.T, stack string) {
	t.Helper()
	var pending []string
	for _, line := range strings.Split(stack, "\n") {
		addr, _, ok := strings.Cut(strings.TrimPrefix(line, "\t"), " ")
		if !ok || !strings.HasPrefix(line, "\t") {
			continue
		}
		if strings.HasSuffix(line, " (inlined)") {
			pending = append(pending, addr)
			continue
		}
		for _, a := range pending {
			if a != addr {
				t.Errorf("an inlined function at %s before its frame at %s:\n%s", a, addr, stack)
			}
		}
		pending = nil
	}
}

// TestUstackDebugInfoGo: a Go binary's DWARF (compressed sections, Go's
// own producer) gives its frames' lines too: those of stackProgram
// (workload_test.go), whose main.leaf is on line 6.
func TestUstackDebugInfoGo(t *testing.T) {
	hawkCmd(t) // requires the kernel
	src, bin := buildStackProgram(t)
	code, stdout, stderr := hawkOut(t, "-q", "-c", bin, "-e", "uprobe:"+bin+":main.leaf { printf(\"%s\", ustack(2)); exit(); }")
	q := regexp.QuoteMeta(src)
	want := "^\n        main.leaf\\+0@" + q + ":6\n        main.main\\+\\d+@" + q + ":\\d+\n"
	if code != 0 || !regexp.MustCompile(want).MatchString(stdout) {
		t.Errorf("exit %d\nstdout %q\nwant %q\nstderr:\n%s", code, stdout, want, stderr)
	}
}
