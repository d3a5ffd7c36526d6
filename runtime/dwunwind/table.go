package dwunwind

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/hawktrace/hawk/codegen"
)

// Row is the unwind rule from file offset Off up to the next row's, in
// the layout codegen's unwinder reads (codegen.DwRowSize).
type Row struct {
	Off    uint64
	CFAOff int32
	BPOff  int16
	Kind   uint8 // codegen.DwRowStop, DwRowRSP, DwRowRBP or DwRowPLT
	Arg    uint8
}

// Encode writes the row into b, codegen.DwRowSize bytes.
func (r Row) Encode(b []byte) {
	binary.LittleEndian.PutUint64(b[codegen.DwRowOffOff:], r.Off)
	binary.LittleEndian.PutUint32(b[codegen.DwRowCFAOff:], uint32(r.CFAOff))
	binary.LittleEndian.PutUint16(b[codegen.DwRowBPOff:], uint16(r.BPOff))
	b[codegen.DwRowKindOff] = r.Kind
	b[codegen.DwRowArgOff] = r.Arg
}

// sameRule says whether two rows unwind alike.
func (r Row) sameRule(o Row) bool {
	return r.CFAOff == o.CFAOff && r.BPOff == o.BPOff && r.Kind == o.Kind && r.Arg == o.Arg
}

// span is a row over [start, end) in addresses, before it becomes a file
// offset.
type span struct {
	start, end uint64
	row        Row
}

// FileRows compiles the call frame information of the x86-64 ELF file at
// path into rows sorted by file offset. A file without any has no rows.
func FileRows(path string) ([]Row, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ELFRows(f)
}

// ELFRows is FileRows of an open file.
func ELFRows(f *elf.File) ([]Row, error) {
	if f.Machine != elf.EM_X86_64 || f.Class != elf.ELFCLASS64 {
		return nil, fmt.Errorf("dw_ustack unwinds x86-64 binaries only, not %v", f.Machine)
	}
	var spans []span
	covered := func(pc uint64) bool { return false }
	if s := f.Section(".eh_frame"); s != nil && s.Type != elf.SHT_NOBITS {
		eh, err := sectionSpans(s, true)
		if err != nil {
			return nil, fmt.Errorf(".eh_frame: %w", err)
		}
		spans = eh
		covered = coverage(eh)
	}
	if s := f.Section(".debug_frame"); s != nil && s.Type != elf.SHT_NOBITS {
		// Only for the functions .eh_frame leaves out.
		dbg, err := sectionSpans(s, false)
		if err == nil {
			for _, sp := range dbg {
				if !covered(sp.start) {
					spans = append(spans, sp)
				}
			}
		}
	}
	return fileOffsets(f, merge(spans)), nil
}

// sectionSpans interprets every FDE of a frame section.
func sectionSpans(s *elf.Section, eh bool) ([]span, error) {
	data, err := s.Data()
	if err != nil {
		return nil, err
	}
	sec := &section{data: data, addr: s.Addr, ehdr: eh, order: binary.LittleEndian}
	fdes, err := sec.parse()
	if err != nil && len(fdes) == 0 {
		return nil, err
	}
	var spans []span
	for _, fd := range fdes {
		first := len(spans)
		err := sec.fdeRows(fd, func(pc uint64, st frameState) {
			spans = append(spans, span{start: pc, row: compileState(st)})
		})
		if err != nil {
			// The function's rules cannot be read: it stops walks.
			spans = append(spans[:first], span{start: fd.start, row: Row{Kind: codegen.DwRowStop}})
		}
		for i := first; i < len(spans); i++ {
			spans[i].end = fd.end
			if i+1 < len(spans) {
				spans[i].end = spans[i+1].start
			}
		}
	}
	return spans, nil
}

// coverage returns whether an address is in one of spans.
func coverage(spans []span) func(uint64) bool {
	sorted := append([]span(nil), spans...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].start < sorted[j].start })
	return func(pc uint64) bool {
		i := sort.Search(len(sorted), func(i int) bool { return sorted[i].start > pc })
		return i > 0 && pc < sorted[i-1].end
	}
}

// pltExpr is the CFA expression of the PLT's entries: rsp+N, plus 8 when
// (rip & M) >= B (DW_OP_breg7 N; DW_OP_breg16 0; DW_OP_litM; DW_OP_and;
// DW_OP_litB; DW_OP_ge; DW_OP_lit3; DW_OP_shl; DW_OP_plus).
func pltExpr(e []byte) (n int64, mask, b uint8, ok bool) {
	r := &reader{b: e}
	if r.u8() != 0x77 {
		return 0, 0, 0, false
	}
	n = r.sleb()
	if r.u8() != 0x80 || r.sleb() != 0 {
		return 0, 0, 0, false
	}
	x := r.bytes(7)
	isLit := func(b byte) bool { return b >= 0x30 && b <= 0x4f }
	if r.err != nil || r.pos != len(e) || !isLit(x[0]) || x[1] != 0x1a || !isLit(x[2]) ||
		!bytes.Equal(x[3:], []byte{0x2a, 0x33, 0x24, 0x22}) {
		return 0, 0, 0, false
	}
	return n, x[0] - 0x30, x[2] - 0x30, true
}

// compileState turns one address's frame state into a row.
func compileState(st frameState) Row {
	stop := Row{Kind: codegen.DwRowStop}
	if st.ra.kind != ruleOffset || st.ra.off != -8 {
		return stop
	}
	var row Row
	switch {
	case st.cfaExpr != nil:
		n, mask, b, ok := pltExpr(st.cfaExpr)
		if !ok || n < math.MinInt32 || n > math.MaxInt32 {
			return stop
		}
		return Row{Kind: codegen.DwRowPLT, CFAOff: int32(n), BPOff: int16(mask), Arg: b}
	case st.cfaReg == regRSP:
		row.Kind = codegen.DwRowRSP
	case st.cfaReg == regRBP:
		row.Kind = codegen.DwRowRBP
	default:
		return stop
	}
	if st.cfaOff < math.MinInt32 || st.cfaOff > math.MaxInt32 {
		return stop
	}
	row.CFAOff = int32(st.cfaOff)
	if st.rbp.kind == ruleOffset {
		if st.rbp.off == 0 || st.rbp.off < math.MinInt16 || st.rbp.off > math.MaxInt16 {
			return stop
		}
		row.BPOff = int16(st.rbp.off)
	}
	return row
}

// merge sorts spans, fills the gaps between them with rows that stop,
// and joins neighbours with the same rule. Rows hold addresses still.
func merge(spans []span) []span {
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var out []span
	for _, sp := range spans {
		if sp.end <= sp.start {
			continue
		}
		if n := len(out); n > 0 {
			last := &out[n-1]
			if last.end < sp.start {
				out = append(out, span{start: last.end, end: sp.start, row: Row{Kind: codegen.DwRowStop}})
			} else if last.end > sp.start {
				last.end = sp.start // overlapping FDEs: the later one wins
				if last.end <= last.start {
					out = out[:n-1]
				}
			}
		}
		if n := len(out); n > 0 && out[n-1].row.sameRule(sp.row) && out[n-1].end == sp.start {
			out[n-1].end = sp.end
			continue
		}
		out = append(out, sp)
	}
	if n := len(out); n > 0 {
		out = append(out, span{start: out[n-1].end, end: out[n-1].end + 1, row: Row{Kind: codegen.DwRowStop}})
	}
	return out
}

// errNoSegment is an address no loadable segment holds.
var errNoSegment = errors.New("no segment")

// fileOffsets turns the spans' addresses into the file offsets the
// unwinder sees (an address minus its mapping's start, plus the
// mapping's offset in the file).
func fileOffsets(f *elf.File, spans []span) []Row {
	var rows []Row
	for _, sp := range spans {
		off, err := fileOffset(f, sp.start)
		if err != nil {
			continue
		}
		sp.row.Off = off
		if n := len(rows); n > 0 && rows[n-1].sameRule(sp.row) {
			continue
		}
		rows = append(rows, sp.row)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Off < rows[j].Off })
	return rows
}

// fileOffset is where address addr of f is in the file.
func fileOffset(f *elf.File, addr uint64) (uint64, error) {
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD && addr >= p.Vaddr && addr <= p.Vaddr+p.Memsz {
			return addr - p.Vaddr + p.Off, nil
		}
	}
	return 0, errNoSegment
}
