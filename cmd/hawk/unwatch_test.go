package main

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// perfEventFds counts the perf events a process holds open.
func perfEventFds(pid int) int {
	dir := "/proc/" + strconv.Itoa(pid) + "/fd"
	ents, _ := os.ReadDir(dir)
	n := 0
	for _, e := range ents {
		if l, err := os.Readlink(dir + "/" + e.Name()); err == nil && l == "anon_inode:[perf_event]" {
			n++
		}
	}
	return n
}

// TestUnwatch: unwatch(addr) detaches the watchpoint on addr, whose perf
// event hawk then closes, while the other probes stay (whether the
// machine's watchpoints fire or not).
func TestUnwatch(t *testing.T) {
	prog := watchProgram(t)
	addr := symAddr(t, prog, "counter")
	cmd := hawkCmd(t, "-c", prog+" 100", "-e", `watchpoint:`+addr+`:8:w { @[comm] = count(); } interval:ms:400 { unwatch(`+addr+`); }`)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer cmd.Process.Kill()
	sc := bufio.NewScanner(stderr)
	if !sc.Scan() || !strings.HasPrefix(sc.Text(), "Attached 2 probes") {
		t.Fatalf("stderr: %q", sc.Text())
	}
	before := perfEventFds(cmd.Process.Pid)
	time.Sleep(900 * time.Millisecond)
	after := perfEventFds(cmd.Process.Pid)
	if before < 2 || after != before-1 {
		t.Errorf("perf events open: %d while watching, %d after unwatch()", before, after)
	}
}
