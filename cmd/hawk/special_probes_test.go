package main

import (
	"bytes"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// TestSelfSignal: self:signal:SIGUSR1 probes run, in script order, each
// time hawk receives SIGUSR1 once attached, and count in the banner.
func TestSelfSignal(t *testing.T) {
	cmd := hawkCmd(t, "-e", `self:signal:SIGUSR1 { @n = count(); printf("first"); } self:signal:SIGUSR1 { printf(" second\n"); if (@n == 2) { exit(); } }`)
	var stdout, stderr kerneltest.Buffer // read while hawk writes them
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.After(10 * time.Second)
	for sent := 0; ; {
		select {
		case err := <-done:
			if want := "first second\nfirst second\n\n\n@n: 2\n"; exitCode(err) != 0 || stdout.String() != want || stderr.String() != "Attached 2 probes\n" {
				t.Errorf("exit %d\nstdout %q\nwant   %q\nstderr %q", exitCode(err), stdout.String(), want, stderr.String())
			}
			return
		case <-time.After(200 * time.Millisecond):
			// Signal once the banner says the probes are ready, twice.
			if strings.Contains(stderr.String(), "Attached") && sent < 2 {
				cmd.Process.Signal(syscall.SIGUSR1)
				sent++
			}
		case <-deadline:
			cmd.Process.Kill()
			<-done
			t.Fatalf("hawk did not stop; stdout %q, stderr %q", stdout.String(), stderr.String())
		}
	}
}

// TestBenchMode: --mode bench runs BEGIN, times each bench probe in
// script order, prints bpftrace's table (its name column 40 wide, or as
// wide as the longest name, 42 here) (or a JSON object per probe),
// runs END and prints no maps; what bench probes print is dropped.
func TestBenchMode(t *testing.T) {
	script := `BEGIN { printf("begin\n"); } bench:count { @a = count(); printf("dropped\n"); } bench:a_rather_long_name_for_a_bench_probe_wxyz_ { @b++; } END { printf("end %d\n", @a > 0); }`
	code, stdout, stderr := hawkOut(t, "--mode", "bench", "-e", script)
	re := `^begin\n` +
		`Benchmark {34}Time\(ns\) {7}Iterations\n-{68}\n` +
		`count {38}\d+ +\d+\n` +
		`a_rather_long_name_for_a_bench_probe_wxyz_ \d+ +\d+\n` +
		`end 1\n\n\n$`
	if code != 0 || !regexp.MustCompile(re).MatchString(stdout) || stderr != "" {
		t.Errorf("exit %d\nstdout %q\nwant   %q\nstderr %q", code, stdout, re, stderr)
	}
	code, stdout, stderr = hawkOut(t, "-q", "-f", "json", "--bench", "-e", `bench:a { @a++; } bench:b { @b++; }`)
	re = `^\{"type": "benchmark_result", "data": \{"a": \{"average": \d+, "iters": \d+\}\}\}\n` +
		`\{"type": "benchmark_result", "data": \{"b": \{"average": \d+, "iters": \d+\}\}\}\n$`
	if code != 0 || !regexp.MustCompile(re).MatchString(stdout) {
		t.Errorf("exit %d\nstdout %q\nwant   %q\nstderr %q", code, stdout, re, stderr)
	}
}

// TestBenchFails: a bench probe that calls exit() with an error code or
// reports an error fails the run, and has no row.
func TestBenchFails(t *testing.T) {
	code, stdout, stderr := hawkOut(t, "--bench", "-e", `bench:ok { @a++; } bench:bad { exit(2); }`)
	if code != 1 || strings.Contains(stdout, "bad") || !strings.Contains(stdout, "ok ") || !strings.Contains(stderr, "Benchmark 'bad' failed") {
		t.Errorf("exit %d\nstdout %q\nstderr %q", code, stdout, stderr)
	}
}

// TestTestMode: --mode test runs each test probe once, shows the output
// of those that fail (exit() with a code, errorf()) and a summary, and
// exits 1 when one failed; JSON has one object a test.
func TestTestMode(t *testing.T) {
	script := `test:ok { printf("hidden\n"); } test:bad { printf("shown\n"); exit(3); } test:err { errorf("boom"); }`
	code, stdout, _ := hawkOut(t, "--test", "-e", script)
	plain := regexp.MustCompile("\033\\[[0-9]*m").ReplaceAllString(stdout, "")
	re := `^\[==========\] Running 3 tests\.\n` +
		`\[ RUN      \] ok\n\[       OK \] ok \(\d+ [mun]?s\)\n` +
		`\[ RUN      \] bad\nshown\n\[  FAILED  \] bad \(\d+ [mun]?s\)\n` +
		`\[ RUN      \] err\nstdin:1:\S+ ERROR: boom\n\[  FAILED  \] err \(\d+ [mun]?s\)\n` +
		`\[==========\] 3 tests ran\.\n\[  PASSED  \] 1 test\.\n\[  FAILED  \] 2 tests, listed below:\n\[  FAILED  \] bad\n\[  FAILED  \] err\n\n\n$`
	if code != 1 || !regexp.MustCompile(re).MatchString(plain) {
		t.Errorf("exit %d\nstdout %q\nwant   %q", code, plain, re)
	}
	code, stdout, _ = hawkOut(t, "-f", "json", "--mode", "test", "-e", `test:ok { printf("out\n"); }`)
	re = `^\{"type": "test_result", "data": \{"ok": \{"duration": \d+, "passed": true, "output": "out\\n"\}\}\}\n$`
	if code != 0 || !regexp.MustCompile(re).MatchString(stdout) {
		t.Errorf("exit %d\nstdout %q\nwant   %q", code, stdout, re)
	}
}

// TestSpecialProbesOutsideTheirMode: test and bench probes do not run in
// a normal run; a script with nothing else is an error that says how to
// run them. A mode whose probes the script lacks runs BEGIN and END, or
// is an error when there are none.
func TestSpecialProbesOutsideTheirMode(t *testing.T) {
	for _, tc := range []struct{ script, stderr string }{
		{`test:a { printf("no\n"); }`, "hawk: error: No probes to attach: use --test (--mode test) to run test probes\n"},
		{`bench:a { printf("no\n"); }`, "hawk: error: No probes to attach: use --bench (--mode bench) to run bench probes\n"},
	} {
		code, stdout, stderr := hawkOut(t, "-e", tc.script)
		if code != exitUser || stdout != "" || stderr != tc.stderr {
			t.Errorf("%s: exit %d\nstdout %q\nstderr %q\nwant   %q", tc.script, code, stdout, stderr, tc.stderr)
		}
	}
	code, stdout, stderr := hawkOut(t, "--bench", "-e", `test:a { }`)
	if want := "hawk: error: No probes to attach: the script has no bench probes for --mode bench\n"; code != exitUser || stdout != "" || stderr != want {
		t.Errorf("--bench without bench probes: exit %d\nstdout %q\nstderr %q\nwant   %q", code, stdout, stderr, want)
	}
	code, stdout, stderr = hawkOut(t, "--bench", "-e", `BEGIN { printf("begin\n"); } test:a { } END { printf("end\n"); }`)
	if code != 0 || stdout != "begin\nend\n\n\n" || stderr != "" {
		t.Errorf("--bench with BEGIN and END but no bench probes: exit %d\nstdout %q\nstderr %q", code, stdout, stderr)
	}
	code, stdout, _ = hawkOut(t, "-q", "-e", `BEGIN { printf("begin\n"); } bench:a { printf("no\n"); } test:b { printf("no\n"); }`)
	if code != 0 || stdout != "begin\n\n\n" {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
}

// TestBenchAfterBeginExit: when BEGIN calls exit(), no bench probe runs:
// END does, and the exit code is BEGIN's.
func TestBenchAfterBeginExit(t *testing.T) {
	code, stdout, stderr := hawkOut(t, "--bench", "-e", `BEGIN { printf("begin\n"); exit(3); } bench:a { @a++; } END { printf("end\n"); }`)
	if code != 3 || stdout != "begin\nend\n\n\n" {
		t.Errorf("exit %d\nstdout %q\nstderr %q", code, stdout, stderr)
	}
}

// TestSpecialProbesNotInREPL: the REPL refuses self, test and bench
// probes, which only a script's run runs, and goes on.
func TestSpecialProbesNotInREPL(t *testing.T) {
	cmd := hawkCmd(t, "--repl")
	cmd.Stdin = strings.NewReader("bench:a { @a = count(); }\nBEGIN { printf(\"ok\\n\"); }\n")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if !strings.Contains(stderr.String(), "bench probes run in a script's run only, not in the REPL: bench:a") || !strings.Contains(stdout.String(), "ok\n") {
		t.Errorf("exit %d\nstdout %q\nstderr %q", exitCode(err), stdout.String(), stderr.String())
	}
}
