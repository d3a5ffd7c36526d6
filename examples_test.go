package hawk_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// TestExampleSyscount builds the Go API's example program
// (examples/go/syscount) and runs it for 2 seconds while this test makes
// system calls as fast as it can: it prints two top-10 tables, each with
// counts that only grow, and this test's process among the busiest.
func TestExampleSyscount(t *testing.T) {
	kerneltest.Require(t)
	bin := filepath.Join(t.TempDir(), "syscount")
	if out, err := exec.Command("go", "build", "-o", bin, "./examples/go/syscount").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var stop atomic.Bool
	defer stop.Store(true)
	go func() {
		for !stop.Load() {
			syscall.Getppid()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "-seconds", "2").Output()
	if err != nil {
		t.Fatalf("syscount: %v\n%s", err, out)
	}
	tables := parseTops(t, string(out))
	if len(tables) != 2 {
		t.Fatalf("%d tables, want 2:\n%s", len(tables), out)
	}
	self := filepath.Base(mustExecutable(t))
	if len(self) > 15 {
		self = self[:15] // comm is 15 bytes at most
	}
	for i, tb := range tables {
		if len(tb) == 0 || len(tb) > 10 {
			t.Errorf("table %d has %d rows, want 1 to 10:\n%s", i, len(tb), out)
		}
		for j := 1; j < len(tb); j++ {
			if tb[j].n > tb[j-1].n {
				t.Errorf("table %d is not in descending order:\n%s", i, out)
			}
		}
	}
	first := map[string]uint64{}
	for _, r := range tables[0] {
		first[r.comm] = r.n
	}
	found := false
	for _, r := range tables[1] {
		if n, ok := first[r.comm]; ok && r.n < n {
			t.Errorf("%s went from %d to %d system calls", r.comm, n, r.n)
		}
		found = found || r.comm == self
	}
	if !found {
		t.Errorf("%s, which made system calls in a loop, is not in the last top 10:\n%s", self, out)
	}
}

// topRow is one line of syscount's table.
type topRow struct {
	comm string
	n    uint64
}

// parseTops reads syscount's output: tables of "COMM SYSCALLS" rows, each
// after a header.
func parseTops(t *testing.T, out string) [][]topRow {
	var tables [][]topRow
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.Contains(line, ": top "):
			tables = append(tables, nil)
		case line == "" || strings.HasPrefix(line, "COMM"):
		default:
			f := strings.Fields(line)
			n, err := strconv.ParseUint(f[len(f)-1], 10, 64)
			if err != nil || len(tables) == 0 {
				t.Fatalf("unexpected line %q in:\n%s", line, out)
			}
			comm := strings.TrimSpace(strings.TrimSuffix(strings.TrimRight(line, " "), f[len(f)-1]))
			tables[len(tables)-1] = append(tables[len(tables)-1], topRow{comm, n})
		}
	}
	return tables
}

// mustExecutable is the test binary's path.
func mustExecutable(t *testing.T) string {
	p, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return p
}
