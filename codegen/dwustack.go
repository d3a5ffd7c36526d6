package codegen

import (
	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// dw_ustack: the user stack unwound with the binaries' call frame
// information, which user space compiled into rows (dwunwind_wire.go).
//
// The walk keeps its state in a per-CPU map value (dwStateMap), which the
// verifier does not track, so that the loop's body is checked once: a
// bpf_loop callback (dwStepFunc, dwunwinder.go) does one step each time
// it is called. A step either finds the mapping of the frame's address,
// in the process's table (DwProcsMap, one binary search step per call) or
// else with bpf_find_vma (whose callback, dwVmaFunc, reads the file's
// inode, device and the file offset the mapping starts at), and looks the
// file up in DwFilesMap; or takes one step of the binary search of the
// file's rows; or, the row found, computes the CFA, reads the return
// address at CFA-8 and rbp where the row says, and appends the return
// address. Frame 0 is the thread's user registers (bpf_task_pt_regs).

const (
	dwStateMap = "hawk_dw_state"
	dwStepFunc = "hawk_dw_step"
	dwVmaFunc  = "hawk_dw_vma"
)

// The state's layout.
const (
	dwPC     = 0  // the address looked up: ip, then each return address - 1
	dwSP     = 8  // rsp of the frame
	dwBP     = 16 // rbp of the frame
	dwBias   = 24 // the mapping's start minus its offset in the file
	dwKey    = 32 // the file: inode (8), device (4), zero (4): a DwFilesMap key
	dwLo     = 48 // the binary search's rows [lo, hi)
	dwHi     = 56
	dwPhase  = 64 // dwFind, dwMapSearch, dwSearch or dwStep
	dwN      = 72 // frames taken
	dwLimit  = 80 // frames wanted
	dwStatus = 88 // dwNoData when frame 0's file has no rows
	dwHash   = 96 // hash of the frames so far, then the frames
	dwFrames = 104
	dwTgid   = dwFrames + 8*dwMaxFrames // the process id: a DwProcsMap key

	dwMaxFrames = 1024 // the largest stack limit
	dwStateSize = dwTgid + 8
)

const (
	dwFind      = 0
	dwSearch    = 1
	dwStep      = 2
	dwMapSearch = 3
	dwNoData    = 1
)

// FNV-1a's 64-bit constants, to hash the frames.
const (
	fnvBasis = -0x340d631b7bdddcdb // 0xcbf29ce484222325
	fnvPrime = 0x100000001b3
)

// x86-64's struct pt_regs: where ip, sp and bp are.
const (
	ptRegsIP = 128
	ptRegsBP = 32
)

// errExist is EEXIST, what an update of a key already there returns.
const errExist = 17

// dwStackTo sets dst to a dw_ustack: the id of its frames in the stack
// map of its limit, and the process id above (StackPidShift), as
// stackTo's ustack. A process with no rows for the binary of its frame 0
// gives no stack (bpf_get_stackid's -EFAULT), and a warning.
func (g *gen) dwStackTo(id *lang.Ident, t *lang.Type, dst asm.Register) {
	limit := int(t.Args[0])
	name := g.dwStackMap(limit)
	pid := g.rememberPid()
	state, key := g.allocSlot(), g.allocSlot()
	done, nodata := g.newLabel("dw_done"), g.newLabel("dw_nodata")
	g.emit(asm.Mov.Imm(asm.R0, -14)) // -EFAULT: no stack
	g.emit(asm.StoreMem(g.fp, int16(key), asm.R0, asm.DWord))
	g.dwWalk(limit, state, pid, done, nodata)
	g.dwStore(name, limit, state, key, done)
	g.emit(asm.Ja.Label(done))
	g.place(nodata)
	g.countSite(Site{Kind: SiteNoDwarf}, id, asm.R1, asm.R2)
	g.place(done)
	g.emit(asm.LoadMem(dst, g.fp, int16(key), asm.Word)) // the id's 32 bits
	g.emit(asm.LoadMem(asm.R1, g.fp, int16(pid), asm.Word))
	g.emit(asm.LSh.Imm(asm.R1, StackPidShift), asm.Or.Reg(dst, asm.R1))
}

// dwStackLenTo sets dst to len(dw_ustack): the number of frames the walk
// finds, 0 when it finds no unwind data (with the warning).
func (g *gen) dwStackLenTo(id *lang.Ident, t *lang.Type, dst asm.Register) {
	state, n := g.allocSlot(), g.allocSlot()
	done, nodata := g.newLabel("dw_len_done"), g.newLabel("dw_len_nodata")
	g.emit(stImm(g.fp, int16(n), 0, asm.DWord))
	g.dwWalk(int(t.Args[0]), state, 0, done, nodata)
	g.emit(asm.LoadMem(asm.R2, asm.R1, dwN, asm.DWord), asm.StoreMem(g.fp, int16(n), asm.R2, asm.DWord))
	g.emit(asm.Ja.Label(done))
	g.place(nodata)
	g.countSite(Site{Kind: SiteNoDwarf}, id, asm.R1, asm.R2)
	g.place(done)
	g.emit(asm.LoadMem(dst, g.fp, int16(n), asm.DWord))
}

// dwWalk walks the user stack, at most limit frames, into the state,
// whose address it keeps at slot state and leaves in R1. pid is the slot
// where the process id already is (rememberPid's), 0 to ask the kernel.
// It goes to fail when the state cannot be had, and to nodata when frame
// 0's binary has no rows.
func (g *gen) dwWalk(limit, state, pid int, fail, nodata string) {
	g.emitDwFuncs()
	zero := g.allocSlot()
	g.emit(stImm(g.fp, int16(zero), 0, asm.DWord))
	g.loadMap(asm.R1, dwStateMap)
	g.emit(asm.Mov.Reg(asm.R2, g.fp), asm.Add.Imm(asm.R2, int32(zero)))
	g.call(asm.FnMapLookupElem)
	g.emit(asm.JEq.Imm(asm.R0, 0, fail))
	g.emit(asm.StoreMem(g.fp, int16(state), asm.R0, asm.DWord))
	if pid != 0 {
		g.emit(asm.LoadMem(asm.R0, g.fp, int16(pid), asm.Word))
	} else {
		g.call(asm.FnGetCurrentPidTgid)
		g.emit(asm.RSh.Imm(asm.R0, 32))
	}
	g.emit(asm.LoadMem(asm.R1, g.fp, int16(state), asm.DWord))
	g.emit(asm.StoreMem(asm.R1, dwTgid, asm.R0, asm.DWord))
	g.call(asm.FnGetCurrentTaskBtf)
	g.emit(asm.Mov.Reg(asm.R1, asm.R0))
	g.call(asm.FnTaskPtRegs)
	g.emit(asm.LoadMem(asm.R1, g.fp, int16(state), asm.DWord))
	g.emit(
		asm.LoadMem(asm.R2, asm.R0, ptRegsIP, asm.DWord),
		asm.StoreMem(asm.R1, dwPC, asm.R2, asm.DWord),
		asm.StoreMem(asm.R1, dwFrames, asm.R2, asm.DWord),
		asm.LoadImm(asm.R3, fnvBasis, asm.DWord),
		asm.Xor.Reg(asm.R2, asm.R3),
		asm.LoadImm(asm.R3, fnvPrime, asm.DWord),
		asm.Mul.Reg(asm.R2, asm.R3),
		asm.StoreMem(asm.R1, dwHash, asm.R2, asm.DWord),
		asm.LoadMem(asm.R2, asm.R0, ptRegsSP, asm.DWord),
		asm.StoreMem(asm.R1, dwSP, asm.R2, asm.DWord),
		asm.LoadMem(asm.R2, asm.R0, ptRegsBP, asm.DWord),
		asm.StoreMem(asm.R1, dwBP, asm.R2, asm.DWord),
		stImm(asm.R1, dwPhase, dwFind, asm.DWord),
		stImm(asm.R1, dwN, 1, asm.DWord),
		stImm(asm.R1, dwLimit, int64(limit), asm.DWord),
		stImm(asm.R1, dwStatus, 0, asm.DWord),
		stImm(asm.R1, dwKey, 0, asm.DWord),
		stImm(asm.R1, dwKey+8, 0, asm.DWord),
	)
	// A frame takes a lookup, a search step per halving of its process's
	// mappings and of its file's rows, and the step itself.
	g.emit(asm.Mov.Imm(asm.R1, int32(limit*(DwMapSearch+DwMaxRowSearch+3))))
	g.loadFunc(asm.R2, dwStepFunc)
	g.emit(asm.Mov.Imm(asm.R3, 0), asm.Mov.Imm(asm.R4, 0))
	g.call(asm.FnLoop)
	g.emit(asm.LoadMem(asm.R1, g.fp, int16(state), asm.DWord))
	g.emit(asm.LoadMem(asm.R2, asm.R1, dwStatus, asm.DWord))
	g.emit(asm.JNE.Imm(asm.R2, 0, nodata))
}

// dwStore ends the frames, then keeps them in the stack map under an id
// made of their hash, which it stores at key: the same frames get the
// same id. When another stack has that id, the next one is tried; when
// it is taken too, or the map is full, key holds the error, which prints
// as an unavailable stack. R1 holds the state.
func (g *gen) dwStore(name string, limit, state, key int, done string) {
	ended := g.newLabel("dw_ended")
	g.emit(
		asm.LoadMem(asm.R2, asm.R1, dwN, asm.DWord),
		asm.JGE.Imm(asm.R2, int32(limit), ended),
		asm.LSh.Imm(asm.R2, 3),
		asm.Add.Reg(asm.R2, asm.R1),
		stImm(asm.R2, dwFrames, 0, asm.DWord),
	)
	g.place(ended)
	g.emit(
		asm.LoadMem(asm.R2, asm.R1, dwHash, asm.DWord),
		asm.Mov.Reg(asm.R3, asm.R2), asm.RSh.Imm(asm.R3, 32), asm.Xor.Reg(asm.R2, asm.R3),
		asm.And.Imm(asm.R2, DwStackBit-1), asm.Or.Imm(asm.R2, DwStackBit),
		asm.StoreMem(g.fp, int16(key), asm.R2, asm.DWord),
	)
	for try := 0; try < 2; try++ {
		taken := g.newLabel("dw_taken")
		g.loadMap(asm.R1, name)
		g.emit(asm.Mov.Reg(asm.R2, g.fp), asm.Add.Imm(asm.R2, int32(key)))
		g.emit(asm.LoadMem(asm.R3, g.fp, int16(state), asm.DWord), asm.Add.Imm(asm.R3, dwHash))
		g.emit(asm.Mov.Imm(asm.R4, bpfNoExist))
		g.call(asm.FnMapUpdateElem)
		g.emit(asm.JEq.Imm(asm.R0, 0, done))
		g.emit(asm.JEq.Imm(asm.R0, -errExist, taken))
		g.emit(asm.StoreMem(g.fp, int16(key), asm.R0, asm.DWord), asm.Ja.Label(done))
		g.place(taken)
		// Taken: by these frames (the same hash), or by others.
		g.loadMap(asm.R1, name)
		g.emit(asm.Mov.Reg(asm.R2, g.fp), asm.Add.Imm(asm.R2, int32(key)))
		g.call(asm.FnMapLookupElem)
		other := g.newLabel("dw_other")
		g.emit(asm.JEq.Imm(asm.R0, 0, other))
		g.emit(asm.LoadMem(asm.R1, asm.R0, 0, asm.DWord))
		g.emit(asm.LoadMem(asm.R2, g.fp, int16(state), asm.DWord), asm.LoadMem(asm.R2, asm.R2, dwHash, asm.DWord))
		g.emit(asm.JEq.Reg(asm.R1, asm.R2, done))
		g.place(other)
		g.emit(asm.LoadMem(asm.R1, g.fp, int16(key), asm.DWord))
		g.emit(asm.Add.Imm(asm.R1, 1), asm.And.Imm(asm.R1, DwStackBit-1), asm.Or.Imm(asm.R1, DwStackBit))
		g.emit(asm.StoreMem(g.fp, int16(key), asm.R1, asm.DWord))
	}
	g.emit(asm.Mov.Imm(asm.R1, -errExist), asm.StoreMem(g.fp, int16(key), asm.R1, asm.DWord))
}

// dwStackMap names the map of dw_ustack's stacks of limit frames.
func (g *gen) dwStackMap(limit int) string {
	name, ok := g.man.DwStackMaps[limit]
	if !ok {
		name = "hawk_dwstack" + itoa(limit)
		if g.man.DwStackMaps == nil {
			g.man.DwStackMaps = map[int]string{}
		}
		g.man.DwStackMaps[limit] = name
	}
	return name
}

// dwMaps adds dw_ustack's maps: its stacks, the unwinder's state, and the
// tables, one entry each until the runtime knows their sizes.
func (c *compiler) dwMaps() {
	if c.man.DwStackMaps == nil {
		return
	}
	for limit, name := range c.man.DwStackMaps {
		c.spec.Maps[name] = &ebpf.MapSpec{
			Name: name, Type: ebpf.Hash, KeySize: 4, ValueSize: uint32(DwStackHashSize + 8*limit),
			MaxEntries: uint32(c.info.Settings.MaxMapKeys),
		}
	}
	c.spec.Maps[dwStateMap] = &ebpf.MapSpec{
		Name: dwStateMap, Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: dwStateSize, MaxEntries: 1,
	}
	c.spec.Maps[DwFilesMap] = &ebpf.MapSpec{
		Name: DwFilesMap, Type: ebpf.Hash, KeySize: DwFileKeySize, ValueSize: DwFileValueSize, MaxEntries: 1,
	}
	c.spec.Maps[DwProcsMap] = &ebpf.MapSpec{
		Name: DwProcsMap, Type: ebpf.Hash, KeySize: 4, ValueSize: DwProcValueSize, MaxEntries: DwMaxProcs,
	}
	c.spec.Maps[DwRowsMap] = &ebpf.MapSpec{
		Name: DwRowsMap, Type: ebpf.Array, KeySize: 4, ValueSize: DwRowSize, MaxEntries: 1,
	}
}
