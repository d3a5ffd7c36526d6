package main

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// uprobesProgram returns the uprobes test program (testdata/uprobes), built
// once: a PIE, or linked at a fixed address.
func uprobesProgram(t *testing.T, pie bool) string {
	t.Helper()
	if pie {
		return cProgram(t, "uprobes-pie", "testdata/uprobes/uprobes.c", "-O1", "-pie", "-fPIE")
	}
	return cProgram(t, "uprobes-nopie", "testdata/uprobes/uprobes.c", "-O1", "-no-pie")
}

// startTraced starts path with args (the uprobes program with 0 runs
// until killed) for a test to trace with -p, and kills it when the test
// ends.
func startTraced(t *testing.T, path string, args ...string) int {
	t.Helper()
	kerneltest.Require(t)
	cmd := exec.Command(path, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	time.Sleep(100 * time.Millisecond) // until its libraries are mapped
	return cmd.Process.Pid
}

// TestUsdtConstArgs: a usdt argument that is a constant in the note keeps
// the size and sign the note gives it (4@$-202182160 is 4092785136).
func TestUsdtConstArgs(t *testing.T) {
	prog := uprobesProgram(t, true)
	script := `usdt:` + prog + `:hawkconst:[us][0-9]* { printf("%s %lld\n", probe, arg0); }`
	code, stdout, stderr := hawkOut(t, "-q", "-c", prog+" 1", "-e", script)
	p := "usdt:" + prog + ":hawkconst:"
	want := p + "u32 4092785136\n" + p + "s32 -202182160\n" + p + "u16 61936\n" + p + "s8 -16\n\n\n"
	if code != 0 || stdout != want {
		t.Errorf("exit %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s", code, stdout, want, stderr)
	}
}

// TestUprobeProcessBinaries: with -p, a uprobe or usdt probe whose binary
// is * (or, for usdt, empty) attaches to the binaries that process runs,
// named /proc/PID/root/PATH; the program's semaphores are counted up.
func TestUprobeProcessBinaries(t *testing.T) {
	prog := uprobesProgram(t, true)
	pid := startTraced(t, prog, "0")
	root := "/proc/" + strconv.Itoa(pid) + "/root" + prog
	for _, tc := range []struct{ name, script, out string }{
		{"uprobe star", `uprobe:*:hawk_tick { printf("%s\n", probe); exit(); }`, "uprobe:" + root + ":hawk_tick\n"},
		{"uprobe star and pattern", `uprobe:*:hawk_t?ck { printf("%s\n", func); exit(); }`, "hawk_tick\n"},
		{"usdt no binary", `usdt::hawkconst:s32 { printf("%s %d\n", probe, arg0); exit(); }`, "usdt:" + root + ":hawkconst:s32 -202182160\n"},
		{"usdt no binary nor provider", `usdt:::s8 { printf("%d\n", arg0); exit(); }`, "-16\n"},
		{"usdt star with a semaphore", `usdt:*:hawkconst:gated { printf("%d\n", arg0); exit(); }`, "7\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := hawkOut(t, "-q", "-p", strconv.Itoa(pid), "-e", tc.script)
			if want := tc.out + "\n\n"; code != 0 || stdout != want {
				t.Errorf("exit %d\nstdout %q\nwant   %q\nstderr:\n%s", code, stdout, want, stderr)
			}
		})
	}
}

// TestUprobeNoBinary: a usdt probe with no binary names the binaries of
// the process -p traces; without -p it is a positioned error.
func TestUprobeNoBinary(t *testing.T) {
	code, stdout, stderr := hawkOut(t, "-e", `usdt::hawkconst:s32 { exit(); }`)
	want := "-e:1:1: error: no binary: name one (or * for the binaries of every process), or give -p PID for that process's\n    usdt::hawkconst:s32 { exit(); }\n    ^~~~~~~~~~~~~~~~~~~\n"
	if code != exitUser || stdout != "" || stderr != want {
		t.Errorf("exit %d\nstdout %q\nstderr %q\nwant   %q", code, stdout, stderr, want)
	}
}

// TestUprobeBinaryGlob: a glob of binaries attaches to each file it
// matches that has the function, and lists them as the pattern writes
// them, ./ included.
func TestUprobeBinaryGlob(t *testing.T) {
	prog := uprobesProgram(t, true)
	dir := t.TempDir()
	data, err := os.ReadFile(prog)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"prog-a", "prog-b"} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// Not a binary: the glob passes over it.
	if err := os.WriteFile(filepath.Join(dir, "prog-c.txt"), []byte("text\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := hawkOut(t, "-c", filepath.Join(dir, "prog-b")+" 1", "-e", `uprobe:`+dir+`/prog-*:hawk_tick { printf("%s\n", probe); }`)
	if want := "uprobe:" + dir + "/prog-b:hawk_tick\n\n\n"; code != 0 || stdout != want || !strings.Contains(stderr, "Attached 2 probes") {
		t.Errorf("exit %d\nstdout %q\nwant   %q\nstderr:\n%s", code, stdout, want, stderr)
	}

	for _, tc := range []struct{ pattern, out string }{
		{"uprobe:./prog-*:hawk_t*", "uprobe:./prog-a:hawk_tick\nuprobe:./prog-b:hawk_tick\n"},
		{"usdt:./prog-?:hawkconst:s*", "usdt:./prog-a:hawkconst:s32\nusdt:./prog-a:hawkconst:s8\nusdt:./prog-b:hawkconst:s32\nusdt:./prog-b:hawkconst:s8\n"},
	} {
		cmd := hawkCmd(t, "-l", tc.pattern)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil || string(out) != tc.out {
			t.Errorf("-l %s: %v\n%s\nwant:\n%s", tc.pattern, err, out, tc.out)
		}
	}
}

// TestListByPid: -l -p PID lists the uprobes and usdt probes of that
// process's binaries, and of no other file.
func TestListByPid(t *testing.T) {
	prog := uprobesProgram(t, true)
	pid := startTraced(t, prog, "0")
	p := strconv.Itoa(pid)
	prefix := "/proc/" + p + "/root/"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-l", "uprobe:*", "-p", p}, "uprobe:" + prefix + prog[1:] + ":hawk_tick\n"},
		{[]string{"-l", "usdt:*", "-p", p}, "usdt:" + prefix + prog[1:] + ":hawkconst:u32\n"},
		{[]string{"-l", "-p", p}, "usdt:" + prefix + prog[1:] + ":hawkconst:gated\n"},
	} {
		code, stdout, stderr := hawkOut(t, tc.args...)
		if code != 0 || !strings.Contains(stdout, tc.want) {
			t.Errorf("%v: exit %d, no line %q in\n%s\nstderr:\n%s", tc.args, code, tc.want, stdout, stderr)
			continue
		}
		for line := range strings.Lines(stdout) {
			if (strings.HasPrefix(line, "uprobe:") || strings.HasPrefix(line, "usdt:")) && !strings.HasPrefix(line[strings.Index(line, ":")+1:], prefix) {
				t.Errorf("%v lists a probe of another process: %q", tc.args, line)
				break
			}
		}
	}
	// Without -p, a kind pattern lists no user probes.
	if code, stdout, _ := hawkOut(t, "-l", "*:*:hawk_tick"); code != 0 || strings.Contains(stdout, "hawk_tick") {
		t.Errorf("-l '*:*:hawk_tick' without -p: exit %d\n%s", code, stdout)
	}
}

// TestUprobeMountNamespace: with -p, a path that the process sees in its
// own mount namespace (a container's) attaches there, through
// /proc/PID/root.
func TestUprobeMountNamespace(t *testing.T) {
	kerneltest.Require(t)
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		kerneltest.Missing(t, "needs unshare (util-linux): %v", err)
	}
	prog := uprobesProgram(t, true)
	dir := t.TempDir() // empty here; the namespace mounts a tmpfs on it
	script := "mount -t tmpfs none " + dir + " && cp " + prog + " " + dir + "/inside && exec " + dir + "/inside 0"
	cmd := exec.Command(unshare, "--mount", "--propagation", "private", "sh", "-c", script)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	inside := dir + "/inside"
	p := strconv.Itoa(cmd.Process.Pid)
	for range 100 {
		if exe, _ := os.Readlink("/proc/" + p + "/exe"); exe == inside {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := os.Stat(inside); err == nil {
		t.Fatalf("%s is visible outside the namespace", inside)
	}
	code, stdout, stderr := hawkOut(t, "-q", "-p", p, "-e", `uprobe:`+inside+`:hawk_tick { printf("%s\n", probe); exit(); } usdt:`+inside+`:hawkconst:s8 { printf("%d\n", arg0); }`)
	want := regexp.MustCompile(`^(-16\n)?uprobe:/proc/` + p + `/root` + regexp.QuoteMeta(inside) + `:hawk_tick\n`)
	if code != 0 || !want.MatchString(stdout) {
		t.Errorf("exit %d\nstdout %q\nwant %s\nstderr:\n%s", code, stdout, want, stderr)
	}
	code, stdout, stderr = hawkOut(t, "-l", "uprobe:*:hawk_tick", "-p", p)
	if want := "uprobe:/proc/" + p + "/root" + inside + ":hawk_tick\n"; code != 0 || stdout != want {
		t.Errorf("-l: exit %d\nstdout %q\nwant   %q\nstderr:\n%s", code, stdout, want, stderr)
	}
}

// TestUprobeBounds: a uprobe's offset must be inside its function; a
// symbol of size 0 has no known end, and only --unsafe attaches there.
// An address may be written in decimal.
func TestUprobeBounds(t *testing.T) {
	prog := uprobesProgram(t, false)
	tick, err := strconv.ParseUint(strings.TrimPrefix(symAddr(t, prog, "hawk_tick"), "0x"), 16, 64)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		flags []string
		point string
		err   string // the error's first line; "" when the probe fires once
	}{
		{"offset outside", nil, "hawk_tick+1000", "offset 1000 is outside hawk_tick, which is"},
		{"size 0", nil, "hawk_zero", "hawk_zero has size 0 in " + prog + ", so its end is unknown: --unsafe attaches there anyway"},
		{"size 0 with --unsafe", []string{"--unsafe"}, "hawk_zero", ""},
		{"decimal address", nil, strconv.FormatUint(tick, 10), ""},
		{"decimal address not code", nil, "10", "address 0xa is in no loaded segment of " + prog},
	} {
		t.Run(tc.name, func(t *testing.T) {
			point := "uprobe:" + prog + ":" + tc.point
			args := append(append([]string{"-q"}, tc.flags...), "-c", prog+" 1", "-e", point+" { @ = count(); }")
			code, stdout, stderr := hawkOut(t, args...)
			if tc.err == "" {
				if code != 0 || stdout != "\n\n@: 1\n" {
					t.Errorf("exit %d\nstdout %q\nstderr:\n%s", code, stdout, stderr)
				}
				return
			}
			want := "-e:1:1: error: " + tc.err
			if code != exitUser || !strings.HasPrefix(stderr, want) || !strings.Contains(stderr, "\n    "+point+" { @ = count(); }\n    ^~~") {
				t.Errorf("exit %d\nstderr:\n%s\nwant it to start %q, with the source and a caret", code, stderr, want)
			}
		})
	}
}

// TestUprobeFlatBinary: with --unsafe, a uprobe on a file that is not ELF
// (bare code, mapped and run by hand) takes its address as a file offset;
// without it, the probe is refused.
func TestUprobeFlatBinary(t *testing.T) {
	prog := uprobesProgram(t, true)
	flat := filepath.Join(t.TempDir(), "flat.bin")
	if err := os.WriteFile(flat, []byte{0x90, 0xc3}, 0o644); err != nil { // nop; ret
		t.Fatal(err)
	}
	for _, addr := range []string{"0x0", "1"} {
		code, stdout, stderr := hawkOut(t, "-q", "--unsafe", "-c", prog+" flat "+flat, "-e", "uprobe:"+flat+":"+addr+" { @ = count(); }")
		if code != 0 || stdout != "\n\n@: 1\n" {
			t.Errorf("at %s: exit %d\nstdout %q\nstderr:\n%s", addr, code, stdout, stderr)
		}
	}
	code, _, stderr := hawkOut(t, "-e", "uprobe:"+flat+":0x0 { @ = count(); }")
	if want := "-e:1:1: error: " + flat + " is not an ELF file: --unsafe takes the address 0x0 as an offset in it\n"; code != exitUser || !strings.HasPrefix(stderr, want) {
		t.Errorf("without --unsafe: exit %d\nstderr %q\nwant it to start %q", code, stderr, want)
	}
}

// TestUaddrRelocated: uaddr() of a global of a PIE or a shared library
// is where the process that fires the probe maps it, found when the probe
// fires; in an executable linked at fixed addresses it is a constant.
func TestUaddrRelocated(t *testing.T) {
	for _, pie := range []bool{true, false} {
		prog := uprobesProgram(t, pie)
		for _, kind := range []string{"uprobe:" + prog + ":hawk_tick", "usdt:" + prog + ":hawkconst:s8"} {
			script := kind + ` { printf("%lx\n", *uaddr("hawk_magic")); exit(); }`
			code, stdout, stderr := hawkOut(t, "-q", "-c", prog+" 3", "-e", script)
			if want := "1234567890\n\n\n"; code != 0 || stdout != want {
				t.Errorf("pie %v, %s: exit %d\nstdout %q\nwant   %q\nstderr:\n%s", pie, kind, code, stdout, want, stderr)
			}
		}
	}
	// libc's environ, in a process whose environment hawk gives.
	code, stdout, stderr := hawkOut(t, "-q", "-c", "env -i HAWKTEST=1 "+uprobesProgram(t, true)+" 3", "-e",
		`uprobe:libc:nanosleep /pid == cpid/ { printf("%s\n", str(*(uint64 *)*uaddr("environ"))); exit(); }`)
	if want := "HAWKTEST=1\n\n\n"; code != 0 || stdout != want {
		t.Errorf("libc environ: exit %d\nstdout %q\nwant   %q\nstderr:\n%s", code, stdout, want, stderr)
	}
}

// TestUprobeMulti: a program serving several functions of a binary
// attaches through one uprobe_multi link (Linux 6.6) rather than a perf
// event each: hawk's file descriptors show one link of that type, and
// the probes fire as before.
func TestUprobeMulti(t *testing.T) {
	prog := uprobesProgram(t, true)
	cmd := hawkCmd(t, "-e", "uprobe:"+prog+":hawk_t*, uprobe:"+prog+":main { @ = count(); }")
	stderr := &kerneltest.Buffer{}
	var stdout strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	for i := 0; !strings.Contains(stderr.String(), "Attached 2 probes"); i++ {
		if i == 500 {
			t.Fatalf("hawk did not attach: %q", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	fdinfo, _ := filepath.Glob("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/fdinfo/*")
	var links []string
	for _, f := range fdinfo {
		b, _ := os.ReadFile(f)
		if m := regexp.MustCompile(`link_type:\s*(\S+)`).FindSubmatch(b); m != nil {
			links = append(links, string(m[1]))
		}
	}
	if len(links) != 1 || links[0] != "uprobe_multi" {
		t.Errorf("hawk's links: %v, want one uprobe_multi", links)
	}
	if out, err := exec.Command(prog, "3").CombinedOutput(); err != nil {
		t.Fatalf("%s 3: %v\n%s", prog, err, out)
	}
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
	if want := "\n\n@: 4\n"; stdout.String() != want {
		t.Errorf("stdout %q, want %q (hawk_tick 3 times, main once)\nstderr:\n%s", stdout.String(), want, stderr.String())
	}
}

// uprobesAtAddresses returns attach points for every defined function of
// binary's symbol tables, by address (uprobe:BINARY:0xADDR, ...): such a
// probe attaches a perf event per function, one after the other, where a
// pattern attaches through one uprobe_multi link.
func uprobesAtAddresses(t *testing.T, binary string) string {
	t.Helper()
	seen := map[uint64]bool{}
	var points []string
	for _, s := range elfSymbols(t, binary) {
		if elf.ST_TYPE(s.Info) != elf.STT_FUNC || s.Section == elf.SHN_UNDEF || s.Value == 0 || seen[s.Value] {
			continue
		}
		seen[s.Value] = true
		points = append(points, "uprobe:"+binary+":0x"+strconv.FormatUint(s.Value, 16))
	}
	if len(points) < 100 {
		kerneltest.Missing(t, "%s has %d functions, too few to attach for long", binary, len(points))
	}
	return strings.Join(points, ",")
}
