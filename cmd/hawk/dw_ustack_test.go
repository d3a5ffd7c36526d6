package main

import (
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// nofpProgram builds the test program whose functions keep no frame
// pointer: funcA calls funcB, funcC, then funcD, in a loop.
func nofpProgram(t *testing.T) string {
	return cProgram(t, "nofp", "testdata/dwunwind/nofp.c", "-O2", "-fomit-frame-pointer")
}

// startNofp runs the test program until the test ends; it returns its pid.
func startNofp(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(nofpProgram(t))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	time.Sleep(200 * time.Millisecond) // past the dynamic loader
	return cmd.Process.Pid
}

// nofpFrames matches the frames funcD to main, as dw_ustack prints them.
var nofpFrames = `\n +funcD\+0\n +funcC\+\d+\n +funcB\+\d+\n +funcA\+\d+\n +main\+\d+\n`

// TestDwUstack: dw_ustack unwinds a program built without frame pointers
// through every frame, where ustack, which follows rbp, cannot.
func TestDwUstack(t *testing.T) {
	prog := nofpProgram(t)
	pid := strconv.Itoa(startNofp(t))
	enable := `config = { unstable_dw_ustack = enable; show_debug_info = 0 } `
	cases := []construct{
		{
			name:   "command",
			script: enable + `uprobe:` + prog + `:funcD { printf("%s|%s\n", dw_ustack, ustack); exit(); }`,
			args:   []string{"-c", prog},
			// ustack stops after funcD: funcC's caller is not in rbp.
			re: `^` + nofpFrames + `(.*\n)*\|\n +funcD\+0\n(.*\n){0,2}\n\n$`,
		},
		{
			name:   "pid",
			script: enable + `uprobe:` + prog + `:funcD { printf("%s", __builtin_dw_ustack(3)); exit(); }`,
			args:   []string{"-p", pid},
			re:     `^\n +funcD\+0\n +funcC\+\d+\n +funcB\+\d+\n\n\n$`,
		},
		{
			name:   "map key and modes",
			script: enable + `uprobe:` + prog + `:funcD { @[dw_ustack(perf)] = count(); @r[dw_ustack(raw, 2)] = count(); if (@[dw_ustack(perf)] == 3) { exit(); } }`,
			args:   []string{"--dwarf-pid", pid},
			re: `(?s)^\n\n@\[\n\t[0-9a-f]+ funcD\+0 \(` + regexp.QuoteMeta(prog) + `\)\n\t[0-9a-f]+ funcC\+\d+ .*\t[0-9a-f]+ main\+\d+ .*\]: \d+\n.*` +
				`@r\[\n[0-9a-f]+\n[0-9a-f]+\n\]: \d+\n$`,
		},
		{
			name: "uretprobe",
			// funcB's pending uretprobe put its trampoline where funcB
			// returns to funcA: the frame shows the address it replaced.
			script: enable + `uretprobe:` + prog + `:funcB {} uprobe:` + prog + `:funcD { printf("%s", dw_ustack(5)); exit(); }`,
			args:   []string{"-p", pid},
			re:     `^` + nofpFrames + `\n\n$`,
		},
		{
			name:   "stack_mode build_id",
			script: enable + `uprobe:` + prog + `:funcD { printf("%s", dw_ustack(2)); exit(); }`,
			args:   []string{"-p", pid},
			env:    []string{"BPFTRACE_STACK_MODE=build_id"},
			// Not a mode dw_ustack prints: bpftrace's, with a warning.
			re: `^\n +funcD\+0\n +funcC\+\d+\n\n\n$`,
		},
		{
			name:   "len",
			script: enable + `uprobe:` + prog + `:funcD { printf("%d %d %d\n", len(dw_ustack), len(dw_ustack(3)), len(ustack)); exit(); }`,
			args:   []string{"-p", pid},
			// funcD..main, __libc_start_call_main, __libc_start_main, _start
			out: "8 3 1\n",
		},
		{
			name: "profile",
			// bpf_find_vma works once per NMI: profile probes read the
			// mappings from -p's table.
			script: enable + `profile:hz:997 /pid == ` + pid + `/ { @[dw_ustack] = count(); } interval:ms:1500 { exit(); }`,
			args:   []string{"-p", pid},
			re:     `(?s)@\[\n +clock_nanosleep\+\d+\n +nanosleep\+\d+\n +usleep\+\d+\n +main\+\d+\n`,
		},
	}
	runConstructs(t, cases)
	// json prints the same frames.
	c := construct{name: "json", script: enable + `uprobe:` + prog + `:funcD { print(dw_ustack(4)); exit(); }`, args: []string{"-p", pid, "-f", "json"}}
	stdout, stderr, code := runConstruct(t, c)
	if want := `{"type": "value", "data": "\n        funcD+0\n        funcC+5\n        funcB+5\n        funcA+5\n"}`; code != 0 || !strings.Contains(stdout, want) {
		t.Errorf("json: exit %d, stdout %q, want %q; stderr %s", code, stdout, want, stderr)
	}
}

// TestDwUstackWarnings: the unstable feature's warning, the error without
// a target process, and the run-time warning when the process that fires
// has no unwind data (its binary is not one the target maps).
func TestDwUstackWarnings(t *testing.T) {
	prog := nofpProgram(t)
	startNofp(t)
	script := `uprobe:` + prog + `:funcD { printf("%s\n", dw_ustack()); exit(); }`
	_, stderr, code := runConstruct(t, construct{script: script})
	if code == 0 || !strings.Contains(stderr, "-e:1:") || !strings.Contains(stderr, "error: dw_ustack requires a target process. Use -p, -c, or --dwarf-pid to specify one.") {
		t.Errorf("no target: exit %d, stderr %s", code, stderr)
	}
	if !strings.Contains(stderr, "warning: Script is using an unstable feature: dw_ustack (DWARF stack unwinding).") {
		t.Errorf("no warning of the unstable feature: %s", stderr)
	}
	// Another process is the target: the test program's binary has no
	// unwind data.
	sleeper := exec.Command("sleep", "30")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { sleeper.Process.Kill(); sleeper.Wait() }()
	stdout, stderr, code := runConstruct(t, construct{script: `config = { unstable_dw_ustack = enable; show_debug_info = 0 } ` + script,
		args: []string{"--dwarf-pid", strconv.Itoa(sleeper.Process.Pid)}})
	if code != 0 || !strings.Contains(stderr, "WARNING: No DWARF unwind data available for this process") || strings.Contains(stderr, "unstable feature") {
		t.Errorf("no data: exit %d, stderr %s", code, stderr)
	}
	if stdout != "\n\n\n" {
		t.Errorf("no data: stdout %q, want an empty stack", stdout)
	}
	_, stderr, code = runConstruct(t, construct{script: `config = { unstable_dw_ustack = error } ` + script, args: []string{"-c", prog}})
	if code == 0 || !strings.Contains(stderr, "error: dw_ustack (DWARF stack unwinding) feature is not enabled by default.") {
		t.Errorf("unstable_dw_ustack=error: exit %d, stderr %s", code, stderr)
	}
}

// TestDwUstackVerifies loads dw_ustack's unwinder in every kind of
// program that takes user stacks.
func TestDwUstackVerifies(t *testing.T) {
	prog := nofpProgram(t)
	script := `config = { unstable_dw_ustack = enable; show_debug_info = 0 }
uprobe:` + prog + `:funcD { @u[dw_ustack] = count(); }
uretprobe:` + prog + `:funcC { @r[dw_ustack(5)] = count(); }
tracepoint:syscalls:sys_enter_clock_nanosleep { @t[dw_ustack(perf, 1024)] = count(); }
profile:hz:99 { @p[dw_ustack(raw)] = count(); }
interval:s:1 { printf("%s", dw_ustack); }`
	cmd := hawkCmd(t, "--verify", "-e", script)
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "Verified 5 programs") {
		t.Errorf("--verify: %v\n%s", err, out)
	}
}

// TestDwarfPidFlag: --dwarf-pid PID, repeatable, in both spellings.
func TestDwarfPidFlag(t *testing.T) {
	o, err := parseArgs([]string{"--dwarf-pid", "12", "-e", "BEGIN {}", "--dwarf-pid=13"})
	if err != nil || len(o.dwarfPids) != 2 || o.dwarfPids[0] != 12 || o.dwarfPids[1] != 13 {
		t.Errorf("parseArgs: %+v, %v", o, err)
	}
	if !compileConfig(o).UnwindTargets {
		t.Errorf("--dwarf-pid names no target")
	}
	if o, _ := parseArgs([]string{"-e", "BEGIN {}"}); compileConfig(o).UnwindTargets {
		t.Errorf("a run without -p, -c or --dwarf-pid has a target")
	}
	for arg, want := range map[string]string{"x": `--dwarf-pid needs a process id: "x" is not a number`, "0": "--dwarf-pid needs a process id, not 0"} {
		if _, err := parseArgs([]string{"--dwarf-pid", arg, "-e", "BEGIN {}"}); err == nil || err.Error() != want {
			t.Errorf("--dwarf-pid %s: %v, want %q", arg, err, want)
		}
	}
	if _, err := parseArgs([]string{"-e", "BEGIN {}", "--dwarf-pid"}); err == nil || err.Error() != "option --dwarf-pid needs a value" {
		t.Errorf("--dwarf-pid without a value: %v", err)
	}
	if _, err := parseArgs([]string{"-e", "BEGIN {}", "--aot", "x", "--dwarf-pid", "3"}); err == nil || !strings.Contains(err.Error(), "cannot use --dwarf-pid with --aot") {
		t.Errorf("--aot with --dwarf-pid: %v", err)
	}
	if !strings.Contains(usage(), "--dwarf-pid PID") {
		t.Errorf("the usage does not list --dwarf-pid")
	}
}

// TestDwUstackConfig: config.unstable_dw_ustack reads the setting, warn
// unless the script says otherwise, as bpftrace's config record has it.
func TestDwUstackConfig(t *testing.T) {
	runConstructs(t, []construct{
		{name: "default", script: `BEGIN { printf("%s\n", config.unstable_dw_ustack); exit(); }`, out: "warn\n"},
		{name: "set", script: `config = { unstable_dw_ustack = enable; show_debug_info = 0 } BEGIN { printf("%s\n", config.unstable_dw_ustack); exit(); }`, out: "enable\n"},
	})
}
