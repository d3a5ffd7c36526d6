package dwunwind

import (
	"debug/elf"
	"encoding/binary"
	"testing"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/internal/cprog"
)

// A function that saves rbp and then keeps its frame in rbp, as gcc
// without -fomit-frame-pointer builds it, and a leaf without a frame.
const testProgram = `
volatile int sink;
__attribute__((noinline)) void leaf(void) { sink = 42; }
__attribute__((noinline, optimize("no-omit-frame-pointer"))) void framed(int n) {
	volatile char buf[64];
	buf[n & 63] = 1;
	leaf();
	sink = buf[3];
}
int main(void) { framed(3); return 0; }
`

// buildProgram compiles testProgram with gcc -O2 -fomit-frame-pointer
// and flags (cprog: without gcc it skips, or fails under
// HAWK_TEST_KERNEL=1).
func buildProgram(t *testing.T, flags ...string) string {
	t.Helper()
	return cprog.Program{Name: "prog", Source: []byte(testProgram), Flags: []string{"-O2", "-fomit-frame-pointer"}}.ForTest(t, flags...)
}

// rowAt returns the row that holds file offset off.
func rowAt(rows []Row, off uint64) (Row, bool) {
	var found Row
	ok := false
	for _, r := range rows {
		if r.Off > off {
			break
		}
		found, ok = r, true
	}
	return found, ok
}

// symbolOffset is where a function starts in the file.
func symbolOffset(t *testing.T, bin, name string) uint64 {
	t.Helper()
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range syms {
		if s.Name == name {
			off, err := fileOffset(f, s.Value)
			if err != nil {
				t.Fatal(err)
			}
			return off
		}
	}
	t.Fatalf("%s has no symbol %s", bin, name)
	return 0
}

func TestFileRows(t *testing.T) {
	// The last: the functions' rules only in .debug_frame.
	for _, flags := range [][]string{nil, {"-pie", "-fPIE"}, {"-g"}, {"-g", "-fno-asynchronous-unwind-tables", "-fno-unwind-tables"}} {
		bin := buildProgram(t, flags...)
		rows, err := FileRows(bin)
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(rows); i++ {
			if rows[i].Off <= rows[i-1].Off || rows[i].sameRule(rows[i-1]) {
				t.Errorf("%v: rows %d and %d are not sorted and merged: %+v %+v", flags, i-1, i, rows[i-1], rows[i])
			}
		}
		// At a function's first instruction the CFA is rsp+8: the return
		// address is all the call pushed.
		for _, fn := range []string{"leaf", "framed", "main"} {
			r, ok := rowAt(rows, symbolOffset(t, bin, fn))
			if !ok || r.Kind != codegen.DwRowRSP || r.CFAOff != 8 || r.BPOff != 0 {
				t.Errorf("%v: %s starts with row %+v (found %v), want CFA=rsp+8", flags, fn, r, ok)
			}
		}
		// framed keeps its frame in rbp, saved at CFA-16.
		start := symbolOffset(t, bin, "framed")
		sawRBP := false
		for _, r := range rows {
			if r.Off > start && r.Off < start+64 && r.Kind == codegen.DwRowRBP {
				sawRBP = true
				if r.CFAOff != 16 || r.BPOff != -16 {
					t.Errorf("%v: framed's rbp row is %+v, want CFA=rbp+16, rbp at CFA-16", flags, r)
				}
			}
		}
		if !sawRBP {
			t.Errorf("%v: framed has no row with the CFA in rbp", flags)
		}
	}
}

func TestPLTExpression(t *testing.T) {
	// glibc's PLT: DW_OP_breg7 8; DW_OP_breg16 0; DW_OP_lit15; DW_OP_and;
	// DW_OP_lit11; DW_OP_ge; DW_OP_lit3; DW_OP_shl; DW_OP_plus.
	expr := []byte{0x77, 0x08, 0x80, 0x00, 0x3f, 0x1a, 0x3b, 0x2a, 0x33, 0x24, 0x22}
	n, mask, b, ok := pltExpr(expr)
	if !ok || n != 8 || mask != 15 || b != 11 {
		t.Errorf("pltExpr = %d, %d, %d, %v; want 8, 15, 11, true", n, mask, b, ok)
	}
	for i := range expr {
		if _, _, _, ok := pltExpr(expr[:i]); ok {
			t.Errorf("pltExpr of the first %d bytes is a PLT", i)
		}
	}
	row := compileState(frameState{cfaExpr: expr, ra: regRule{kind: ruleOffset, off: -8}})
	if row.Kind != codegen.DwRowPLT || row.CFAOff != 8 || row.BPOff != 15 || row.Arg != 11 {
		t.Errorf("PLT row = %+v", row)
	}
}

// TestInterp runs hand-written CFA instructions: a push of rbp, rbp as
// the frame, remember and restore state, and a register the rows cannot
// follow.
func TestInterp(t *testing.T) {
	c := &cie{codeAlign: 1, dataAlign: -8, raReg: regRA,
		// DW_CFA_def_cfa rsp 8; DW_CFA_offset r16 1 (the return address at CFA-8)
		initial: []byte{cfaDefCFA, regRSP, 8, cfaOffset | regRA, 1}}
	insns := []byte{
		cfaAdvanceLoc | 1, cfaDefCFAOffset, 16, cfaOffset | regRBP, 2, // push rbp: CFA=rsp+16, rbp at CFA-16
		cfaAdvanceLoc | 3, cfaDefCFARegister, regRBP, // mov rbp, rsp
		cfaAdvanceLoc | 4, cfaRememberState, cfaDefCFA, regRSP, 8, cfaRestore | regRBP, // leave; ret
		cfaAdvanceLoc | 1, cfaRestoreState, // the rest of the body
		cfaAdvanceLoc | 2, cfaDefCFA, 3, 8, // the CFA in rbx: not followed
	}
	s := &section{ehdr: true, order: binary.LittleEndian}
	var got []Row
	var at []uint64
	err := s.fdeRows(fde{cie: c, start: 0x100, end: 0x120, insns: insns}, func(pc uint64, st frameState) {
		at = append(at, pc)
		got = append(got, compileState(st))
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{
		{Kind: codegen.DwRowRSP, CFAOff: 8},
		{Kind: codegen.DwRowRSP, CFAOff: 16, BPOff: -16},
		{Kind: codegen.DwRowRBP, CFAOff: 16, BPOff: -16},
		{Kind: codegen.DwRowRSP, CFAOff: 8},
		{Kind: codegen.DwRowRBP, CFAOff: 16, BPOff: -16},
		{Kind: codegen.DwRowStop},
	}
	wantAt := []uint64{0x100, 0x101, 0x104, 0x108, 0x109, 0x10b}
	if len(got) != len(want) {
		t.Fatalf("got %d rows %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] || at[i] != wantAt[i] {
			t.Errorf("row %d at %#x = %+v, want %+v at %#x", i, at[i], got[i], want[i], wantAt[i])
		}
	}
}
