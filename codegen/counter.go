package codegen

import (
	"strings"

	"github.com/cilium/ebpf/asm"

	"github.com/hawktrace/hawk/lang"
)

// One shared path for counts.
//
// count(), hist() and lhist() on a hash map add one to the key's value,
// or insert the key with 1 when it is missing (refused when the map is
// full, which the site's counter counts). Inline, that is 19 instructions
// a site, and the kernel inlines each map lookup into 4 more; a program
// with two sites or more calls one function instead, incrFunc(map, key,
// counter) (7 instructions a site, 17 for the function), whose lookup the
// kernel inlines once.

// IncrFuncName labels the shared function (for internal/initcheck, which
// has a model of it).
const IncrFuncName = "hawk_incr"

// IsIncrFunc reports whether a call's reference is a program's incrFunc:
// IncrFuncName, or a dispatcher's copy of it, prefixed with the name of
// the probe's function (renameLabels).
func IsIncrFunc(ref string) bool {
	return ref == IncrFuncName || strings.HasSuffix(ref, "."+IncrFuncName)
}

// countIncrSites counts the count(), hist() and lhist() updates of hash
// maps in the probe's body.
func (g *gen) countIncrSites() int {
	n := 0
	lang.Inspect(g.probe, func(node lang.Node) bool {
		s, ok := node.(*lang.ExprStmt)
		if !ok {
			return true
		}
		m, ok := s.X.(*lang.MapExpr)
		call, isCall := s.Value.(*lang.Call)
		if ok && isCall && g.info.Funcs[call].IsAggregation() {
			if meta := g.maps[m.Name]; meta != nil && incrAgg(meta) {
				n++
			}
		}
		return true
	})
	return n
}

// incrAgg reports whether a map's updates add one to a hash map's value
// (count(), and hist() and lhist() on their bucket's key): inline
// (countOne) or through incrFunc.
func incrAgg(meta *MapMeta) bool {
	return !meta.Array && (meta.Agg == AggCount || meta.Agg == AggHist || meta.Agg == AggLhist)
}

// sharedIncr emits a count's update through incrFunc when the program
// shares one; it reports whether it did.
func (g *gen) sharedIncr(m *lang.MapExpr, key mem) bool {
	meta := g.maps[m.Name]
	if g.incrSites < 2 || g.inCallback || !incrAgg(meta) {
		return false
	}
	i := g.siteIndex(Site{Kind: SiteFull, Map: meta.Index}, m)
	g.loadMap(asm.R1, meta.SpecName)
	g.addrTo(key, asm.R2)
	g.emit(asm.LoadMapValue(asm.R3, 0, uint32(StateSitesOffset+8*i)).WithReference(lostMapName))
	g.emit(asm.Call.Label(IncrFuncName))
	if !g.incrEmitted {
		g.incrEmitted = true
		g.cbStack = max(g.cbStack, roundStack(0)) // its frame, under the program's
		g.subprogs = append(g.subprogs, incrFunc(g.rodata.word(1))...)
	}
	return true
}

// incrFunc is the shared function: R1 the map, R2 the key, R3 the site's
// counter in the state map; one is the offset of the constant 1 in the
// read-only data. As countOne does, a refused insert adds its one to the
// site's counter through the hit's add.
func incrFunc(one int) asm.Instructions {
	const add, done = "hawk_incr_add", "hawk_incr_done"
	insns := asm.Instructions{
		asm.Mov.Reg(asm.R6, asm.R1),
		asm.Mov.Reg(asm.R7, asm.R2),
		asm.Mov.Reg(asm.R8, asm.R3),
		asm.FnMapLookupElem.Call(),
		asm.JNE.Imm(asm.R0, 0, add),
		asm.Mov.Reg(asm.R1, asm.R6),
		asm.Mov.Reg(asm.R2, asm.R7),
		asm.LoadMapValue(asm.R3, 0, uint32(one)).WithReference(rodataMapName),
		asm.Mov.Imm(asm.R4, bpfNoExist),
		asm.FnMapUpdateElem.Call(),
		asm.JNE.Imm(asm.R0, -e2big, done),
		asm.Mov.Reg(asm.R0, asm.R8),
		asm.Mov.Imm(asm.R1, 1).WithSymbol(add),
		asm.StoreXAdd(asm.R0, asm.R1, asm.DWord),
		// A function returns a number (R0 held a pointer on the add).
		asm.Mov.Imm(asm.R0, 0).WithSymbol(done),
		asm.Return(),
	}
	insns[0] = withFunc(insns[0].WithSymbol(IncrFuncName), IncrFuncName, false).
		WithSource(asm.Comment("count(), hist(), lhist(): one more, or the first"))
	return insns
}

// countOne adds one to the value of key, whose lookup left its address
// or NULL in R0, inline. A missing key is inserted with the value 1; when
// the map is full, the site's counter in the state map takes the one
// instead, through the same add (a positive counter is a count:
// SiteCount):
//
//	if r0 != 0 goto add
//	r0 = update(map, key, &1, BPF_NOEXIST)
//	if r0 != -E2BIG goto end
//	r0 = &site
//	add: r1 = 1; lock *(u64 *)r0 += r1
//	end:
//
// 14 instructions, against 16 for a hit path that jumps over the insert.
func (g *gen) countOne(m *lang.MapExpr, key mem) {
	meta := g.maps[m.Name]
	add, end := g.newLabel("add"), g.newLabel("count_end")
	g.emit(asm.JNE.Imm(asm.R0, 0, add))
	g.updateCall(meta, key, mem{base: baseRodata, off: g.rodata.word(1), size: 8}, bpfNoExist)
	g.emit(asm.JNE.Imm(asm.R0, -e2big, end))
	g.loadSite(asm.R0, meta, m)
	g.place(add)
	g.updatePair(meta.Agg, false, 0)
	g.place(end)
}
