package dwunwind

import "fmt"

// DW_CFA_* instructions.
const (
	cfaAdvanceLoc        = 0x40 // high two bits
	cfaOffset            = 0x80
	cfaRestore           = 0xc0
	cfaNop               = 0x00
	cfaSetLoc            = 0x01
	cfaAdvanceLoc1       = 0x02
	cfaAdvanceLoc2       = 0x03
	cfaAdvanceLoc4       = 0x04
	cfaOffsetExtended    = 0x05
	cfaRestoreExtended   = 0x06
	cfaUndefined         = 0x07
	cfaSameValue         = 0x08
	cfaRegister          = 0x09
	cfaRememberState     = 0x0a
	cfaRestoreState      = 0x0b
	cfaDefCFA            = 0x0c
	cfaDefCFARegister    = 0x0d
	cfaDefCFAOffset      = 0x0e
	cfaDefCFAExpression  = 0x0f
	cfaExpression        = 0x10
	cfaOffsetExtendedSf  = 0x11
	cfaDefCFASf          = 0x12
	cfaDefCFAOffsetSf    = 0x13
	cfaValOffset         = 0x14
	cfaValOffsetSf       = 0x15
	cfaValExpression     = 0x16
	cfaGNUArgsSize       = 0x2e
	cfaGNUNegOffsetExtnd = 0x2f
)

// interp runs CFA instructions over a state.
type interp struct {
	s       *section
	c       *cie
	st      frameState
	initial frameState // the CIE's, for DW_CFA_restore
	saved   []frameState
	loc     uint64
	emit    func(pc uint64, st frameState)
}

// setReg sets the rule of a register the rows keep (rbp, the return
// address); the others do not matter to them.
func (in *interp) setReg(reg uint64, r regRule) {
	switch reg {
	case regRBP:
		in.st.rbp = r
	case in.c.raReg:
		in.st.ra = r
	}
}

func (in *interp) restoreReg(reg uint64) {
	switch reg {
	case regRBP:
		in.st.rbp = in.initial.rbp
	case in.c.raReg:
		in.st.ra = in.initial.ra
	}
}

// advance ends the row at the current location.
func (in *interp) advance(to uint64) {
	if in.emit != nil && to > in.loc {
		in.emit(in.loc, in.st)
	}
	in.loc = to
}

// run interprets insns; emit is nil while running a CIE's initial ones.
func (in *interp) run(insns []byte) error {
	r := &reader{b: insns}
	for r.pos < len(r.b) && r.err == nil {
		op := r.u8()
		switch op & 0xc0 {
		case cfaAdvanceLoc:
			in.advance(in.loc + uint64(op&0x3f)*in.c.codeAlign)
			continue
		case cfaOffset:
			in.setReg(uint64(op&0x3f), regRule{kind: ruleOffset, off: int64(r.uleb()) * in.c.dataAlign})
			continue
		case cfaRestore:
			in.restoreReg(uint64(op & 0x3f))
			continue
		}
		switch op {
		case cfaNop:
		case cfaSetLoc:
			in.advance(in.s.pointer(r, in.c.ptrEnc, true))
		case cfaAdvanceLoc1:
			in.advance(in.loc + uint64(r.u8())*in.c.codeAlign)
		case cfaAdvanceLoc2:
			in.advance(in.loc + r.fixed(2, in.s.order)*in.c.codeAlign)
		case cfaAdvanceLoc4:
			in.advance(in.loc + r.fixed(4, in.s.order)*in.c.codeAlign)
		case cfaOffsetExtended:
			reg := r.uleb()
			in.setReg(reg, regRule{kind: ruleOffset, off: int64(r.uleb()) * in.c.dataAlign})
		case cfaOffsetExtendedSf:
			reg := r.uleb()
			in.setReg(reg, regRule{kind: ruleOffset, off: r.sleb() * in.c.dataAlign})
		case cfaGNUNegOffsetExtnd:
			reg := r.uleb()
			in.setReg(reg, regRule{kind: ruleOffset, off: -int64(r.uleb()) * in.c.dataAlign})
		case cfaRestoreExtended:
			in.restoreReg(r.uleb())
		case cfaUndefined:
			in.setReg(r.uleb(), regRule{kind: ruleUndefined})
		case cfaSameValue:
			in.setReg(r.uleb(), regRule{kind: ruleSame})
		case cfaRegister:
			reg := r.uleb()
			r.uleb()
			in.setReg(reg, regRule{kind: ruleOther})
		case cfaValOffset, cfaValOffsetSf:
			reg := r.uleb()
			if op == cfaValOffset {
				r.uleb()
			} else {
				r.sleb()
			}
			in.setReg(reg, regRule{kind: ruleOther})
		case cfaExpression, cfaValExpression:
			reg := r.uleb()
			r.bytes(int(r.uleb()))
			in.setReg(reg, regRule{kind: ruleOther})
		case cfaRememberState:
			in.saved = append(in.saved, in.st)
		case cfaRestoreState:
			if n := len(in.saved); n > 0 {
				in.st, in.saved = in.saved[n-1], in.saved[:n-1]
			}
		case cfaDefCFA:
			in.st.cfaReg, in.st.cfaOff, in.st.cfaExpr = r.uleb(), int64(r.uleb()), nil
		case cfaDefCFASf:
			in.st.cfaReg, in.st.cfaOff, in.st.cfaExpr = r.uleb(), r.sleb()*in.c.dataAlign, nil
		case cfaDefCFARegister:
			in.st.cfaReg, in.st.cfaExpr = r.uleb(), nil
		case cfaDefCFAOffset:
			in.st.cfaOff = int64(r.uleb())
		case cfaDefCFAOffsetSf:
			in.st.cfaOff = r.sleb() * in.c.dataAlign
		case cfaDefCFAExpression:
			in.st.cfaExpr = r.bytes(int(r.uleb()))
			if in.st.cfaExpr == nil {
				in.st.cfaExpr = []byte{}
			}
		case cfaGNUArgsSize:
			r.uleb()
		default:
			return fmt.Errorf("unknown call frame instruction %#x", op)
		}
	}
	return r.err
}

// fdeRows interprets one FDE, calling emit for each address range's
// state, the last one ending at the FDE's end.
func (s *section) fdeRows(f fde, emit func(pc uint64, st frameState)) error {
	in := &interp{s: s, c: f.cie, loc: f.start}
	// Before the CIE's instructions every register is unchanged, and the
	// return address, in its column, is as undefined as DWARF says; the
	// CIE always sets it (x86-64: DW_CFA_offset r16, -8).
	in.st.ra = regRule{kind: ruleUndefined}
	if err := in.run(f.cie.initial); err != nil {
		return err
	}
	in.initial, in.loc = in.st, f.start
	in.emit = emit
	if err := in.run(f.insns); err != nil {
		return err
	}
	in.advance(f.end)
	return nil
}
