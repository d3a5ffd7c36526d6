package main

import (
	"bytes"
	"strings"
	"testing"
)

// runStreams runs hawk with args and returns its stdout, stderr and exit
// status.
func runStreams(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := hawkCmd(t, args...)
	var out, errw bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errw
	err := cmd.Run()
	return out.String(), errw.String(), exitCode(err)
}

// TestRunTimeMessagesNameStdin: what a running script reports names a
// program given with -e "stdin", as bpftrace's messages do, in text and
// in JSON.
func TestRunTimeMessagesNameStdin(t *testing.T) {
	script := `BEGIN { warnf("low %d", 2); errorf("bad"); exit(); }`
	_, stderr, code := runStreams(t, "-q", "-e", script)
	want := "stdin:1:9-27: WARNING: low 2\nstdin:1:29-42: ERROR: bad\n"
	if code != 0 || stderr != want {
		t.Errorf("exit %d, stderr %q, want %q", code, stderr, want)
	}
	stdout, _, _ := runStreams(t, "-q", "-f", "json", "-e", script)
	if !strings.Contains(stdout, `{"type": "errorf", "msg": "bad", "filename": "stdin", "line": 1, "col": 29}`) {
		t.Errorf("JSON output:\n%s", stdout)
	}
}

// TestNoWarnings: --no-warnings drops the compiler's warnings, warnf()'s
// and the run-time ones, and keeps errors.
func TestNoWarnings(t *testing.T) {
	script := `BEGIN { $z = 0; warnf("no warn"); errorf("an error"); @d = 1 / $z; exit(); @never = 1; }`
	_, stderr, code := runStreams(t, "-q", "--no-warnings", "-e", script)
	if code != 0 || stderr != "stdin:1:35-53: ERROR: an error\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	_, stderr, _ = runStreams(t, "-q", "-e", script)
	for _, want := range []string{"warning: unreachable statement", "WARNING: no warn", "WARNING: Divide or modulo by 0", "ERROR: an error"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("without --no-warnings, stderr lacks %q:\n%s", want, stderr)
		}
	}
	stdout, _, _ := runStreams(t, "-q", "--no-warnings", "-f", "json", "-e", script)
	if strings.Contains(stdout, "warnf") || strings.Contains(stdout, "runtime_error") || !strings.Contains(stdout, `"errorf"`) {
		t.Errorf("JSON output with --no-warnings:\n%s", stdout)
	}
}

// TestParseNoWarnings: --no-warnings is an option, before or after the
// program.
func TestParseNoWarnings(t *testing.T) {
	for _, args := range [][]string{{"--no-warnings", "-e", "BEGIN {}"}, {"-e", "BEGIN {}", "--no-warnings"}} {
		o, err := parseArgs(args)
		if err != nil || !o.noWarnings {
			t.Errorf("parseArgs(%q) = %+v, %v", args, o, err)
		}
	}
}

// TestHelperErrors: with -k, a probe_read that fails is reported once for
// its place, the pointer expression, as bpftrace's helper_error: in text
// "Failed to HELPER: ERROR (CODE)" with the line, in JSON its fields.
// Without -k nothing is said.
func TestHelperErrors(t *testing.T) {
	script := `BEGIN { $i = 0; while ($i < 3) { $x = *(int32 *)16; $i++; } printf("%s|\n", str((int8 *)8)); exit(); }`
	_, stderr, code := runStreams(t, "-q", "-k", "-e", script)
	want := "stdin:1:40-51: WARNING: Failed to probe_read_kernel: Numerical result out of range (-34)\n" + script + "\n" +
		strings.Repeat(" ", 39) + "~~~~~~~~~~~\n" +
		"stdin:1:81-90: WARNING: Failed to probe_read_kernel_str: Numerical result out of range (-34)\n"
	if code != 0 || !strings.HasPrefix(stderr, want) {
		t.Errorf("exit %d, stderr:\n%s\nwant it to begin:\n%s", code, stderr, want)
	}
	stdout, _, _ := runStreams(t, "-q", "-k", "-f", "json", "-e", script)
	if !strings.Contains(stdout, `{"type": "helper_error", "msg": "Numerical result out of range", "helper": "probe_read_kernel", "retcode": -34, "filename": "stdin", "line": 1, "col": 40}`) {
		t.Errorf("JSON:\n%s", stdout)
	}
	if _, stderr, _ := runStreams(t, "-q", "-e", script); strings.Contains(stderr, "Failed to") {
		t.Errorf("without -k:\n%s", stderr)
	}
}
