package kernel

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
)

// kfuncKey is a kernel function asked about for one program type.
type kfuncKey struct {
	name string
	prog ebpf.ProgramType
}

// KfuncAllowed implements lang.Env. It asks the kernel as bpftrace does:
// it loads a program of the probe kind's type that calls the function,
// which the kernel refuses with "calling kernel function NAME is not
// allowed" before anything else where that type may not call it. Any
// other refusal means the call itself is allowed.
func (e *Env) KfuncAllowed(name string, kind lang.ProbeKind) error {
	prog, ok := codegen.ProgramType(kind)
	if !ok {
		return fmt.Errorf("hawk does not compile %s probes", kind)
	}
	key := kfuncKey{name, prog}
	e.kfuncMu.Lock()
	defer e.kfuncMu.Unlock()
	if err, ok := e.kfuncs[key]; ok {
		return err
	}
	err := e.kfuncAllowed(name, prog)
	if e.kfuncs == nil {
		e.kfuncs = map[kfuncKey]error{}
	}
	e.kfuncs[key] = err
	return err
}

func (e *Env) kfuncAllowed(name string, prog ebpf.ProgramType) error {
	id, err := e.KfuncID(name)
	if err != nil {
		return err
	}
	p, err := ebpf.NewProgramWithOptions(&ebpf.ProgramSpec{
		Type:         prog,
		License:      "GPL",
		Instructions: asm.Instructions{KfuncCall(id), asm.Return()},
	}, ebpf.ProgramOptions{LogDisabled: false})
	if err == nil {
		p.Close()
		return nil
	}
	if strings.Contains(err.Error(), "calling kernel function "+name+" is not allowed") {
		return fmt.Errorf("the kernel lets %s programs call no %s", prog, name)
	}
	return nil
}

// KfuncID returns the BTF id of a kernel function of vmlinux.
func (e *Env) KfuncID(name string) (btf.TypeID, error) {
	spec, err := e.btf()
	if err != nil {
		return 0, err
	}
	var fn *btf.Func
	if err := spec.TypeByName(name, &fn); err != nil {
		if errors.Is(err, btf.ErrNotFound) {
			return 0, fmt.Errorf("the kernel has no function %s", name)
		}
		return 0, err
	}
	return spec.TypeID(fn)
}

// KfuncCall is a call of the kernel function whose vmlinux BTF id is id.
func KfuncCall(id btf.TypeID) asm.Instruction {
	return asm.Instruction{OpCode: asm.OpCode(asm.JumpClass).SetJumpOp(asm.Call), Src: asm.PseudoKfuncCall, Constant: int64(id)}
}

// KfuncExists implements lang.KfuncLister: whether vmlinux's BTF has the
// kernel function name.
func (e *Env) KfuncExists(name string) bool {
	_, err := e.KfuncID(name)
	return err == nil
}
