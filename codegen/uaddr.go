package codegen

import (
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"

	"github.com/hawktrace/hawk/lang"
)

// uaddrTo sets dst to uaddr(sym) of a relocated binary (a PIE or shared
// library): the symbol's address in the binary plus where the current
// process maps the binary, the vm_start of its first mapping (the
// lowest) whose file has the binary's inode, found with the kernel's
// task_vma iterator, as bpftrace's uaddr macro does; 0 plus the address
// when the process does not map it.
func (g *gen) uaddrTo(call *lang.Call, dst asm.Register) {
	b, ok := g.info.UaddrBases[call]
	if !ok {
		internal("uaddrTo: uaddr() without a base")
	}
	it, base := g.allocSlot(), g.allocSlot()
	iterTo := func(r asm.Register) { g.emit(asm.Mov.Reg(r, g.fp), asm.Add.Imm(r, int32(it))) }
	g.emit(stDW(g.fp, int16(base), 0))
	g.call(asm.FnGetCurrentTaskBtf)
	g.emit(asm.Mov.Reg(asm.R2, asm.R0))
	iterTo(asm.R1)
	g.emit(asm.Mov.Imm(asm.R3, 0))
	g.kfuncCall(lang.KfuncIterTaskVMANew)
	next, done := g.newLabel("uaddr_vma"), g.newLabel("uaddr_vma_done")
	g.place(next)
	iterTo(asm.R1)
	g.kfuncCall(lang.KfuncIterTaskVMANext)
	g.emit(asm.JEq.Imm(asm.R0, 0, done))
	g.emit(asm.LoadMem(asm.R1, asm.R0, int16(b.VMFile), asm.DWord))
	g.emit(asm.JEq.Imm(asm.R1, 0, next)) // anonymous memory
	g.emit(asm.LoadMem(asm.R1, asm.R1, int16(b.FInode), asm.DWord))
	g.emit(asm.JEq.Imm(asm.R1, 0, next))
	g.emit(asm.LoadMem(asm.R1, asm.R1, int16(b.IIno), asm.DWord))
	g.loadImm(asm.R2, int64(b.Inode))
	g.emit(asm.JNE.Reg(asm.R1, asm.R2, next))
	g.emit(asm.LoadMem(asm.R1, asm.R0, int16(b.VMStart), asm.DWord))
	g.emit(asm.StoreMem(g.fp, int16(base), asm.R1, asm.DWord))
	g.place(done)
	iterTo(asm.R1)
	g.kfuncCall(lang.KfuncIterTaskVMADestroy)
	g.emit(asm.LoadMem(dst, g.fp, int16(base), asm.DWord))
	g.loadImm(asm.R1, int64(b.Addr))
	g.emit(asm.Add.Reg(dst, asm.R1))
}

// iterTaskVMAProto is the C prototype of a task_vma iterator kfunc.
func iterTaskVMAProto(name string) *btf.FuncProto {
	it := &btf.Pointer{Target: &btf.Struct{Name: "bpf_iter_task_vma"}}
	switch name {
	case lang.KfuncIterTaskVMANew:
		task := &btf.Pointer{Target: &btf.Struct{Name: "task_struct"}}
		u64 := &btf.Int{Name: "u64", Size: 8}
		s32 := &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}
		return &btf.FuncProto{Return: s32, Params: []btf.FuncParam{{Name: "it", Type: it}, {Name: "task", Type: task}, {Name: "addr", Type: u64}}}
	case lang.KfuncIterTaskVMANext:
		vma := &btf.Pointer{Target: &btf.Struct{Name: "vm_area_struct"}}
		return &btf.FuncProto{Return: vma, Params: []btf.FuncParam{{Name: "it", Type: it}}}
	case lang.KfuncIterTaskVMADestroy:
		return &btf.FuncProto{Return: &btf.Void{}, Params: []btf.FuncParam{{Name: "it", Type: it}}}
	}
	return nil
}
