package main

import (
	"os/exec"
	"regexp"
	"strconv"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// TestPidNamespaces: pid and tid are seen from hawk's pid namespace
// (curr_ns, the default), pid(init) and tid(init) from the initial one,
// as in bpftrace. Inside a new namespace hawk is process 1.
func TestPidNamespaces(t *testing.T) {
	kerneltest.Require(t)
	script := `BEGIN { printf("%d, %d, %d, %d, %d, %d\n", pid, pid(curr_ns), pid(init), tid, tid(curr_ns), tid(init_ns)); exit(); }`
	out, err := exec.Command("unshare", "--fork", "--pid", "--mount-proc", hawkBin, "-q", "-e", script).CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	m := regexp.MustCompile(`^1, 1, (\d+), 1, 1, (\d+)\n`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("inside a new pid namespace: %q, want 1, 1, N, 1, 1, N", out)
	}
	if n, _ := strconv.Atoi(string(m[1])); n <= 1 || string(m[1]) != string(m[2]) {
		t.Errorf("pid(init) %s, tid(init) %s: want the same id, above 1", m[1], m[2])
	}

	// In the initial namespace both views agree; ppid(task) is ppid.
	stdout, stderr, code := runConstruct(t, construct{script: `BEGIN { printf("%d %d %d %d\n", pid == pid(init), tid(curr_ns) == tid(init), ppid(curtask) == ppid, ppid(curtask->real_parent) > 0); exit(); }`})
	if code != 0 || stdout != "1 1 1 1\n\n\n" {
		t.Errorf("exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
}
