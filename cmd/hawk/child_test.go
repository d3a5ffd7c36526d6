package main

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// TestChildDiesWithHawk: the command -c runs ends when hawk is killed
// (SIGKILL, which hawk cannot catch): the command itself, which replaced
// the shell that held it, gets the parent-death signal.
func TestChildDiesWithHawk(t *testing.T) {
	cmd := hawkCmd(t, "-c", "sleep 1000", "-e", `BEGIN { printf("cpid %d\n", cpid); } tracepoint:sched:sched_process_exit { @ = count(); }`)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	m := regexp.MustCompile(`^cpid (\d+)\n$`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("no cpid line: %q %v", line, err)
	}
	cpid, _ := strconv.Atoi(m[1])
	// Wait until the command runs: its shell has become sleep.
	deadline := time.Now().Add(10 * time.Second)
	for {
		comm, _ := os.ReadFile("/proc/" + m[1] + "/comm")
		if string(comm) == "sleep\n" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the command never ran: comm %q", comm)
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if !waitGone(cpid, time.Second) {
		syscall.Kill(cpid, syscall.SIGKILL)
		t.Fatalf("the command (pid %d) outlived hawk", cpid)
	}
}

// TestHeldChildNeverRuns: a command still held while hawk loads its
// programs neither runs nor stays when hawk is killed.
func TestHeldChildNeverRuns(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "ran")
	cmd := hawkCmd(t, "-c", "/usr/bin/touch "+marker, slowVerifyScript(t))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var kids []int
	deadline := time.Now().Add(20 * time.Second)
	for len(kids) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("hawk started no command")
		}
		time.Sleep(2 * time.Millisecond)
		kids = childrenOf(cmd.Process.Pid)
	}
	time.Sleep(20 * time.Millisecond) // the shell waits on its pipe
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	for _, k := range kids {
		if !waitGone(k, time.Second) {
			syscall.Kill(k, syscall.SIGKILL)
			t.Errorf("the held command (pid %d) outlived hawk", k)
		}
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("the held command ran after hawk was killed")
	}
}
