package main

import (
	"debug/elf"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/runtime/usersym"
)

// uaddrProgram returns the uaddr test program, built once as a PIE or
// not, with frame pointers and a build id.
func uaddrProgram(t *testing.T, pie bool) string {
	t.Helper()
	kind, flags := "nopie", []string{"-no-pie"}
	if pie {
		kind, flags = "pie", []string{"-pie", "-fPIE"}
	}
	flags = append([]string{"-O1", "-g", "-fno-omit-frame-pointer", "-Wl,--build-id"}, flags...)
	return cProgram(t, "uaddr-"+kind, "testdata/uaddr/uaddr.c", flags...)
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

// TestUstackBuildID: ustack(build_id) takes each frame as its binary's
// build id and the offset in the binary, printed as bpftrace prints them;
// the first frame of a uprobe on target is target's file offset in the
// test program, the next ones are in main (outer, a leaf but for target,
// keeps no frame of its own at target's entry) and in libc. In a tuple
// the stack prints the same.
func TestUstackBuildID(t *testing.T) {
	for _, pie := range []bool{false, true} {
		t.Run(fmt.Sprintf("pie=%v", pie), func(t *testing.T) {
			prog := uaddrProgram(t, pie)
			id := buildID(t, prog)
			script := "uprobe:" + prog + ":target { @[ustack(build_id)] = count(); @t[1] = (1, ustack(build_id, 1)); }"
			code, stdout, stderr := hawkOut(t, "-q", "-c", prog+" 3", "-e", script)
			frames := regexp.MustCompile(`(?m)^([0-9a-f]{40}) 0x([0-9a-f]{2,})$`).FindAllStringSubmatch(stdout, -1)
			want := regexp.MustCompile(`^\n\n@\[\n(?:[0-9a-f]{40} 0x[0-9a-f]{2,}\n){3,}\]: 3\n@t\[1\]: \(1, \n[0-9a-f]{40} 0x[0-9a-f]{2,}\n\)\n$`)
			if code != 0 || !want.MatchString(stdout) || len(frames) < 4 {
				t.Fatalf("exit %d\nstdout:\n%s\nwant %s\nstderr:\n%s", code, stdout, want, stderr)
			}
			addr, _ := strconv.ParseUint(symAddr(t, prog, "target")[2:], 16, 64)
			off, err := usersym.AddressOffset(prog, addr)
			if err != nil {
				t.Fatal(err)
			}
			first := id + " " + fmt.Sprintf("0x%02x", off)
			if got := frames[0][0]; got != first {
				t.Errorf("first frame %q, want %q (target's file offset)", got, first)
			}
			if last := frames[len(frames)-1][0]; last != first {
				t.Errorf("the tuple's one frame %q, want %q", last, first)
			}
			if frames[1][1] != id || frames[2][1] == id {
				t.Errorf("frames %q: want the second in the program (%s), the third in libc", frames, id)
			}
		})
	}
}

// buildID reads the GNU build id of the ELF file at path, in hex.
func buildID(t *testing.T, path string) string {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := f.Section(".note.gnu.build-id")
	if s == nil {
		t.Fatalf("%s has no build id", path)
	}
	note, err := s.Data()
	// namesz, descsz, type, then "GNU\0" and the id.
	if err != nil || len(note) < 16 {
		t.Fatalf("%s: build id note %x: %v", path, note, err)
	}
	descsz := f.ByteOrder.Uint32(note[4:])
	return hex.EncodeToString(note[16 : 16+descsz])
}
