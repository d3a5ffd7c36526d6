package usdt

import "testing"

func TestPtRegsOffset(t *testing.T) {
	tests := []struct {
		reg       string
		off, size int
		ok        bool
		full      string
	}{
		{"r15", 0, 8, true, "r15"}, {"r14", 8, 8, true, "r14"}, {"r13", 16, 8, true, "r13"},
		{"r12", 24, 8, true, "r12"}, {"rbp", 32, 8, true, "rbp"}, {"rbx", 40, 8, true, "rbx"},
		{"r11", 48, 8, true, "r11"}, {"r10", 56, 8, true, "r10"}, {"r9", 64, 8, true, "r9"},
		{"r8", 72, 8, true, "r8"}, {"rax", 80, 8, true, "rax"}, {"rcx", 88, 8, true, "rcx"},
		{"rdx", 96, 8, true, "rdx"}, {"rsi", 104, 8, true, "rsi"}, {"rdi", 112, 8, true, "rdi"},
		{"orig_rax", 120, 8, true, "orig_rax"}, {"rip", 128, 8, true, "rip"}, {"cs", 136, 8, true, "cs"},
		{"eflags", 144, 8, true, "eflags"}, {"rflags", 144, 8, true, "eflags"}, {"rsp", 152, 8, true, "rsp"},
		{"ss", 160, 8, true, "ss"},
		{"eax", 80, 4, true, "rax"}, {"ax", 80, 2, true, "rax"}, {"al", 80, 1, true, "rax"}, {"ah", 81, 1, true, "rax"},
		{"ebx", 40, 4, true, "rbx"}, {"bh", 41, 1, true, "rbx"}, {"ch", 89, 1, true, "rcx"}, {"dh", 97, 1, true, "rdx"},
		{"esi", 104, 4, true, "rsi"}, {"si", 104, 2, true, "rsi"}, {"sil", 104, 1, true, "rsi"},
		{"edi", 112, 4, true, "rdi"}, {"di", 112, 2, true, "rdi"}, {"dil", 112, 1, true, "rdi"},
		{"ebp", 32, 4, true, "rbp"}, {"bpl", 32, 1, true, "rbp"}, {"esp", 152, 4, true, "rsp"}, {"spl", 152, 1, true, "rsp"},
		{"r8d", 72, 4, true, "r8"}, {"r8w", 72, 2, true, "r8"}, {"r8b", 72, 1, true, "r8"}, {"r8l", 72, 1, true, "r8"},
		{"r15d", 0, 4, true, "r15"}, {"r12w", 24, 2, true, "r12"}, {"r11b", 48, 1, true, "r11"},
		{"eip", 128, 4, true, "rip"},
		{"%rax", 0, 0, false, ""}, {"RAX", 0, 0, false, ""}, {"xmm0", 0, 0, false, ""}, {"", 0, 0, false, ""},
		{"r16", 0, 0, false, ""}, {"fs", 0, 0, false, ""},
	}
	for _, tt := range tests {
		off, size, ok := PtRegsOffset(tt.reg)
		if off != tt.off || size != tt.size || ok != tt.ok {
			t.Errorf("PtRegsOffset(%q) = %d, %d, %v; want %d, %d, %v", tt.reg, off, size, ok, tt.off, tt.size, tt.ok)
		}
		if got := regTables().subRegs[tt.reg].full; got != tt.full {
			t.Errorf("%q is part of %q, want %q", tt.reg, got, tt.full)
		}
	}
}

// TestRegNames checks that every register name prints back as itself or
// as the name its bytes print as.
func TestRegNames(t *testing.T) {
	for _, r := range regNames() {
		off, size, _ := PtRegsOffset(r.name)
		name := regName(r.reg.full, off, size)
		o2, s2, ok := PtRegsOffset(name)
		if !ok || o2 != off || s2 != size {
			t.Errorf("%s prints as %s", r.name, name)
		}
	}
}
