package codegen

import (
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// Every function of a program carries a BTF function description: the
// kernel needs one for each when any callback (bpf_loop,
// bpf_for_each_map_elem) is used, and then for all functions alike.
var (
	btfInt     = &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}
	btfLong    = &btf.Int{Name: "long", Size: 8, Encoding: btf.Signed}
	btfVoidPtr = &btf.Pointer{Target: &btf.Void{}}
)

// withFunc marks ins as the first instruction of a function.
func withFunc(ins asm.Instruction, name string, main bool) asm.Instruction {
	proto := &btf.FuncProto{Return: btfLong, Params: []btf.FuncParam{{Name: "ctx", Type: btfVoidPtr}}}
	linkage := btf.StaticFunc
	if main {
		proto.Return, linkage = btfInt, btf.GlobalFunc
	}
	return btf.WithFuncMetadata(ins, &btf.Func{Name: name, Type: proto, Linkage: linkage})
}
