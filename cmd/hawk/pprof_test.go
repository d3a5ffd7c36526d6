package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/pprof/profile"

	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/runtime/kernel"
)

// TestPprofOption: --pprof takes a file, after a space or an '='.
func TestPprofOption(t *testing.T) {
	for _, args := range [][]string{
		{"--pprof", "out.pb.gz", "-e", "x"},
		{"--pprof=out.pb.gz", "-e", "x"},
		{"-e", "x", "--pprof", "out.pb.gz"},
	} {
		o, err := parseArgs(args)
		if err != nil || o.pprof != "out.pb.gz" {
			t.Errorf("%q: error %v, pprof %q", args, err, o.pprof)
		}
	}
	if _, err := parseArgs([]string{"-e", "x", "--pprof"}); err == nil || !strings.Contains(err.Error(), "--pprof") {
		t.Errorf("--pprof without a file: error %v", err)
	}
}

// runPprof runs hawk -q --pprof FILE -e script args..., and returns what
// it printed and the profile it wrote, read back with pprof's own package.
func runPprof(t *testing.T, script string, args ...string) (string, *profile.Profile, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hawk.pb.gz")
	cmd := hawkCmd(t, append([]string{"-q", "--pprof", path, "-e", script}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v; stderr:\n%s", err, stderr.String())
	}
	return stdout.String(), readProfile(t, path), path
}

// readProfile reads the profile at path with pprof's own package, and
// checks that it is valid.
func readProfile(t *testing.T, path string) *profile.Profile {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := profile.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.CheckValid(); err != nil {
		t.Fatal(err)
	}
	return p
}

// printedTotal adds up the counts of a map hawk printed at exit.
func printedTotal(t *testing.T, out string) int64 {
	t.Helper()
	var total int64
	for _, m := range regexp.MustCompile(`(?m)^\]?.*\]: (\d+)$`).FindAllStringSubmatch(out, -1) {
		n, _ := strconv.ParseInt(m[1], 10, 64)
		total += n
	}
	return total
}

// pprofTop runs `go tool pprof -top` on a profile, as a user would.
func pprofTop(t *testing.T, path string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go tool pprof: %v", err)
	}
	out, err := exec.Command(goTool, "tool", "pprof", "-top", path).CombinedOutput()
	if err != nil {
		t.Fatalf("go tool pprof -top: %v\n%s", err, out)
	}
	return string(out)
}

// TestPprofKernelStacks: a second of profile:hz:99 counting kernel stacks
// gives a profile whose samples add up to what the map printed, whose
// frames are named after kernel symbols, and that go tool pprof shows.
func TestPprofKernelStacks(t *testing.T) {
	out, p, path := runPprof(t, `profile:hz:99 { @[kstack] = count(); } interval:s:1 { exit(); }`)
	if len(p.SampleType) != 1 || p.SampleType[0].Type != "@" || p.SampleType[0].Unit != "count" {
		t.Fatalf("sample types %v", p.SampleType)
	}
	var total int64
	for _, s := range p.Sample {
		total += s.Value[0]
	}
	if want := printedTotal(t, out); total == 0 || total != want {
		t.Errorf("the samples add up to %d, the map printed %d", total, want)
	}
	syms, err := kernel.KernelSymbols()
	if err != nil {
		t.Fatal(err)
	}
	named := 0
	for _, l := range p.Location {
		if l.Mapping == nil || !strings.HasPrefix(l.Mapping.File, "[") {
			t.Errorf("kernel location %#x in mapping %v", l.Address, l.Mapping)
		}
		for _, line := range l.Line {
			named++
			if sym, _, ok := syms.Lookup(l.Address); !ok || sym != line.Function.Name {
				t.Errorf("location %#x is named %s; kallsyms says %s", l.Address, line.Function.Name, sym)
			}
		}
	}
	if named == 0 {
		t.Fatal("no location is named")
	}
	// The function most samples were taken in is in the printed stacks,
	// and go tool pprof names it.
	counts := map[string]int64{}
	fn := ""
	for _, s := range p.Sample {
		if len(s.Location) > 0 && len(s.Location[0].Line) > 0 {
			name := s.Location[0].Line[0].Function.Name
			counts[name] += s.Value[0]
			if counts[name] > counts[fn] {
				fn = name
			}
		}
	}
	if !strings.Contains(out, "        "+fn+"+") {
		t.Errorf("%s is not in the stacks printed:\n%s", fn, out)
	}
	top := pprofTop(t, path)
	if !regexp.MustCompile(`(?m)%\s+` + regexp.QuoteMeta(fn) + `$`).MatchString(top) {
		t.Errorf("%s is not in go tool pprof -top's output:\n%s", fn, top)
	}
}

// TestPprofUserStacks: the user stacks of a program spinning in
// hawk_spin_leaf, called by hawk_spin_outer, called by main, give samples
// whose frames are those functions, in the program's mapping, labelled
// with the key's other part (comm); go tool pprof shows them.
func TestPprofUserStacks(t *testing.T) {
	spin := cProgram(t, "pprof-spin", "testdata/pprof/spin.c", "-O0", "-fno-omit-frame-pointer")
	pid := startTraced(t, spin, "0")
	out, p, path := runPprof(t, `profile:hz:99 /pid == $1/ { @[ustack, comm] = count(); } interval:s:1 { exit(); }`, strconv.Itoa(pid))
	var total, inLeaf int64
	for _, s := range p.Sample {
		total += s.Value[0]
		if got := strings.Join(s.Label["key1"], ","); got != "pprof-spin" {
			t.Errorf("sample labelled key1=%q, want pprof-spin", got)
		}
		var fns []string
		for _, l := range s.Location {
			if len(l.Line) > 0 {
				fns = append(fns, l.Line[0].Function.Name)
			}
		}
		if strings.HasPrefix(strings.Join(fns, " "), "hawk_spin_leaf hawk_spin_outer main") {
			inLeaf += s.Value[0]
			if f := s.Location[0].Mapping.File; f != spin {
				t.Errorf("hawk_spin_leaf is in mapping %q, want %q", f, spin)
			}
		}
	}
	if want := printedTotal(t, out); total == 0 || total != want {
		t.Errorf("the samples add up to %d, the map printed %d", total, want)
	}
	if inLeaf*2 < total {
		t.Errorf("%d of %d samples are in hawk_spin_leaf <- hawk_spin_outer <- main; the profile:\n%v", inLeaf, total, p)
	}
	top := pprofTop(t, path)
	for _, fn := range []string{"hawk_spin_leaf", "hawk_spin_outer", "main"} {
		if !regexp.MustCompile(`(?m)%\s+` + fn + `$`).MatchString(top) {
			t.Errorf("go tool pprof -top does not show %s:\n%s", fn, top)
		}
	}
}

// TestPprofNoStackMap: --pprof on a script that counts no stacks is
// refused before it runs, and leaves no file.
func TestPprofNoStackMap(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hawk.pb.gz")
	cmd := hawkCmd(t, "--pprof", path, "-e", `BEGIN { @[comm] = count(); printf("ran\n"); exit(); }`)
	out, err := cmd.CombinedOutput()
	if code := exitCode(err); code != exitUser {
		t.Errorf("exit status %d, want %d", code, exitUser)
	}
	want := "hawk: error: --pprof: the script has no count() or sum() map keyed by a kstack or ustack, such as @[kstack] = count()\n"
	if string(out) != want {
		t.Errorf("output %q, want %q", out, want)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("%s: %v; want no file", path, err)
	}
}

// TestPprofSum: a sum() map is a sample type of its own, without a unit,
// beside a count() map's: the two probes' updates of the same stacks give
// sums ten times the counts.
func TestPprofSum(t *testing.T) {
	_, p, _ := runPprof(t, `profile:hz:99 { @c[kstack(2)] = count(); @s[kstack(2)] = sum(10); } interval:ms:500 { exit(); }`)
	if len(p.SampleType) != 2 || p.SampleType[0].Type != "@c" || p.SampleType[0].Unit != "count" ||
		p.SampleType[1].Type != "@s" || p.SampleType[1].Unit != "" || p.DefaultSampleType != "@c" {
		t.Fatalf("sample types %v, default %q", p.SampleType, p.DefaultSampleType)
	}
	var counts, sums int64
	for _, s := range p.Sample {
		if s.Value[0] != 0 && s.Value[1] != 0 {
			t.Errorf("a sample of both maps: %v", s.Value)
		}
		counts += s.Value[0]
		sums += s.Value[1]
	}
	if counts == 0 || sums != 10*counts {
		t.Errorf("the sums add up to %d, the counts to %d", sums, counts)
	}
}

// TestPprofInterrupted: a run that Ctrl-C ends writes its profile too,
// after printing the maps.
func TestPprofInterrupted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hawk.pb.gz")
	cmd := hawkCmd(t, "--pprof", path, "-e", `profile:hz:99 { @[kstack(3)] = count(); }`)
	var stdout, stderr kerneltest.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stderr.String(), "Attached") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%v; stderr:\n%s", err, stderr.String())
	}
	p := readProfile(t, path)
	var total int64
	for _, s := range p.Sample {
		total += s.Value[0]
	}
	if want := printedTotal(t, stdout.String()); total == 0 || total != want {
		t.Errorf("the samples add up to %d, the map printed %d", total, want)
	}
}
