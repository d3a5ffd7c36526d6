package codegen

import (
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"

	"github.com/hawktrace/hawk/lang"
)

// kfuncKey is the metadata key of a call of a kernel function (kfunc):
// its value is the function's name.
type kfuncKey struct{}

// Kfunc returns the name of the kernel function ins calls, or "" when ins
// is no kfunc call. Such a call holds no BTF id yet (its constant is -1):
// the loader puts there the id of the function in the kernel's BTF.
func Kfunc(ins *asm.Instruction) string {
	name, _ := ins.Metadata.Get(kfuncKey{}).(string)
	return name
}

// WithKfunc marks ins as a call of the kernel function name.
func WithKfunc(ins asm.Instruction, name string) asm.Instruction {
	ins.Metadata.Set(kfuncKey{}, name)
	return ins
}

// kfuncCall emits a call of a kernel function: arguments in R1-R5, the
// result in R0, as for helpers.
func (g *gen) kfuncCall(name string) {
	g.emit(WithKfunc(asm.Instruction{
		OpCode:   asm.OpCode(asm.JumpClass).SetJumpOp(asm.Call),
		Src:      asm.PseudoKfuncCall,
		Constant: -1,
	}, name))
}

// commOfTo writes comm(pid) into dst: the name of the pid's task, read
// through a reference bpf_task_from_pid takes and bpf_task_release drops,
// and "N/A" (counted, for a warning) when no task has that pid. The name
// is copied up to its NUL into zeros, as the comm builtin reads it.
func (g *gen) commOfTo(call *lang.Call, dst mem, f fill) {
	n := min(16, dst.size)
	name := dst.sub(0, n)
	task := g.allocSlot()
	g.withReg(func(r asm.Register) {
		g.scalarTo(call.Args[0], r)
		g.emit(asm.Mov.Reg(asm.R1, r))
	})
	g.kfuncCall(lang.KfuncTaskFromPid)
	missing, done := g.newLabel("no_task"), g.newLabel("task_done")
	g.emit(asm.JEq.Imm(asm.R0, 0, missing))
	g.emit(asm.StoreMem(g.fp, int16(task), asm.R0, asm.DWord))
	g.zero(name)
	g.addrTo(name, asm.R1)
	g.emit(asm.Mov.Imm(asm.R2, int32(n)))
	g.emit(asm.LoadMem(asm.R3, g.fp, int16(task), asm.DWord))
	g.emit(asm.Add.Imm(asm.R3, int32(g.info.CommOffsets[call])))
	g.call(asm.FnProbeReadKernelStr)
	g.emit(asm.LoadMem(asm.R1, g.fp, int16(task), asm.DWord))
	g.kfuncCall(lang.KfuncTaskRelease)
	g.emit(asm.Ja.Label(done))
	g.place(missing)
	g.countSite(Site{Kind: SiteNoProcess}, call, asm.R1, asm.R2)
	g.constStrTo("N/A", name, zeroRest)
	g.place(done)
	g.fillTail(dst, n, f)
}

// KfuncProto returns the C prototype of a kernel function hawk calls, as
// an object declares it (extern, in the .ksyms section) for the loader to
// check against the kernel's, or nil for a function hawk never calls.
func KfuncProto(name string) *btf.FuncProto {
	task := &btf.Pointer{Target: &btf.Struct{Name: "task_struct"}}
	switch name {
	case lang.KfuncTaskFromPid:
		s32 := &btf.Int{Name: "s32", Size: 4, Encoding: btf.Signed}
		return &btf.FuncProto{Return: task, Params: []btf.FuncParam{{Name: "pid", Type: s32}}}
	case lang.KfuncTaskRelease:
		return &btf.FuncProto{Return: &btf.Void{}, Params: []btf.FuncParam{{Name: "p", Type: task}}}
	}
	return iterTaskVMAProto(name)
}
