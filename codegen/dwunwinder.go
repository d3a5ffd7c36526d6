package codegen

// The unwinder's two functions, which every program that walks user
// stacks carries: the bpf_loop callback that takes one step of the walk,
// and the bpf_find_vma callback that reads a mapping. They use no state of
// the generator: their own registers and stack, and the state map.

import (
	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// dwAsm assembles the unwinder's functions, which use no generator
// state: each label names the instruction emitted after it.
type dwAsm struct {
	insns asm.Instructions
	label string
}

func (a *dwAsm) at(label string) {
	if a.label != "" {
		internal("dwAsm: labels %s and %s at one instruction", a.label, label)
	}
	a.label = label
}

func (a *dwAsm) add(ins ...asm.Instruction) {
	for _, in := range ins {
		if a.label != "" {
			in, a.label = in.WithSymbol(a.label), ""
		}
		a.insns = append(a.insns, in)
	}
}

// lookup sets R0 to the value of key (a uint32 at R10+off) in map, and
// goes to miss when there is none.
func (a *dwAsm) lookup(name string, off int16, miss string) {
	a.add(asm.LoadMapPtr(asm.R1, 0).WithReference(name),
		asm.Mov.Reg(asm.R2, asm.R10), asm.Add.Imm(asm.R2, int32(off)),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, miss))
}

// ret returns v.
func (a *dwAsm) ret(v int32) { a.add(asm.Mov.Imm(asm.R0, v), asm.Return()) }

// emitDwFuncs adds the unwinder's two functions to the program, once.
func (g *gen) emitDwFuncs() {
	for _, in := range g.subprogs {
		if in.Symbol() == dwStepFunc {
			return
		}
	}
	if g.man.DwStackMaps == nil {
		g.man.DwStackMaps = map[int]string{} // the maps are needed
	}
	// The call chain below the program: the step's frame (24 bytes), and
	// the mapping callback's (8) under it.
	g.cbStack = max(g.cbStack, roundStack(24)+roundStack(8))
	step := dwStepInsns(g.info.DwOffsets)
	// Each function needs a line of source for the kernel's line info.
	step[0] = withFunc(step[0].WithSymbol(dwStepFunc), dwStepFunc, false).WithSource(asm.Comment("dw_ustack: one step of the unwinder"))
	vma := dwVmaInsns(g.info.DwOffsets)
	vma[0] = withFunc(vma[0].WithSymbol(dwVmaFunc), dwVmaFunc, false).WithSource(asm.Comment("dw_ustack: the mapping of an address"))
	g.subprogs = append(append(g.subprogs, step...), vma...)
}

// dwMaxUretprobes is how many pending uretprobes of the thread the
// unwinder looks through for a return address they replaced.
const dwMaxUretprobes = 8

// uretprobeReturn puts back, at R10-16, a return address a pending
// uretprobe replaced with its trampoline: the thread's return instance
// whose stack slot is the one the address was read from (CFA-8, the CFA
// in R8) keeps the original. It goes on to next.
func (a *dwAsm) uretprobeReturn(off *lang.DwOffsets, next string) {
	a.add(asm.FnGetCurrentTaskBtf.Call(),
		asm.LoadMem(asm.R2, asm.R0, int16(off.Utask), asm.DWord),
		asm.JEq.Imm(asm.R2, 0, next),
		asm.LoadMem(asm.R2, asm.R2, int16(off.ReturnInstances), asm.DWord),
		asm.Mov.Reg(asm.R4, asm.R8), asm.Add.Imm(asm.R4, -8))
	for i := 0; i < dwMaxUretprobes; i++ {
		other := "dws_ri_next" + itoa(i)
		a.add(asm.JEq.Imm(asm.R2, 0, next),
			asm.LoadMem(asm.R3, asm.R2, int16(off.RiStack), asm.DWord),
			asm.JNE.Reg(asm.R3, asm.R4, other),
			asm.LoadMem(asm.R1, asm.R2, int16(off.RiOrigRet), asm.DWord),
			asm.StoreMem(asm.R10, -16, asm.R1, asm.DWord),
			asm.Ja.Label(next))
		a.at(other)
		a.add(asm.LoadMem(asm.R2, asm.R2, int16(off.RiNext), asm.DWord))
	}
}

// dwStepInsns is the bpf_loop callback that takes one step of the walk;
// it returns 1 to end it.
func dwStepInsns(off *lang.DwOffsets) asm.Instructions {
	a := &dwAsm{}
	const stop, nofile, search, found, step = "dws_stop", "dws_nofile", "dws_search", "dws_found", "dws_step"
	const left, plt, cfa, bpDone = "dws_left", "dws_plt", "dws_cfa", "dws_bp_done"
	const mapSearch, mapN, mapLeft, mapFound, vma, file = "dws_map_search", "dws_map_n", "dws_map_left", "dws_map_found", "dws_vma", "dws_file"
	const fileMiss, appendRA = "dws_file_miss", "dws_append"
	a.add(stImm(asm.R10, -8, 0, asm.DWord))
	a.lookup(dwStateMap, -8, stop)
	a.add(asm.Mov.Reg(asm.R6, asm.R0),
		asm.LoadMem(asm.R1, asm.R6, dwPhase, asm.DWord),
		asm.JEq.Imm(asm.R1, dwSearch, search),
		asm.JEq.Imm(asm.R1, dwStep, step),
		asm.JEq.Imm(asm.R1, dwMapSearch, mapSearch))

	// Find the mapping of the address: in the process's table, searched
	// from the next call on, or else by asking the kernel.
	a.add(asm.LoadMapPtr(asm.R1, 0).WithReference(DwProcsMap),
		asm.Mov.Reg(asm.R2, asm.R6), asm.Add.Imm(asm.R2, dwTgid),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, vma),
		asm.LoadMem(asm.R1, asm.R0, 0, asm.DWord),
		asm.JEq.Imm(asm.R1, 0, vma),
		asm.JLE.Imm(asm.R1, DwMaxMappings, mapN),
		asm.Mov.Imm(asm.R1, DwMaxMappings))
	a.at(mapN)
	a.add(stImm(asm.R6, dwLo, 0, asm.DWord),
		asm.StoreMem(asm.R6, dwHi, asm.R1, asm.DWord),
		stImm(asm.R6, dwPhase, dwMapSearch, asm.DWord))
	a.ret(0)

	// One step of the binary search of the process's mappings.
	a.at(mapSearch)
	a.add(asm.LoadMapPtr(asm.R1, 0).WithReference(DwProcsMap),
		asm.Mov.Reg(asm.R2, asm.R6), asm.Add.Imm(asm.R2, dwTgid),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, stop),
		asm.Mov.Reg(asm.R9, asm.R0),
		asm.LoadMem(asm.R7, asm.R6, dwLo, asm.DWord),
		asm.LoadMem(asm.R8, asm.R6, dwHi, asm.DWord),
		asm.LoadMem(asm.R4, asm.R6, dwPC, asm.DWord),
		asm.Mov.Reg(asm.R1, asm.R8), asm.Sub.Reg(asm.R1, asm.R7),
		asm.JLE.Imm(asm.R1, 1, mapFound),
		asm.RSh.Imm(asm.R1, 1), asm.Add.Reg(asm.R1, asm.R7),
		asm.JGE.Imm(asm.R1, DwMaxMappings, stop),
		asm.Mov.Reg(asm.R5, asm.R1),
		asm.Mul.Imm(asm.R1, DwMapEntrySize), asm.Add.Reg(asm.R1, asm.R9),
		asm.LoadMem(asm.R3, asm.R1, 8, asm.DWord),
		asm.JGT.Reg(asm.R3, asm.R4, mapLeft),
		asm.StoreMem(asm.R6, dwLo, asm.R5, asm.DWord))
	a.ret(0)
	a.at(mapLeft)
	a.add(asm.StoreMem(asm.R6, dwHi, asm.R5, asm.DWord))
	a.ret(0)
	a.at(mapFound)
	a.add(asm.JGE.Imm(asm.R7, DwMaxMappings, stop),
		asm.Mul.Imm(asm.R7, DwMapEntrySize), asm.Add.Reg(asm.R7, asm.R9),
		asm.LoadMem(asm.R3, asm.R7, 8, asm.DWord),
		asm.JGT.Reg(asm.R3, asm.R4, vma),
		asm.LoadMem(asm.R3, asm.R7, 16, asm.DWord),
		asm.JGE.Reg(asm.R4, asm.R3, vma),
		asm.LoadMem(asm.R3, asm.R7, 24, asm.DWord),
		asm.StoreMem(asm.R6, dwBias, asm.R3, asm.DWord),
		asm.LoadMem(asm.R3, asm.R7, 32, asm.DWord),
		asm.StoreMem(asm.R6, dwKey, asm.R3, asm.DWord),
		asm.LoadMem(asm.R3, asm.R7, 40, asm.DWord),
		asm.StoreMem(asm.R6, dwKey+8, asm.R3, asm.DWord),
		asm.Mov.Imm(asm.R8, 1),
		asm.Ja.Label(file))

	// Ask the kernel for the mapping: bpf_find_vma's callback stores its
	// file and bias.
	a.at(vma)
	a.add(asm.Mov.Imm(asm.R8, 0), // not from the table: R8 says which
		asm.FnGetCurrentTaskBtf.Call(),
		asm.Mov.Reg(asm.R1, asm.R0),
		asm.LoadMem(asm.R2, asm.R6, dwPC, asm.DWord),
		asm.Instruction{OpCode: asm.LoadImmOp(asm.DWord), Dst: asm.R3, Src: asm.PseudoFunc, Constant: -1}.WithReference(dwVmaFunc),
		asm.Mov.Imm(asm.R4, 0), asm.Mov.Imm(asm.R5, 0),
		asm.FnFindVma.Call(),
		asm.JNE.Imm(asm.R0, 0, nofile))
	// The rows of the mapping's file.
	a.at(file)
	a.add(asm.LoadMapPtr(asm.R1, 0).WithReference(DwFilesMap),
		asm.Mov.Reg(asm.R2, asm.R6), asm.Add.Imm(asm.R2, dwKey),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, fileMiss),
		asm.LoadMem(asm.R1, asm.R0, 0, asm.Word),
		asm.LoadMem(asm.R2, asm.R0, 4, asm.Word),
		asm.JEq.Imm(asm.R2, 0, nofile),
		asm.StoreMem(asm.R6, dwLo, asm.R1, asm.DWord),
		asm.Add.Reg(asm.R1, asm.R2),
		asm.StoreMem(asm.R6, dwHi, asm.R1, asm.DWord),
		stImm(asm.R6, dwPhase, dwSearch, asm.DWord))
	a.ret(0)
	// A file the process's table names but has no rows: the table is
	// older than the mapping (an exec); ask the kernel.
	a.at(fileMiss)
	a.add(asm.JEq.Imm(asm.R8, 1, vma))
	// No rows: for frame 0, the process has no unwind data.
	a.at(nofile)
	a.add(asm.LoadMem(asm.R1, asm.R6, dwN, asm.DWord),
		asm.JGT.Imm(asm.R1, 1, stop),
		stImm(asm.R6, dwStatus, dwNoData, asm.DWord),
		asm.Ja.Label(stop))

	// One step of the binary search for the last row at or below the
	// file offset.
	a.at(search)
	a.add(asm.LoadMem(asm.R7, asm.R6, dwLo, asm.DWord),
		asm.LoadMem(asm.R8, asm.R6, dwHi, asm.DWord),
		asm.Mov.Reg(asm.R1, asm.R8), asm.Sub.Reg(asm.R1, asm.R7),
		asm.JLE.Imm(asm.R1, 1, found),
		asm.RSh.Imm(asm.R1, 1), asm.Add.Reg(asm.R1, asm.R7),
		asm.Mov.Reg(asm.R9, asm.R1),
		asm.StoreMem(asm.R10, -8, asm.R1, asm.Word))
	a.lookup(DwRowsMap, -8, stop)
	a.add(asm.LoadMem(asm.R1, asm.R0, DwRowOffOff, asm.DWord),
		asm.LoadMem(asm.R2, asm.R6, dwPC, asm.DWord),
		asm.LoadMem(asm.R3, asm.R6, dwBias, asm.DWord),
		asm.Sub.Reg(asm.R2, asm.R3),
		asm.JGT.Reg(asm.R1, asm.R2, left),
		asm.StoreMem(asm.R6, dwLo, asm.R9, asm.DWord))
	a.ret(0)
	a.at(left)
	a.add(asm.StoreMem(asm.R6, dwHi, asm.R9, asm.DWord))
	a.ret(0)
	a.at(found)
	a.add(stImm(asm.R6, dwPhase, dwStep, asm.DWord))
	a.ret(0)

	// Unwind one frame with the row found.
	a.at(step)
	a.add(asm.LoadMem(asm.R1, asm.R6, dwLo, asm.DWord),
		asm.StoreMem(asm.R10, -8, asm.R1, asm.Word))
	a.lookup(DwRowsMap, -8, stop)
	a.add(asm.Mov.Reg(asm.R7, asm.R0),
		asm.LoadMem(asm.R1, asm.R7, DwRowOffOff, asm.DWord),
		asm.LoadMem(asm.R2, asm.R6, dwPC, asm.DWord),
		asm.LoadMem(asm.R3, asm.R6, dwBias, asm.DWord),
		asm.Sub.Reg(asm.R2, asm.R3),
		asm.JGT.Reg(asm.R1, asm.R2, stop), // below the file's first row
		asm.LoadMem(asm.R1, asm.R7, DwRowCFAOff, asm.Word),
		asm.LSh.Imm(asm.R1, 32), asm.ArSh.Imm(asm.R1, 32),
		asm.LoadMem(asm.R2, asm.R7, DwRowKindOff, asm.Byte),
		asm.LoadMem(asm.R8, asm.R6, dwSP, asm.DWord),
		asm.JEq.Imm(asm.R2, DwRowRSP, cfa),
		asm.JEq.Imm(asm.R2, DwRowPLT, plt),
		asm.JNE.Imm(asm.R2, DwRowRBP, stop),
		asm.LoadMem(asm.R8, asm.R6, dwBP, asm.DWord),
		asm.Ja.Label(cfa))
	a.at(plt)
	a.add(asm.LoadMem(asm.R3, asm.R7, DwRowBPOff, asm.Half),
		asm.LoadMem(asm.R4, asm.R6, dwPC, asm.DWord),
		asm.And.Reg(asm.R4, asm.R3),
		asm.LoadMem(asm.R3, asm.R7, DwRowArgOff, asm.Byte),
		asm.JLT.Reg(asm.R4, asm.R3, cfa),
		asm.Add.Imm(asm.R8, 8))
	a.at(cfa)
	a.add(asm.Add.Reg(asm.R8, asm.R1),
		asm.Mov.Reg(asm.R1, asm.R10), asm.Add.Imm(asm.R1, -16),
		asm.Mov.Imm(asm.R2, 8),
		asm.Mov.Reg(asm.R3, asm.R8), asm.Add.Imm(asm.R3, -8),
		asm.FnProbeReadUser.Call(),
		asm.JNE.Imm(asm.R0, 0, stop),
		asm.LoadMem(asm.R2, asm.R7, DwRowKindOff, asm.Byte),
		asm.JEq.Imm(asm.R2, DwRowPLT, bpDone),
		asm.LoadMem(asm.R3, asm.R7, DwRowBPOff, asm.Half),
		asm.LSh.Imm(asm.R3, 48), asm.ArSh.Imm(asm.R3, 48),
		asm.JEq.Imm(asm.R3, 0, bpDone),
		asm.Add.Reg(asm.R3, asm.R8),
		asm.Mov.Reg(asm.R1, asm.R10), asm.Add.Imm(asm.R1, -24),
		asm.Mov.Imm(asm.R2, 8),
		asm.FnProbeReadUser.Call(),
		asm.JNE.Imm(asm.R0, 0, stop),
		asm.LoadMem(asm.R1, asm.R10, -24, asm.DWord),
		asm.StoreMem(asm.R6, dwBP, asm.R1, asm.DWord))
	a.at(bpDone)
	a.add(asm.StoreMem(asm.R6, dwSP, asm.R8, asm.DWord))
	if off.Uretprobes {
		a.uretprobeReturn(off, appendRA)
	}
	a.at(appendRA)
	a.add(asm.LoadMem(asm.R1, asm.R10, -16, asm.DWord),
		asm.JEq.Imm(asm.R1, 0, stop),
		asm.LoadMem(asm.R2, asm.R6, dwN, asm.DWord),
		asm.LoadMem(asm.R3, asm.R6, dwLimit, asm.DWord),
		asm.JGE.Reg(asm.R2, asm.R3, stop),
		asm.JGE.Imm(asm.R2, dwMaxFrames, stop),
		asm.Mov.Reg(asm.R3, asm.R2), asm.LSh.Imm(asm.R3, 3), asm.Add.Reg(asm.R3, asm.R6),
		asm.StoreMem(asm.R3, dwFrames, asm.R1, asm.DWord),
		asm.Add.Imm(asm.R2, 1),
		asm.StoreMem(asm.R6, dwN, asm.R2, asm.DWord),
		asm.LoadMem(asm.R2, asm.R6, dwHash, asm.DWord),
		asm.Xor.Reg(asm.R2, asm.R1),
		asm.LoadImm(asm.R3, fnvPrime, asm.DWord),
		asm.Mul.Reg(asm.R2, asm.R3),
		asm.StoreMem(asm.R6, dwHash, asm.R2, asm.DWord),
		// The caller's row is the call's: the return address - 1.
		asm.Sub.Imm(asm.R1, 1),
		asm.StoreMem(asm.R6, dwPC, asm.R1, asm.DWord),
		stImm(asm.R6, dwPhase, dwFind, asm.DWord))
	a.ret(0)
	a.at(stop)
	a.ret(1)
	return a.insns
}

// dwVmaInsns is the bpf_find_vma callback: it stores in the state the
// file offset the mapping starts at (as a bias) and its file's key.
func dwVmaInsns(off *lang.DwOffsets) asm.Instructions {
	a := &dwAsm{}
	const out = "dwv_out"
	a.add(asm.Mov.Reg(asm.R6, asm.R2),
		stImm(asm.R10, -8, 0, asm.DWord))
	a.lookup(dwStateMap, -8, out)
	a.add(asm.Mov.Reg(asm.R7, asm.R0),
		stImm(asm.R7, dwKey, 0, asm.DWord),
		stImm(asm.R7, dwKey+8, 0, asm.DWord),
		asm.LoadMem(asm.R1, asm.R6, int16(off.VmStart), asm.DWord),
		asm.LoadMem(asm.R2, asm.R6, int16(off.VmPgoff), asm.DWord),
		asm.LSh.Imm(asm.R2, 12),
		asm.Sub.Reg(asm.R1, asm.R2),
		asm.StoreMem(asm.R7, dwBias, asm.R1, asm.DWord),
		asm.LoadMem(asm.R1, asm.R6, int16(off.VmFile), asm.DWord),
		asm.JEq.Imm(asm.R1, 0, out),
		asm.LoadMem(asm.R1, asm.R1, int16(off.FInode), asm.DWord),
		asm.JEq.Imm(asm.R1, 0, out),
		asm.LoadMem(asm.R2, asm.R1, int16(off.IIno), asm.DWord),
		asm.StoreMem(asm.R7, dwKey, asm.R2, asm.DWord),
		asm.LoadMem(asm.R1, asm.R1, int16(off.ISb), asm.DWord),
		asm.JEq.Imm(asm.R1, 0, out),
		asm.LoadMem(asm.R2, asm.R1, int16(off.SDev), asm.Word),
		asm.StoreMem(asm.R7, dwKey+8, asm.R2, asm.Word))
	a.at(out)
	a.ret(0)
	return a.insns
}

// stImm stores v at dst+off: asm.StoreImm, which refuses 8 bytes (the
// kernel sign-extends the 32-bit immediate).
func stImm(dst asm.Register, off int16, v int64, size asm.Size) asm.Instruction {
	return asm.Instruction{OpCode: asm.StoreImmOp(size), Dst: dst, Offset: off, Constant: v}
}
