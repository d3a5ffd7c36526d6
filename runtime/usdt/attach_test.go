package usdt

import (
	"encoding/binary"
	"os/exec"
	"strconv"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/link"

	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/internal/sdtprog"
)

// Slots of the map the test program writes: the arguments from slot 0,
// then these.
const (
	slotDeref = 6 // the 8 bytes at the address in the argument deref names
	slotCount = 7 // the times the probe fired
	slots     = 8
)

// TestAttach attaches a uprobe at each probe of sdtprog, as a PIE and
// not, at Probe.Offset with RefCtrOffset Probe.SemaphoreOffset as hawk
// does, and checks that it fires once per iteration and reads the
// arguments Args describe. The gated probe fires only if the kernel set
// its semaphore: attached without RefCtrOffset, it does not fire.
func TestAttach(t *testing.T) {
	kerneltest.Require(t)
	const n = 5 // sdtprog's iterations: the last has i = 4
	tests := []struct {
		name     string
		noRefCtr bool // attach without RefCtrOffset
		count    uint64
		want     []uint64 // the arguments, from the last iteration
		deref    int      // the argument that points at bytes, or -1
		bytes    string   // what it points at
	}{
		{"tick", false, n, []uint64{4, 4000}, 2, "hello\x00"},
		{"gated", false, n, []uint64{4}, -1, ""},
		{"gated", true, 0, nil, -1, ""},
		{"global", false, n, []uint64{5, neg(4), 204}, -1, ""},
	}
	for _, build := range []struct {
		name  string
		flags []string
	}{{"pie", nil}, {"no-pie", []string{"-no-pie"}}} {
		path := sdtprog.ForTest(t, build.flags...)
		for _, tt := range tests {
			name := build.name + "/" + tt.name
			if tt.noRefCtr {
				name += "-without-semaphore"
			}
			t.Run(name, func(t *testing.T) {
				probes, err := Find(path, "hawktest", tt.name)
				if err != nil {
					t.Fatal(err)
				}
				p := probes[0]
				refCtr := p.SemaphoreOffset
				if tt.noRefCtr {
					refCtr = 0
				}
				counts := attach(t, path, p, refCtr, tt.deref, len(tt.bytes))
				if out, err := exec.Command(path, strconv.Itoa(n)).CombinedOutput(); err != nil {
					t.Fatalf("sdtprog %d: %v %s", n, err, out)
				}
				if got := lookup(t, counts, slotCount); got != tt.count {
					t.Errorf("%s fired %d times, want %d", p, got, tt.count)
				}
				for i, want := range tt.want {
					if got := lookup(t, counts, i); got != want {
						t.Errorf("%s arg%d (%s) = %d (%#x), want %d", p, i, p.Args[i], int64(got), got, int64(want))
					}
				}
				if tt.deref >= 0 {
					b := binary.LittleEndian.AppendUint64(nil, lookup(t, counts, slotDeref))[:len(tt.bytes)]
					if string(b) != tt.bytes {
						t.Errorf("%s arg%d points at %q, want %q", p, tt.deref, b, tt.bytes)
					}
				}
			})
		}
	}
}

// attach loads probeProgram for p and attaches it as a uprobe at
// p.Offset in path, with refCtr as RefCtrOffset, until t ends. It returns
// the program's map.
func attach(t *testing.T, path string, p Probe, refCtr uint64, deref, size int) *ebpf.Map {
	counts, err := ebpf.NewMap(&ebpf.MapSpec{Type: ebpf.Array, KeySize: 4, ValueSize: 8, MaxEntries: slots})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { counts.Close() })
	prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{
		Type:         ebpf.Kprobe,
		License:      "GPL",
		Instructions: probeProgram(counts.FD(), p.Args, deref, size),
	})
	if err != nil {
		t.Fatalf("loading the program for %s (%q): %v", p, p.ArgString, err)
	}
	t.Cleanup(func() { prog.Close() })
	ex, err := link.OpenExecutable(path)
	if err != nil {
		t.Fatal(err)
	}
	up, err := ex.Uprobe("", prog, &link.UprobeOptions{Address: p.Offset, RefCtrOffset: refCtr})
	if err != nil {
		t.Fatalf("attaching at offset %#x: %v", p.Offset, err)
	}
	t.Cleanup(func() { up.Close() })
	return counts
}

// lookup returns the value in slot of m.
func lookup(t *testing.T, m *ebpf.Map, slot int) uint64 {
	t.Helper()
	var v uint64
	if err := m.Lookup(uint32(slot), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// neg returns -x as the 64 bits a sign-extended argument has.
func neg(x int64) uint64 { return uint64(-x) }

// probeProgram returns a program that stores each argument in its slot of
// the array map fd, the size bytes at the address in argument deref (if
// not -1) in slotDeref, and adds 1 to slotCount.
func probeProgram(fd int, args []Arg, deref, size int) asm.Instructions {
	insns := asm.Instructions{asm.Mov.Reg(asm.R6, asm.R1)}
	store := func(slot int32) {
		insns = append(insns,
			asm.StoreMem(asm.RFP, -16, asm.R0, asm.DWord),
			asm.StoreImm(asm.RFP, -20, int64(slot), asm.Word),
			asm.LoadMapPtr(asm.R1, fd),
			asm.Mov.Reg(asm.R2, asm.RFP), asm.Add.Imm(asm.R2, -20),
			asm.Mov.Reg(asm.R3, asm.RFP), asm.Add.Imm(asm.R3, -16),
			asm.Mov.Imm(asm.R4, 0),
			asm.FnMapUpdateElem.Call(),
		)
	}
	for i, a := range args {
		insns = append(insns, loadArg(a)...)
		if i == deref {
			insns = append(insns, asm.Mov.Reg(asm.R7, asm.R0))
		}
		store(int32(i))
	}
	if deref >= 0 {
		insns = append(insns, readUser(asm.R7, size)...)
		store(slotDeref)
	}
	return append(insns,
		asm.StoreImm(asm.RFP, -20, slotCount, asm.Word),
		asm.LoadMapPtr(asm.R1, fd),
		asm.Mov.Reg(asm.R2, asm.RFP), asm.Add.Imm(asm.R2, -20),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, "out"),
		asm.Mov.Imm(asm.R1, 1),
		asm.StoreXAdd(asm.R0, asm.R1, asm.DWord),
		asm.Mov.Imm(asm.R0, 0).WithSymbol("out"),
		asm.Return(),
	)
}

// loadArg returns instructions that put the value of a in R0 the way
// Arg's documentation says, from the pt_regs in R6. They use R1-R5 and
// the stack at fp-8.
func loadArg(a Arg) asm.Instructions {
	var insns asm.Instructions
	width := a.Size
	switch a.Kind {
	case ArgConst:
		insns = append(insns, asm.LoadImm(asm.R0, a.Const, asm.DWord))
	case ArgReg:
		insns = append(insns, asm.LoadMem(asm.R0, asm.R6, int16(a.RegOffset), sizeOf(a.RegSize)))
		width = min(a.Size, a.RegSize)
	case ArgMem:
		insns = append(insns, asm.LoadImm(asm.R3, a.Offset, asm.DWord))
		if a.Reg != "" {
			insns = append(insns, asm.LoadMem(asm.R1, asm.R6, int16(a.RegOffset), asm.DWord), asm.Add.Reg(asm.R3, asm.R1))
		}
		if a.Index != "" {
			insns = append(insns,
				asm.LoadMem(asm.R1, asm.R6, int16(a.IndexOffset), asm.DWord),
				asm.Mul.Imm(asm.R1, int32(a.Scale)),
				asm.Add.Reg(asm.R3, asm.R1))
		}
		insns = append(insns, readUser(asm.R3, a.Size)...)
	}
	if width < 8 {
		shift := int32(64 - 8*width)
		insns = append(insns, asm.LSh.Imm(asm.R0, shift))
		if a.Signed {
			insns = append(insns, asm.ArSh.Imm(asm.R0, shift))
		} else {
			insns = append(insns, asm.RSh.Imm(asm.R0, shift))
		}
	}
	return insns
}

// readUser returns instructions that load size bytes of user memory at
// the address in addr into R0, zero-extended (0 if the read fails).
func readUser(addr asm.Register, size int) asm.Instructions {
	return asm.Instructions{
		asm.Mov.Reg(asm.R3, addr),
		asm.Mov.Imm(asm.R1, 0), // StoreImm has no DWord form
		asm.StoreMem(asm.RFP, -8, asm.R1, asm.DWord),
		asm.Mov.Reg(asm.R1, asm.RFP), asm.Add.Imm(asm.R1, -8),
		asm.Mov.Imm(asm.R2, int32(size)),
		asm.FnProbeReadUser.Call(),
		asm.LoadMem(asm.R0, asm.RFP, -8, asm.DWord),
	}
}

// sizeOf returns the load size of n bytes.
func sizeOf(n int) asm.Size {
	return map[int]asm.Size{1: asm.Byte, 2: asm.Half, 4: asm.Word, 8: asm.DWord}[n]
}
