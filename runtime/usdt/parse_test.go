package usdt

import (
	"strings"
	"testing"
)

func TestParseArg(t *testing.T) {
	mem := func(size int, signed bool, reg string, off int64, index string, scale int) Arg {
		a := Arg{Size: size, Signed: signed, Kind: ArgMem, Reg: reg, Offset: off, Index: index, Scale: scale}
		if reg != "" {
			a.RegOffset, a.RegSize = ptRegs[reg], 8
		}
		if index != "" {
			a.IndexOffset = ptRegs[index]
		}
		return a
	}
	reg := func(size int, signed bool, name string, off, regSize int) Arg {
		return Arg{Size: size, Signed: signed, Kind: ArgReg, Reg: name, RegOffset: off, RegSize: regSize, Scale: 1}
	}
	tests := []struct {
		in   string
		want Arg
		sym  string
	}{
		// Registers of every width.
		{"8@%rdi", reg(8, false, "rdi", 112, 8), ""},
		{"-4@%edi", reg(4, true, "rdi", 112, 4), ""},
		{"2@%di", reg(2, false, "rdi", 112, 2), ""},
		{"1@%dil", reg(1, false, "rdi", 112, 1), ""},
		{"-1@%al", reg(1, true, "rax", 80, 1), ""},
		{"1@%ah", reg(1, false, "rax", 81, 1), ""},
		{"1@%dh", reg(1, false, "rdx", 97, 1), ""},
		{"8@%r15", reg(8, false, "r15", 0, 8), ""},
		{"-4@%r14d", reg(4, true, "r14", 8, 4), ""},
		{"-2@%r9w", reg(2, true, "r9", 64, 2), ""},
		{"1@%r8b", reg(1, false, "r8", 72, 1), ""},
		{"8@%rsp", reg(8, false, "rsp", 152, 8), ""},
		{"-4@%ebp", reg(4, true, "rbp", 32, 4), ""},
		{"8@%rip", reg(8, false, "rip", 128, 8), ""},
		{"-8@%eax", reg(8, true, "rax", 80, 4), ""}, // a wider size than the register
		// Constants.
		{"-4@$5", Arg{Size: 4, Signed: true, Kind: ArgConst, Const: 5, Scale: 1}, ""},
		{"-4@$-5", Arg{Size: 4, Signed: true, Kind: ArgConst, Const: -5, Scale: 1}, ""},
		{"8@$0x10", Arg{Size: 8, Kind: ArgConst, Const: 16, Scale: 1}, ""},
		{"8@$18446744073709551615", Arg{Size: 8, Kind: ArgConst, Const: -1, Scale: 1}, ""},
		{"1@$0", Arg{Size: 1, Kind: ArgConst, Scale: 1}, ""},
		// Memory.
		{"8@-16(%rbp)", mem(8, false, "rbp", -16, "", 1), ""},
		{"-4@-20(%rbp)", mem(4, true, "rbp", -20, "", 1), ""},
		{"8@(%rsp)", mem(8, false, "rsp", 0, "", 1), ""},
		{"2@136(%rsp)", mem(2, false, "rsp", 136, "", 1), ""},
		{"8@0x10(%r12)", mem(8, false, "r12", 16, "", 1), ""},
		{"8@(%rax,%rdx,8)", mem(8, false, "rax", 0, "rdx", 8), ""},
		{"1@-96(%rbp,%rax,8)", mem(1, false, "rbp", -96, "rax", 8), ""},
		{"1@-96(%rbp,%rax)", mem(1, false, "rbp", -96, "rax", 1), ""},
		{"-2@(%rbp,%r10,2)", mem(2, true, "rbp", 0, "r10", 2), ""},
		{"8@(%rbx, %rcx, 4)", mem(8, false, "rbx", 0, "rcx", 4), ""},
		{"8@16(,%rax,8)", mem(8, false, "", 16, "rax", 8), ""},
		{"8@4096", mem(8, false, "", 4096, "", 1), ""},
		{"8@16(%rip)", mem(8, false, "rip", 16, "", 1), ""},
		// Symbols, resolved later.
		{"-4@NBuffers(%rip)", mem(4, true, "rip", 0, "", 1), "NBuffers"},
		{"-4@40+CheckpointStats(%rip)", mem(4, true, "rip", 40, "", 1), "CheckpointStats"},
		{"8@table-8(,%rax,8)", mem(8, false, "", -8, "rax", 8), "table"},
		{"4@counter.0", mem(4, false, "", 0, "", 1), "counter.0"},
	}
	for _, tt := range tests {
		got, err := parseArg(tt.in)
		if err != nil {
			t.Errorf("parseArg(%q): %v", tt.in, err)
			continue
		}
		if got.Arg != tt.want || got.sym != tt.sym {
			t.Errorf("parseArg(%q) = %+v sym %q\n want %+v sym %q", tt.in, got.Arg, got.sym, tt.want, tt.sym)
		}
	}
}

func TestParseArgErrors(t *testing.T) {
	tests := []struct{ in, err string }{
		{"%rdi", "no SIZE@ before the operand"},
		{"x@%rdi", `size "x" is not a number`},
		{"3@%rdi", "size 3 is not 1, 2, 4 or 8"},
		{"-16@%rdi", "size 16 is not 1, 2, 4 or 8"},
		{"8@", "no operand after @"},
		{"8@%xyz", "unknown register %xyz"},
		{"8@%xmm0", "unknown register %xmm0"},
		{"8@$foo", `constant "foo" is not a number`},
		{"8@%fs:0x28", `segment-relative operand "%fs:0x28" is not supported`},
		{"8@-16(%rbp", `memory operand "-16(%rbp" does not end in )`},
		{"8@(%eax)", "address register %eax is not a 64-bit register"},
		{"8@(%rax,%ecx,4)", "address register %ecx is not a 64-bit register"},
		{"8@(%rax,%rcx,3)", `scale "3" is not 1, 2, 4 or 8`},
		{"8@(%rax,,4)", "missing index register"},
		{"8@(%rax,%rip)", "%rip cannot be an index register"},
		{"8@(%rax,%rcx,4,1)", "has more than base, index and scale"},
		{"8@16()", "has neither base nor index register"},
		{"8@rax", ""}, // a symbol named rax: resolved, or refused, later
		{"8@-foo(%rip)", `displacement "-foo" is not SYMBOL plus or minus numbers`},
		{"8@a+b(%rip)", `displacement "a+b" is not SYMBOL plus or minus numbers`},
		{"8@4++4(%rip)", `displacement "4++4" has an empty term`},
		{"8@0xz(%rip)", `displacement "0xz": "0xz" is not a number`},
		{"8@a*2(%rip)", `displacement "a*2": "a*2" is not a symbol`},
	}
	for _, tt := range tests {
		_, err := parseArg(tt.in)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("parseArg(%q): %v", tt.in, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("parseArg(%q) = %v, want an error with %q", tt.in, err, tt.err)
		}
	}
}

func TestParseArgs(t *testing.T) {
	tests := []struct {
		in   string
		want []string // each Arg's String
		err  string
	}{
		{"", nil, ""},
		{"-4@%edx -8@%rax 8@%r12", []string{"-4@%edx", "-8@%rax", "8@%r12"}, ""},
		{"  8@%rdx\t8@-80(%rbx)  ", []string{"8@%rdx", "8@-80(%rbx)"}, ""},
		{"8@(%rbx, %rcx, 4) -4@$5", []string{"8@(%rbx,%rcx,4)", "-4@$5"}, ""},
		{"1@%ah -2@%r9w 1@%r8l", []string{"1@%ah", "-2@%r9w", "1@%r8b"}, ""},
		{"8@16(,%rax,8) 8@4096", []string{"8@16(,%rax,8)", "8@4096"}, ""},
		{"8@%rdi 8@%bogus", nil, `arg1 "8@%bogus": unknown register %bogus`},
	}
	for _, tt := range tests {
		ops, err := parseArgs(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("parseArgs(%q) = %v, want error %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseArgs(%q): %v", tt.in, err)
			continue
		}
		var got []string
		for _, op := range ops {
			got = append(got, op.String())
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("parseArgs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
