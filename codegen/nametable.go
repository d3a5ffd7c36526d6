package codegen

// strerror, signal_name and syscall_name: a number's name, read in the
// program from a table in the read-only data, as bpftrace's standard
// library does, so that the result is a string like any other (a map key,
// compared, cut).

import (
	"encoding/binary"

	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// nameTable returns the names f gives numbers, the name of a number
// outside the table or without a name, and whether negative numbers name
// their absolute value (strerror(-EPERM) is EPERM's message).
func nameTable(f lang.Func) (names []string, unknown string, abs bool) {
	switch f {
	case lang.FuncStrerror:
		return errnoMessages[:], "Unknown error", true
	case lang.FuncSignalName:
		return signalNames[:], "N/A", false
	case lang.FuncSyscallName:
		return syscallNames(), "Unknown syscall", false
	}
	internal("nameTable: %v has no table", f)
	return nil, "", false
}

// syscallNames inverts syscallNumbers: the name of each system call
// number of this architecture.
func syscallNames() []string {
	n := 0
	for _, nr := range syscallNumbers {
		n = max(n, nr+1)
	}
	names := make([]string, n)
	for name, nr := range syscallNumbers {
		// Two names for one number (stat and newstat): the shorter,
		// which is the system call's own.
		if names[nr] == "" || len(name) < len(names[nr]) || len(name) == len(names[nr]) && name < names[nr] {
			names[nr] = name
		}
	}
	return names
}

// nameTable returns the offset of a table of uint32 offsets, one per
// number, of its name in the read-only data; a number without a name
// points at unknown. key names the table: each is stored once.
func (r *rodata) nameTable(key string, names []string, unknown string) int {
	if off, ok := r.tables[key]; ok {
		return off
	}
	offs := make([]int, len(names))
	for i, s := range names {
		if s == "" {
			s = unknown
		}
		offs[i] = r.str(s)
	}
	off := len(r.data)
	for _, o := range offs {
		r.data = binary.NativeEndian.AppendUint32(r.data, uint32(o))
	}
	for len(r.data)%8 != 0 {
		r.data = append(r.data, 0)
	}
	if r.tables == nil {
		r.tables = map[string]int{}
	}
	r.tables[key] = off
	return off
}

// nameOffsetMask bounds a name's offset, read from a table, for the
// verifier, which refuses to add an unbounded number to a pointer: the
// read-only data is far smaller.
const nameOffsetMask = 1<<24 - 1

// nameTo writes the name call (strerror, signal_name or syscall_name)
// gives its argument, a C int, into dst, cut to dst's size; f says what
// the bytes after the NUL get.
func (g *gen) nameTo(call *lang.Call, dst mem, f fill) {
	fn := g.info.Funcs[call]
	names, unknown, abs := nameTable(fn)
	table := g.rodata.nameTable(fn.String(), names, unknown)
	none := g.rodata.str(unknown)
	n := min(lang.NameSize, dst.size)
	out := dst.sub(0, n)
	if f != keepRest {
		g.zero(out)
	}
	g.withReg(func(r asm.Register) {
		g.withReg(func(t asm.Register) {
			g.scalarTo(call.Args[0], r)
			g.emit(asm.LSh.Imm(r, 32), asm.ArSh.Imm(r, 32)) // as an int32
			if abs {
				positive := g.newLabel("name_positive")
				g.emit(asm.JSGE.Imm(r, 0, positive))
				g.emit(asm.Neg.Imm(r, 0))
				g.place(positive)
			}
			missing, found := g.newLabel("name_unknown"), g.newLabel("name_found")
			// Unsigned: a negative number is past the end too.
			g.emit(asm.JGE.Imm(r, int32(len(names)), missing))
			g.emit(asm.LSh.Imm(r, 2))
			g.loadRodata(t, table)
			g.emit(asm.Add.Reg(t, r))
			g.emit(asm.LoadMem(r, t, 0, asm.Word))
			g.emit(asm.And.Imm(r, nameOffsetMask))
			g.emit(asm.Ja.Label(found))
			g.place(missing)
			g.emit(asm.Mov.Imm(r, int32(none)))
			g.place(found)
			g.loadRodata(t, 0)
			g.emit(asm.Add.Reg(t, r))
			g.emit(asm.Mov.Reg(asm.R3, t))
		})
	})
	g.addrTo(out, asm.R1)
	g.emit(asm.Mov.Imm(asm.R2, int32(n)))
	g.call(asm.FnProbeReadKernelStr)
	g.fillTail(dst, n, f)
}
