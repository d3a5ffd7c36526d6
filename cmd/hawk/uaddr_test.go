package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// uaddrBuilds builds testdata/uaddr/uaddr.c once per test binary and
// kind, into the directory TestMain made for hawk: "pie" and "nopie".
var uaddrBuilds sync.Map // kind -> func() (string, error)

// uaddrProgram returns the uaddr test program, built as a PIE or not.
func uaddrProgram(t *testing.T, pie bool) string {
	t.Helper()
	kind, flags := "nopie", []string{"-no-pie"}
	if pie {
		kind, flags = "pie", []string{"-pie", "-fPIE"}
	}
	build, _ := uaddrBuilds.LoadOrStore(kind, sync.OnceValues(func() (string, error) {
		out := filepath.Join(filepath.Dir(hawkBin), "uaddr-"+kind)
		args := append([]string{"-O1", "-g", "-Wl,--build-id", "-o", out}, flags...)
		cmd := exec.Command("gcc", append(args, "testdata/uaddr/uaddr.c")...)
		if b, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("%w\n%s", err, b)
		}
		return out, nil
	}))
	path, err := build.(func() (string, error))()
	if err != nil {
		if _, look := exec.LookPath("gcc"); look != nil {
			kerneltest.Missing(t, "building the uaddr test program needs gcc: %v", look)
		}
		t.Fatalf("building the uaddr test program: %v", err)
	}
	return path
}

// TestUprobeAddress: a uprobe or uretprobe at a function's address, as nm
// prints it (a virtual address, which hawk turns into the file offset the
// kernel wants), fires once per call, in a PIE as in a program linked at
// a fixed address.
func TestUprobeAddress(t *testing.T) {
	for _, pie := range []bool{false, true} {
		prog := uaddrProgram(t, pie)
		addr := symAddr(t, prog, "target")
		for _, kind := range []string{"uprobe", "uretprobe"} {
			t.Run(fmt.Sprintf("%s/pie=%v", kind, pie), func(t *testing.T) {
				point := kind + ":" + prog + ":" + addr
				code, stdout, stderr := hawkOut(t, "-q", "-c", prog+" 3", "-e", point+" { @[probe] = count(); }")
				if want := "\n\n@[" + point + "]: 3\n"; code != 0 || stdout != want {
					t.Errorf("exit %d\nstdout %q\nwant   %q\nstderr:\n%s", code, stdout, want, stderr)
				}
			})
		}
	}
}

// TestUprobeAddressNotCode: an address outside the binary's code is a
// positioned error, not a probe that never fires or a failed attach.
func TestUprobeAddressNotCode(t *testing.T) {
	prog := uaddrProgram(t, true)
	for _, tc := range []struct{ addr, err string }{
		{symAddr(t, prog, "total"), "is in a segment that is not code"},
		{"0x7fffffff0000", "is in no loaded segment of"},
	} {
		script := "uprobe:" + prog + ":" + tc.addr + " { @ = count(); }"
		code, stdout, stderr := hawkOut(t, "-q", "-e", script)
		want := "-e:1:1: error: address " + tc.addr
		if code != exitUser || stdout != "" || !strings.HasPrefix(stderr, want) || !strings.Contains(stderr, tc.err) || !strings.Contains(stderr, "\n    ^~~~") {
			t.Errorf("%s: exit %d\nstdout %q\nstderr:\n%s\nwant an error starting %q saying %q, with a caret", script, code, stdout, stderr, want, tc.err)
		}
	}
}
