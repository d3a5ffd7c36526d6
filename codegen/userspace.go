package codegen

import (
	"encoding/binary"
	"fmt"

	"github.com/cilium/ebpf/asm"

	"github.com/hawktrace/hawk/lang"
)

// BEGIN and END blocks in user space.
//
// A BEGIN or END program runs once, in hawk's own process, on no event's
// context: when all it does is send records whose every byte is known at
// compile time (printf with constant arguments, print of literals or of
// maps, clear, zero, time, exit) and write constants into the state map,
// the runtime can do the same without a program. userBlock finds out by
// running the program's instructions over known values, the ring buffer's
// reservations succeeding: an instruction whose effect is not known (a
// helper that reads the kernel, a map update, a jump on an unknown value)
// keeps the program. The records are those the program would send, byte
// for byte, so the runtime handles them as it would the program's.

// UserBlock is what a BEGIN or END block runs instead of a program when
// user space can do all it does.
type UserBlock struct {
	// Records are the records the program would send, in order.
	Records []UserRecord
	// State are its writes to the state map (Manifest.LostMap's one
	// value), in order: exit() asks the probes to stop there.
	State []StateWrite
}

// UserRecord is one record a block sends, with the script line that sends
// it (for `-d asm`).
type UserRecord struct {
	Data   []byte
	Source string
}

// StateWrite is bytes written at an offset of the state map's value.
type StateWrite struct {
	Offset int
	Data   []byte
}

// inUserSpace returns what a BEGIN or END program does when user space
// can do it all, and nil when the program stays in the kernel. A block
// runs in user space only when the blocks of its kind before it do too:
// the runtime handles its records before those in the ring buffer.
func (c *compiler) inUserSpace(kind lang.ProbeKind, insns asm.Instructions) *UserBlock {
	if kind != lang.ProbeBegin && kind != lang.ProbeEnd || c.opts.KernelBeginEnd || c.opts.CountHits || c.inKernel[kind] || len(insns) == 0 {
		return nil
	}
	if ub, ok := userBlock(insns, ringbufMapName, lostMapName); ok {
		return ub
	}
	if c.inKernel == nil {
		c.inKernel = map[lang.ProbeKind]bool{}
	}
	c.inKernel[kind] = true
	return nil
}

// maxUserSteps bounds the instructions userBlock runs: a block that loops
// longer keeps its program.
const maxUserSteps = 1 << 16

// uval is what userBlock knows of a register.
type uval struct {
	kind uvalKind
	n    int64 // a scalar's value; a pointer's offset
	rec  int   // uRecord: which record
}

type uvalKind int

const (
	uUnknown uvalKind = iota
	uScalar
	uStack   // the frame pointer plus n
	uRecord  // reservation rec, plus n
	uState   // the state map's value, plus n
	uRingbuf // the ring buffer map
	uWake    // the wake word (wakeMapName): submit flags, moot in user space
)

// umem is memory whose bytes userBlock may know.
type umem struct {
	b     []byte
	known []bool
}

func newUmem(n int) *umem { return &umem{b: make([]byte, n), known: make([]bool, n)} }

func (m *umem) store(off, size int, v uval) bool {
	if off < 0 || off+size > len(m.b) {
		return false
	}
	putSized(m.b[off:off+size], uint64(v.n))
	for i := range size {
		m.known[off+i] = v.kind == uScalar
	}
	return true
}

// putSized stores the low len(b) bytes of x in b, in the kernel's order.
func putSized(b []byte, x uint64) {
	switch len(b) {
	case 1:
		b[0] = byte(x)
	case 2:
		binary.NativeEndian.PutUint16(b, uint16(x))
	case 4:
		binary.NativeEndian.PutUint32(b, uint32(x))
	case 8:
		binary.NativeEndian.PutUint64(b, x)
	}
}

// getSized loads what putSized stores.
func getSized(b []byte) uint64 {
	switch len(b) {
	case 1:
		return uint64(b[0])
	case 2:
		return uint64(binary.NativeEndian.Uint16(b))
	case 4:
		return uint64(binary.NativeEndian.Uint32(b))
	}
	return binary.NativeEndian.Uint64(b)
}

func (m *umem) load(off, size int) (uval, bool) {
	if off < 0 || off+size > len(m.b) {
		return uval{}, false
	}
	for i := range size {
		if !m.known[off+i] {
			return uval{}, true
		}
	}
	return uval{kind: uScalar, n: int64(getSized(m.b[off : off+size]))}, true
}

// userBlock returns what the program insns does, when user space can do
// it all; ringbuf and state name the ring buffer and the state map.
func userBlock(insns asm.Instructions, ringbuf, state string) (*UserBlock, bool) {
	at := map[string]int{}
	for i, in := range insns {
		if sym := in.Symbol(); sym != "" {
			at[sym] = i
		}
	}
	var (
		regs   [11]uval
		stack  = newUmem(StackSize)
		recs   []*umem
		sent   = map[int]bool{}
		out    = &UserBlock{}
		source string
	)
	regs[asm.R10] = uval{kind: uStack, n: StackSize}
	// mem finds the memory a pointer reaches, and the offset in it.
	mem := func(p uval, off int16) (*umem, int, bool) {
		switch p.kind {
		case uStack:
			return stack, int(p.n) + int(off), true
		case uRecord:
			if sent[p.rec] {
				return nil, 0, false
			}
			return recs[p.rec], int(p.n) + int(off), true
		}
		return nil, 0, false
	}
	pc := 0
	for range maxUserSteps {
		if pc < 0 || pc >= len(insns) {
			return nil, false
		}
		in := insns[pc]
		if s := in.Source(); s != nil {
			source = s.String()
		}
		next := pc + 1
		op := in.OpCode
		switch cls := op.Class(); {
		case op == asm.LoadImmOp(asm.DWord):
			switch {
			case in.Src == asm.PseudoMapFD && in.Reference() == ringbuf:
				regs[in.Dst] = uval{kind: uRingbuf}
			case in.Src == asm.PseudoMapValue && in.Reference() == wakeMapName:
				regs[in.Dst] = uval{kind: uWake}
			case in.Src == asm.PseudoMapValue && in.Reference() == state:
				regs[in.Dst] = uval{kind: uState, n: int64(uint32(uint64(in.Constant) >> 32))}
			case in.Src == 0 && in.Reference() == "":
				regs[in.Dst] = uval{kind: uScalar, n: in.Constant}
			default:
				regs[in.Dst] = uval{}
			}
		case cls.IsALU():
			v, ok := userALU(in, regs[in.Dst], regs[in.Src])
			if !ok {
				return nil, false
			}
			regs[in.Dst] = v
		case cls == asm.LdXClass && op.Mode() == asm.MemMode:
			if regs[in.Src].kind == uWake {
				// A record user space sends wakes no one: any flags do.
				regs[in.Dst] = uval{kind: uScalar}
				break
			}
			m, off, ok := mem(regs[in.Src], in.Offset)
			if !ok {
				return nil, false
			}
			if regs[in.Dst], ok = m.load(off, op.Size().Sizeof()); !ok {
				return nil, false
			}
		case (cls == asm.StXClass || cls == asm.StClass) && op.Mode() == asm.MemMode:
			v := uval{kind: uScalar, n: in.Constant}
			if cls == asm.StXClass {
				v = regs[in.Src]
			}
			size := op.Size().Sizeof()
			if p := regs[in.Dst]; p.kind == uState {
				if v.kind != uScalar {
					return nil, false
				}
				data := make([]byte, size)
				putSized(data, uint64(v.n))
				out.State = append(out.State, StateWrite{Offset: int(p.n) + int(in.Offset), Data: data})
				break
			}
			m, off, ok := mem(regs[in.Dst], in.Offset)
			if !ok || !m.store(off, size, v) {
				return nil, false
			}
		case cls.IsJump():
			switch jop := op.JumpOp(); jop {
			case asm.Exit:
				return out, true
			case asm.Ja:
				next = at[in.Reference()]
			case asm.Call:
				if !in.IsBuiltinCall() {
					return nil, false
				}
				r0, ok := userCall(asm.BuiltinFunc(in.Constant), &regs, &recs, sent, out, source)
				if !ok {
					return nil, false
				}
				for r := asm.R1; r <= asm.R5; r++ {
					regs[r] = uval{}
				}
				regs[asm.R0] = r0
			default:
				y := uval{kind: uScalar, n: in.Constant}
				if op.Source() == asm.RegSource {
					y = regs[in.Src]
				}
				taken, ok := userJump(jop, cls == asm.Jump32Class, regs[in.Dst], y)
				if !ok {
					return nil, false
				}
				if taken {
					next = at[in.Reference()]
				}
			}
		default:
			return nil, false
		}
		pc = next
	}
	return nil, false
}

// userCall runs the ring buffer helpers; any other keeps the program.
func userCall(fn asm.BuiltinFunc, regs *[11]uval, recs *[]*umem, sent map[int]bool, out *UserBlock, source string) (uval, bool) {
	r1, r2, r3 := regs[asm.R1], regs[asm.R2], regs[asm.R3]
	switch fn {
	case asm.FnRingbufReserve:
		if r1.kind != uRingbuf || r2.kind != uScalar || r2.n <= 0 || r2.n > 1<<20 || r3.kind != uScalar || r3.n != 0 {
			return uval{}, false
		}
		*recs = append(*recs, newUmem(int(r2.n)))
		return uval{kind: uRecord, rec: len(*recs) - 1}, true
	case asm.FnRingbufSubmit:
		if r1.kind != uRecord || r1.n != 0 || sent[r1.rec] {
			return uval{}, false
		}
		rec := (*recs)[r1.rec]
		for _, k := range rec.known {
			if !k {
				return uval{}, false
			}
		}
		sent[r1.rec] = true
		out.Records = append(out.Records, UserRecord{Data: rec.b, Source: source})
		return uval{}, true
	}
	return uval{}, false
}

// userALU computes an ALU instruction on what is known of its operands.
func userALU(in asm.Instruction, dst, src uval) (uval, bool) {
	op := in.OpCode
	if in.Offset != 0 { // movsx, sdiv, smod
		return uval{}, false
	}
	if op.Source() == asm.ImmSource {
		src = uval{kind: uScalar, n: in.Constant}
	}
	alu := op.ALUOp()
	is32 := op.Class() == asm.ALUClass
	if alu == asm.Mov {
		if is32 {
			if src.kind != uScalar {
				return uval{}, true
			}
			return uval{kind: uScalar, n: int64(uint32(src.n))}, true
		}
		return src, true
	}
	if !is32 && (alu == asm.Add || alu == asm.Sub) && src.kind == uScalar {
		switch dst.kind {
		case uStack, uRecord, uState:
			if alu == asm.Sub {
				src.n = -src.n
			}
			dst.n += src.n
			return dst, true
		}
	}
	if dst.kind != uScalar || src.kind != uScalar && alu != asm.Neg {
		if dst.kind == uRecord || dst.kind == uRingbuf || src.kind == uRecord {
			return uval{}, false // a pointer the program would lose track of
		}
		return uval{}, true
	}
	r, ok := FoldALU(alu, uint64(dst.n), uint64(src.n), is32)
	if !ok {
		return uval{}, false
	}
	return uval{kind: uScalar, n: int64(r)}, true
}

// FoldALU computes an ALU operation on two constants as the instruction
// does (is32: the 32-bit class, whose result is zero-extended); it
// reports false for an operation it does not know. A division or modulo
// by zero gives 0 and x, as the kernel's.
func FoldALU(alu asm.ALUOp, x, y uint64, is32 bool) (uint64, bool) {
	if is32 {
		x, y = uint64(uint32(x)), uint64(uint32(y))
	}
	shift := y & 63
	if is32 {
		shift = y & 31
	}
	var r uint64
	switch alu {
	case asm.Add:
		r = x + y
	case asm.Sub:
		r = x - y
	case asm.Mul:
		r = x * y
	case asm.Div:
		if y != 0 {
			r = x / y
		}
	case asm.Mod:
		r = x
		if y != 0 {
			r = x % y
		}
	case asm.Or:
		r = x | y
	case asm.And:
		r = x & y
	case asm.Xor:
		r = x ^ y
	case asm.LSh:
		r = x << shift
	case asm.RSh:
		r = x >> shift
	case asm.ArSh:
		if is32 {
			r = uint64(uint32(int32(uint32(x)) >> shift))
		} else {
			r = uint64(int64(x) >> shift)
		}
	case asm.Neg:
		r = -x
	default:
		return 0, false
	}
	if is32 {
		r = uint64(uint32(r))
	}
	return r, true
}

// userJump decides a conditional jump on what is known of its operands. A
// reservation is never null: the path where the ring buffer had no room
// is not the one user space takes.
func userJump(op asm.JumpOp, is32 bool, x, y uval) (taken, ok bool) {
	if x.kind == uRecord && y.kind == uScalar && y.n == 0 && x.n == 0 {
		switch op {
		case asm.JNE:
			return true, true
		case asm.JEq:
			return false, true
		}
		return false, false
	}
	if x.kind != uScalar || y.kind != uScalar {
		return false, false
	}
	a, b := uint64(x.n), uint64(y.n)
	sa, sb := x.n, y.n
	if is32 {
		a, b = uint64(uint32(a)), uint64(uint32(b))
		sa, sb = int64(int32(a)), int64(int32(b))
	}
	switch op {
	case asm.JEq:
		return a == b, true
	case asm.JNE:
		return a != b, true
	case asm.JGT:
		return a > b, true
	case asm.JGE:
		return a >= b, true
	case asm.JLT:
		return a < b, true
	case asm.JLE:
		return a <= b, true
	case asm.JSGT:
		return sa > sb, true
	case asm.JSGE:
		return sa >= sb, true
	case asm.JSLT:
		return sa < sb, true
	case asm.JSLE:
		return sa <= sb, true
	case asm.JSet:
		return a&b != 0, true
	}
	return false, false
}

// describeRecord names what a record of a user-space block does, for
// `-d asm`.
func describeRecord(man *Manifest, rec []byte) string {
	if len(rec) < EventHeaderSize {
		return "a record"
	}
	kind, id := binary.NativeEndian.Uint32(rec[EventKindOffset:]), binary.NativeEndian.Uint32(rec[EventIDOffset:])
	mapName := func() string {
		if int(id) < len(man.Maps) {
			return man.Maps[id].Name
		}
		return fmt.Sprint("map ", id)
	}
	switch kind {
	case EventPrintf:
		return fmt.Sprintf("printf #%d", id)
	case EventExit:
		return fmt.Sprintf("exit(%d)", int32(id))
	case EventPrintMap:
		return "print " + mapName()
	case EventClear:
		return "clear " + mapName()
	case EventZero:
		return "zero " + mapName()
	case EventPrintValue:
		return fmt.Sprintf("print value #%d", id)
	case EventTime:
		return fmt.Sprintf("time #%d", id)
	}
	return fmt.Sprintf("event %d #%d", kind, id)
}
