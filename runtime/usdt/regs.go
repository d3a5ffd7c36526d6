package usdt

import "sync"

// ptRegs is the layout of the kernel's x86-64 struct pt_regs: each
// register's byte offset, in the order of arch/x86/include/asm/ptrace.h.
var ptRegs = map[string]int{
	"r15": 0, "r14": 8, "r13": 16, "r12": 24, "rbp": 32, "rbx": 40,
	"r11": 48, "r10": 56, "r9": 64, "r8": 72, "rax": 80, "rcx": 88,
	"rdx": 96, "rsi": 104, "rdi": 112, "orig_rax": 120, "rip": 128,
	"cs": 136, "eflags": 144, "rsp": 152, "ss": 160,
}

// subReg is the part of a 64-bit register that a GNU as name stands for.
type subReg struct {
	full string // the 64-bit register, as in ptRegs
	size int    // bytes
	skip int    // bytes from the register's start (1 for ah..dh)
}

// namedReg is a register name and the bytes it stands for.
type namedReg struct {
	name string
	reg  subReg
}

// regNames lists every register name PtRegsOffset knows; where two
// names mean the same bytes, the first is the one Arg.String prints. It
// is built on first use, as are the maps of it (regMaps): most runs of
// hawk read no USDT probe.
func regNames() []namedReg {
	var l []namedReg
	add := func(name, full string, size, skip int) {
		l = append(l, namedReg{name, subReg{full, size, skip}})
	}
	for _, r := range [][4]string{
		{"rax", "eax", "ax", "al"}, {"rbx", "ebx", "bx", "bl"},
		{"rcx", "ecx", "cx", "cl"}, {"rdx", "edx", "dx", "dl"},
		{"rsi", "esi", "si", "sil"}, {"rdi", "edi", "di", "dil"},
		{"rbp", "ebp", "bp", "bpl"}, {"rsp", "esp", "sp", "spl"},
	} {
		add(r[0], r[0], 8, 0)
		add(r[1], r[0], 4, 0)
		add(r[2], r[0], 2, 0)
		add(r[3], r[0], 1, 0)
	}
	for _, r := range []string{"ah", "bh", "ch", "dh"} {
		add(r, "r"+r[:1]+"x", 1, 1)
	}
	// GNU as takes r8l for r8b too.
	for _, r := range []string{"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"} {
		add(r, r, 8, 0)
		add(r+"d", r, 4, 0)
		add(r+"w", r, 2, 0)
		add(r+"b", r, 1, 0)
		add(r+"l", r, 1, 0)
	}
	add("rip", "rip", 8, 0)
	add("eip", "rip", 4, 0)
	add("eflags", "eflags", 8, 0)
	add("rflags", "eflags", 8, 0)
	for _, r := range []string{"orig_rax", "cs", "ss"} {
		add(r, r, 8, 0)
	}
	return l
}

// regMaps maps each name of regNames to the bytes it stands for
// (subRegs), and each such part to the name Arg.String prints (asName).
type regMaps struct {
	subRegs map[string]subReg
	asName  map[subReg]string
}

var regTables = sync.OnceValue(func() regMaps {
	byName, names := map[string]subReg{}, map[subReg]string{}
	for _, r := range regNames() {
		byName[r.name] = r.reg
		if _, ok := names[r.reg]; !ok {
			names[r.reg] = r.name
		}
	}
	return regMaps{byName, names}
})

// PtRegsOffset returns where a register named as in GNU as, without the
// %, is in the x86-64 struct pt_regs a uprobe or kprobe program gets: the
// regSize bytes at offset are the register as named (little-endian), so
// "edi" is 4 bytes at 112 and "ah" 1 byte at 81. It knows rax..r15 with
// their 32-, 16- and 8-bit forms, ah..dh, rip (eip), rflags (eflags),
// orig_rax, cs and ss; ok is false for any other name.
func PtRegsOffset(reg string) (offset int, regSize int, ok bool) {
	r, ok := regTables().subRegs[reg]
	if !ok {
		return 0, 0, false
	}
	return ptRegs[r.full] + r.skip, r.size, true
}

// regName returns the GNU as name of the size bytes at offset in pt_regs
// that are part of the 64-bit register full.
func regName(full string, offset, size int) string {
	if name, ok := regTables().asName[subReg{full, size, offset - ptRegs[full]}]; ok {
		return name
	}
	return full
}
