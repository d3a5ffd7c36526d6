package progcount

import (
	"bufio"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

func TestParseProgID(t *testing.T) {
	const fdinfo = "pos:\t0\nflags:\t02000002\nmnt_id:\t15\nino:\t1057\nprog_type:\t5\nprog_jited:\t1\n" +
		"prog_tag:\t2ad2ae2fbd7d4e4c\nmemlock:\t4096\nprog_id:\t4711\nrun_time_ns:\t0\n"
	id, err := parseProgID(bufio.NewScanner(strings.NewReader(fdinfo)), "fdinfo")
	if err != nil || id != 4711 {
		t.Errorf("prog id %d, %v; want 4711", id, err)
	}
	if _, err := parseProgID(bufio.NewScanner(strings.NewReader("pos:\t0\n")), "fdinfo"); err == nil {
		t.Error("no error for fdinfo without prog_id")
	}
}

// TestCountsOwnPrograms loads two programs of known size into this
// process, one of them through two fds, and counts them through
// /proc/self: each once, with the xlated size the kernel reports.
func TestCountsOwnPrograms(t *testing.T) {
	kerneltest.Require(t)
	load := func(insns asm.Instructions) *ebpf.Program {
		t.Helper()
		p, err := ebpf.NewProgram(&ebpf.ProgramSpec{Type: ebpf.SocketFilter, License: "GPL", Instructions: insns})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.Close() })
		return p
	}
	small := load(asm.Instructions{asm.Mov.Imm(asm.R0, 0), asm.Return()})
	// LoadImm64 takes two instruction slots: 2+1+1+1 = 5.
	big := load(asm.Instructions{asm.LoadImm(asm.R0, 1<<40, asm.DWord), asm.Mov.Imm(asm.R0, 1), asm.Add.Imm(asm.R0, 2), asm.Return()})
	dup, err := big.Clone()
	if err != nil {
		t.Fatal(err)
	}
	defer dup.Close()

	want := map[ebpf.ProgramID]int{}
	for _, p := range []*ebpf.Program{small, big} {
		info, err := p.Info()
		if err != nil {
			t.Fatal(err)
		}
		id, _ := info.ID()
		size, err := info.TranslatedSize()
		if err != nil {
			t.Fatal(err)
		}
		want[id] = size / 8
	}
	progs, err := Programs(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	got := map[ebpf.ProgramID]int{}
	for _, p := range progs {
		if _, ok := want[p.ID]; ok {
			if _, seen := got[p.ID]; seen {
				t.Errorf("program %d counted twice", p.ID)
			}
			got[p.ID] = p.Insns
		}
	}
	for id, n := range want {
		if got[id] != n {
			t.Errorf("program %d: counted %d instructions, Info says %d", id, got[id], n)
		}
	}
	if n := want[idOf(t, small)]; n != 2 {
		t.Errorf("the 2-instruction program has %d xlated instructions", n)
	}
	if n := want[idOf(t, big)]; n != 5 {
		t.Errorf("the 5-slot program has %d xlated instructions", n)
	}
	if len(progs) != 2 {
		t.Errorf("%d programs counted in this process, want 2: %v", len(progs), progs)
	}
}

func idOf(t *testing.T, p *ebpf.Program) ebpf.ProgramID {
	info, err := p.Info()
	if err != nil {
		t.Fatal(err)
	}
	id, _ := info.ID()
	return id
}

// TestHolders: a child that holds a program is among the holders; this
// process, which holds programs too, is not.
func TestHolders(t *testing.T) {
	kerneltest.Require(t)
	p, err := ebpf.NewProgram(&ebpf.ProgramSpec{Type: ebpf.SocketFilter, License: "GPL",
		Instructions: asm.Instructions{asm.Mov.Imm(asm.R0, 0), asm.Return()}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	fd, err := syscall.Dup(p.FD())
	if err != nil {
		t.Fatal(err)
	}
	f := os.NewFile(uintptr(fd), "prog")
	defer f.Close()
	child := exec.Command("sleep", "30")
	child.ExtraFiles = []*os.File{f}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { child.Process.Kill(); child.Wait() }()
	pids, err := Holders()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(pids, child.Process.Pid) {
		t.Errorf("holders %v lack the child %d", pids, child.Process.Pid)
	}
	if slices.Contains(pids, os.Getpid()) {
		t.Errorf("holders %v include this process", pids)
	}
}
