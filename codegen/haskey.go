package codegen

import (
	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// hasKeyTo sets dst to whether the map has the key: 1 or 0, never the
// entry's address. A histogram's key has an entry per bucket, so it has
// the key when any of its buckets has an entry.
func (g *gen) hasKeyTo(call *lang.Call, dst asm.Register) {
	m := g.info.MapArgs[call]
	meta := g.maps[m.Name]
	if meta.Agg.Bucketed() {
		g.hasBucketTo(call, m, meta, dst)
		return
	}
	g.lookup(m.Name, g.key(m))
	g.foundTo(dst)
}

// foundTo sets dst to 1 when R0, a lookup's result, is an entry's address,
// and to 0 when it is NULL. dst gets a number on both paths: when dst is
// R0 the NULL is replaced too.
func (g *gen) foundTo(dst asm.Register) { g.r0To(dst, true) }

// r0To sets dst to 1 when R0 is not 0 (nonzero) or is 0 (!nonzero), and
// to 0 otherwise. dst gets a number on both paths: when dst is R0 the
// value tested is replaced too.
func (g *gen) r0To(dst asm.Register, nonzero bool) {
	ifNonzero, ifZero := int32(1), int32(0)
	if !nonzero {
		ifNonzero, ifZero = 0, 1
	}
	zero := g.newLabel("r0_zero")
	if dst != asm.R0 {
		g.emit(asm.Mov.Imm(dst, ifZero))
		g.emit(asm.JEq.Imm(asm.R0, 0, zero))
		g.emit(asm.Mov.Imm(dst, ifNonzero))
		g.place(zero)
		return
	}
	done := g.newLabel("r0_done")
	g.emit(asm.JEq.Imm(asm.R0, 0, zero))
	g.emit(asm.Mov.Imm(asm.R0, ifNonzero))
	g.emit(asm.Ja.Label(done))
	g.place(zero)
	g.emit(asm.Mov.Imm(asm.R0, ifZero))
	g.place(done)
}

// hasBucketTo sets dst to whether a histogram has the key in any bucket:
// a bpf_loop callback looks each bucket up until one is there.
func (g *gen) hasBucketTo(call *lang.Call, m *lang.MapExpr, meta *MapMeta, dst asm.Register) {
	key := g.keyWith(m, true) // on the stack or in the scratch area
	bucket := key.sub(meta.Key.Parts[len(meta.Key.Parts)-1].Offset, 8)
	found := g.allocSlot()
	g.emit(stDW(g.fp, int16(found), 0))
	cb := g.callback(asm.R2, call, func() {
		// R1: the bucket.
		g.storeScalar(bucket, asm.R1)
		g.lookup(m.Name, key)
		g.emit(asm.JEq.Imm(asm.R0, 0, g.loops[0].continueTo))
		g.emit(stDW(g.fp, int16(found), 1))
		g.emit(asm.Ja.Label(g.loops[0].breakTo))
	})
	g.emit(asm.Mov.Imm(asm.R1, int32(bucketCount(meta))))
	g.loadFunc(asm.R2, cb)
	g.frameArg(asm.R3)
	g.emit(asm.Mov.Imm(asm.R4, 0))
	g.call(asm.FnLoop)
	g.emit(asm.LoadMem(dst, g.fp, int16(found), asm.DWord))
}

// bucketCount is how many buckets a histogram map's keys may have: those
// of log2Bucket for hist(), of linearBucket for lhist(), one per interval
// for tseries().
func bucketCount(meta *MapMeta) int64 {
	args := meta.Value.Args
	if meta.Agg == AggTseries {
		_, n, _ := meta.Value.TseriesArgs()
		return n
	}
	if meta.Agg == AggHist {
		// The largest value, 2^63 - 1, has its leftmost 1 at l = 62.
		k := args[0]
		return (64-k)<<k + 1
	}
	return 2 + (args[1]-args[0])/args[2]
}
