package dwunwind

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// x86-64's DWARF register numbers the rows need.
const (
	regRBP = 6
	regRSP = 7
	regRA  = 16 // the return address column
)

// ruleKind is how a register of the caller is found.
type ruleKind uint8

const (
	ruleSame      ruleKind = iota // unchanged (also: never mentioned)
	ruleUndefined                 // no value: for the return address, the outermost frame
	ruleOffset                    // saved at CFA+off
	ruleOther                     // anything else: a register, an expression
)

type regRule struct {
	kind ruleKind
	off  int64
}

// frameState is the unwind rule at one address.
type frameState struct {
	cfaReg  uint64
	cfaOff  int64
	cfaExpr []byte // DW_CFA_def_cfa_expression's block, when the CFA is one
	rbp, ra regRule
}

// cie is what a common information entry gives its FDEs.
type cie struct {
	codeAlign uint64
	dataAlign int64
	raReg     uint64
	ptrEnc    byte // pointer encoding of the FDEs' addresses (eh_frame's 'R')
	hasAug    bool // 'z': FDEs carry an augmentation data length
	initial   []byte
}

// section is an .eh_frame or .debug_frame section.
type section struct {
	data  []byte
	addr  uint64 // the section's address, for pc-relative pointers
	ehdr  bool   // .eh_frame (else .debug_frame)
	order binary.ByteOrder
}

// reader reads DWARF's variable-length numbers from a byte slice.
type reader struct {
	b   []byte
	pos int
	err error
}

func (r *reader) fail() {
	if r.err == nil {
		r.err = errors.New("truncated call frame information")
	}
	r.pos = len(r.b)
}

func (r *reader) u8() byte {
	if r.pos >= len(r.b) {
		r.fail()
		return 0
	}
	r.pos++
	return r.b[r.pos-1]
}

func (r *reader) bytes(n int) []byte {
	if n < 0 || r.pos+n > len(r.b) {
		r.fail()
		return nil
	}
	r.pos += n
	return r.b[r.pos-n : r.pos]
}

func (r *reader) uleb() uint64 {
	var v uint64
	for shift := uint(0); ; shift += 7 {
		c := r.u8()
		if shift < 64 {
			v |= uint64(c&0x7f) << shift
		}
		if c&0x80 == 0 || r.err != nil {
			return v
		}
	}
}

func (r *reader) sleb() int64 {
	var v int64
	shift := uint(0)
	for {
		c := r.u8()
		if shift < 64 {
			v |= int64(c&0x7f) << shift
		}
		shift += 7
		if c&0x80 == 0 || r.err != nil {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v
		}
	}
}

func (r *reader) fixed(n int, order binary.ByteOrder) uint64 {
	b := r.bytes(n)
	switch {
	case b == nil:
		return 0
	case n == 2:
		return uint64(order.Uint16(b))
	case n == 4:
		return uint64(order.Uint32(b))
	}
	return order.Uint64(b)
}

// Pointer encodings (DW_EH_PE_*) of .eh_frame.
const (
	peAbsptr  = 0x00
	peUleb    = 0x01
	peUdata2  = 0x02
	peUdata4  = 0x03
	peUdata8  = 0x04
	peSleb    = 0x09
	peSdata2  = 0x0a
	peSdata4  = 0x0b
	peSdata8  = 0x0c
	pePcrel   = 0x10
	peOmit    = 0xff
	peFormat  = 0x0f
	peApplied = 0x70
)

// pointer reads a pointer in encoding enc; relative says whether to add
// the address of the field for pcrel (a range length is not).
func (s *section) pointer(r *reader, enc byte, relative bool) uint64 {
	if enc == peOmit {
		return 0
	}
	at := s.addr + uint64(r.pos)
	var v uint64
	switch enc & peFormat {
	case peAbsptr, peUdata8, peSdata8:
		v = r.fixed(8, s.order)
	case peUleb:
		v = r.uleb()
	case peSleb:
		v = uint64(r.sleb())
	case peUdata2:
		v = r.fixed(2, s.order)
	case peSdata2:
		v = uint64(int64(int16(r.fixed(2, s.order))))
	case peUdata4:
		v = r.fixed(4, s.order)
	case peSdata4:
		v = uint64(int64(int32(r.fixed(4, s.order))))
	default:
		r.err = fmt.Errorf("unknown pointer encoding %#x", enc)
		r.pos = len(r.b)
	}
	if relative && enc&peApplied == pePcrel {
		v += at
	}
	return v
}

// fde is one function's range and instructions, with its CIE.
type fde struct {
	cie        *cie
	start, end uint64
	insns      []byte
}

// parse reads a section's CIEs and FDEs.
func (s *section) parse() ([]fde, error) {
	cies := map[int]*cie{}
	var fdes []fde
	r := &reader{b: s.data}
	for r.pos < len(r.b) && r.err == nil {
		start := r.pos
		length := r.fixed(4, s.order)
		idSize := 4
		if length == 0xffffffff {
			length, idSize = r.fixed(8, s.order), 8
		}
		if length == 0 {
			if s.ehdr {
				break // .eh_frame's terminator
			}
			continue
		}
		bodyStart := r.pos
		if uint64(len(r.b)-r.pos) < length {
			return fdes, errors.New("call frame entry runs past its section")
		}
		body := &reader{b: r.b[:bodyStart+int(length)], pos: bodyStart}
		r.pos = bodyStart + int(length)
		idAt := body.pos
		id := body.fixed(idSize, s.order)
		isCIE := id == 0
		if !s.ehdr {
			isCIE = id == 0xffffffff || (idSize == 8 && id == ^uint64(0))
		}
		if isCIE {
			c, err := s.readCIE(body)
			if err != nil {
				return fdes, err
			}
			cies[start] = c
			continue
		}
		cieAt := int(id)
		if s.ehdr {
			cieAt = idAt - int(id)
		}
		c := cies[cieAt]
		if c == nil {
			// A CIE after its FDE: read it where it is.
			c2, err := s.cieAt(cieAt)
			if err != nil {
				continue
			}
			c, cies[cieAt] = c2, c2
		}
		f := fde{cie: c}
		if s.ehdr {
			f.start = s.pointer(body, c.ptrEnc, true)
			f.end = f.start + s.pointer(body, c.ptrEnc&peFormat, false)
		} else {
			f.start = body.fixed(8, s.order)
			f.end = f.start + body.fixed(8, s.order)
		}
		if c.hasAug {
			body.bytes(int(body.uleb()))
		}
		if body.err != nil {
			return fdes, body.err
		}
		f.insns = body.b[body.pos:]
		if f.start != 0 || !s.ehdr {
			fdes = append(fdes, f)
		}
	}
	return fdes, r.err
}

// cieAt reads the CIE that starts at offset at.
func (s *section) cieAt(at int) (*cie, error) {
	r := &reader{b: s.data, pos: at}
	length := r.fixed(4, s.order)
	idSize := 4
	if length == 0xffffffff {
		length, idSize = r.fixed(8, s.order), 8
	}
	if r.err != nil || uint64(len(r.b)-r.pos) < length {
		return nil, errors.New("bad CIE pointer")
	}
	body := &reader{b: r.b[:r.pos+int(length)], pos: r.pos}
	body.fixed(idSize, s.order)
	return s.readCIE(body)
}

// readCIE reads a CIE's fields after its id.
func (s *section) readCIE(r *reader) (*cie, error) {
	c := &cie{ptrEnc: peAbsptr}
	version := r.u8()
	aug := []byte{}
	for b := r.u8(); b != 0 && r.err == nil; b = r.u8() {
		aug = append(aug, b)
	}
	if version >= 4 {
		r.u8() // address size
		r.u8() // segment selector size
	}
	if len(aug) >= 2 && aug[0] == 'e' && aug[1] == 'h' {
		r.fixed(8, s.order) // GNU's old "eh" pointer
	}
	c.codeAlign = r.uleb()
	c.dataAlign = r.sleb()
	if version == 1 {
		c.raReg = uint64(r.u8())
	} else {
		c.raReg = r.uleb()
	}
	if len(aug) > 0 && aug[0] == 'z' {
		c.hasAug = true
		n := int(r.uleb())
		end := r.pos + n
	augs:
		for _, a := range aug[1:] {
			switch a {
			case 'R':
				c.ptrEnc = r.u8()
			case 'L':
				r.u8()
			case 'P':
				enc := r.u8()
				s.pointer(r, enc&^0x80, false)
			case 'S', 'B':
			default:
				break augs // unknown: the length says where the data ends
			}
		}
		r.pos = end
	}
	if r.err != nil || r.pos > len(r.b) {
		return nil, errors.New("truncated CIE")
	}
	c.initial = r.b[r.pos:]
	return c, nil
}
