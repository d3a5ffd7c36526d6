package usersym

import (
	"bufio"
	"debug/elf"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// startSleep starts /bin/sleep, a dynamically linked PIE, and returns its
// pid; it is killed when the test ends.
func startSleep(t *testing.T) uint32 {
	t.Helper()
	cmd := exec.Command("/bin/sleep", "30")
	if err := cmd.Start(); err != nil {
		kerneltest.Missing(t, "cannot run /bin/sleep: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	pid := uint32(cmd.Process.Pid)
	// Until the dynamic loader has mapped libc, the maps show less.
	for range 500 {
		if _, ok := libcMapping(t, pid); ok {
			return pid
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("libc never appeared in /proc/%d/maps", pid)
	return 0
}

// libcMapping returns the mapping of libc's file offset 0 in process pid.
func libcMapping(t *testing.T, pid uint32) (mapping, bool) {
	t.Helper()
	ms, err := readMaps(pid)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		base := filepath.Base(m.path)
		if m.offset == 0 && (base == "libc.so.6" || strings.HasPrefix(base, "libc-")) {
			return m, true
		}
	}
	return mapping{}, false
}

// loadSegment returns the PT_LOAD header of the ELF file at path that
// holds virtual address vaddr.
func loadSegment(t *testing.T, path string, vaddr uint64) *elf.Prog {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD && vaddr >= p.Vaddr && vaddr < p.Vaddr+p.Memsz {
			return p
		}
	}
	t.Fatalf("%s: no PT_LOAD holds %#x", path, vaddr)
	return nil
}

// child is a running testdata/child program.
type child struct {
	cmd    *exec.Cmd
	path   string // its executable
	pid    uint32
	target uint64 // address of its function main.target
	in     io.Writer
	out    *bufio.Reader
}

// startChild builds testdata/child as a PIE and starts it; it is killed
// when the test ends.
func startChild(t *testing.T) *child {
	t.Helper()
	c := &child{path: buildChild(t, "-buildmode=pie")}
	c.cmd = exec.Command(c.path)
	stdin, err := c.cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c.cmd.Stderr = os.Stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.kill() })
	c.in, c.out = stdin, bufio.NewReader(stdout)
	c.pid = uint32(c.cmd.Process.Pid)
	c.target = c.readAddr(t)
	return c
}

// buildChild builds testdata/child with the go build flags given and
// returns the path of the executable.
func buildChild(t testing.TB, flags ...string) string {
	t.Helper()
	gotool, err := exec.LookPath("go")
	if err != nil {
		kerneltest.Missing(t, "no go command to build the child process")
	}
	path := filepath.Join(t.TempDir(), "child")
	args := append(append([]string{"build"}, flags...), "-o", path, "./testdata/child/main.go")
	if out, err := exec.Command(gotool, args...).CombinedOutput(); err != nil {
		t.Fatalf("building the child: %v\n%s", err, out)
	}
	return path
}

// readAddr reads an address the child printed.
func (c *child) readAddr(t *testing.T) uint64 {
	t.Helper()
	line, err := c.out.ReadString('\n')
	if err != nil {
		t.Fatalf("reading from the child: %v", err)
	}
	addr, err := strconv.ParseUint(strings.TrimSpace(line), 0, 64)
	if err != nil {
		t.Fatalf("the child printed %q", line)
	}
	return addr
}

// mapFile has the child map n bytes of the file at path from off, and
// returns where.
func (c *child) mapFile(t *testing.T, path string, off, n uint64) uint64 {
	t.Helper()
	fmt.Fprintf(c.in, "%s %d %d\n", path, off, n)
	return c.readAddr(t)
}

// kill ends the child and waits for it, so its pid is gone from /proc.
func (c *child) kill() {
	c.cmd.Process.Kill()
	c.cmd.Wait()
}

// libcPath returns the path of the libc that /bin/sleep maps.
func libcPath(t *testing.T) string {
	t.Helper()
	m, _ := libcMapping(t, startSleep(t))
	return m.path
}
