package codegen

import (
	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// tseries updates a tseries() map, as bpftrace does:
//
//	now = the TAI clock (or the dummy map's value: lang.Info.DummyTSMap)
//	epoch = now / interval; bucket = epoch % intervals
//	v = lookup(key..., bucket)
//	found: if the aggregation is not the last value and v.epoch != epoch,
//	       v.value = v.meta = 0 (the bucket held an older interval);
//	       update v.value and v.meta; v.epoch = epoch
//	missing: insert {n, meta, epoch}
//
// The value layout is in wire.go (TseriesValueSize).
func (g *gen) tseries(m *lang.MapExpr, call *lang.Call) {
	meta := g.maps[m.Name]
	interval, _, agg := meta.Value.TseriesArgs()
	// What must outlive the helper calls waits on the stack.
	arg, epoch := g.allocSlot(), g.allocSlot()
	g.withReg(func(r asm.Register) {
		g.scalarTo(call.Args[0], r)
		g.emit(asm.StoreMem(g.fp, int16(arg), r, asm.DWord))
	})
	g.nowTo(asm.R0)
	var now int // the time, which only "last" keeps
	if agg == lang.TseriesLast {
		now = g.allocSlot()
		g.emit(asm.StoreMem(g.fp, int16(now), asm.R0, asm.DWord))
	}
	g.loadImm(asm.R1, interval)
	g.emit(asm.Div.Reg(asm.R0, asm.R1))
	g.emit(asm.StoreMem(g.fp, int16(epoch), asm.R0, asm.DWord))
	key := g.keyWith(m, true)
	g.tseriesBucket(meta, key, epoch)
	g.lookup(m.Name, key)
	insert, end := g.newLabel("tseries_insert"), g.newLabel("tseries_end")
	g.emit(asm.JEq.Imm(asm.R0, 0, insert))
	// Found: R0 points to the bucket.
	g.emit(asm.LoadMem(asm.R2, g.fp, int16(epoch), asm.DWord))
	if agg != lang.TseriesLast {
		same := g.newLabel("tseries_same")
		g.emit(asm.LoadMem(asm.R1, asm.R0, TseriesEpochOffset, asm.DWord))
		g.emit(asm.JEq.Reg(asm.R1, asm.R2, same))
		g.emit(stDW(asm.R0, TseriesValueOffset, 0), stDW(asm.R0, TseriesMetaOffset, 0))
		g.place(same)
	}
	g.emit(asm.StoreMem(asm.R0, TseriesEpochOffset, asm.R2, asm.DWord))
	if agg == lang.TseriesLast {
		g.emit(asm.LoadMem(asm.R1, g.fp, int16(arg), asm.DWord))
		g.emit(asm.StoreMem(asm.R0, TseriesValueOffset, asm.R1, asm.DWord))
		g.emit(asm.LoadMem(asm.R1, g.fp, int16(now), asm.DWord))
		g.emit(asm.StoreMem(asm.R0, TseriesMetaOffset, asm.R1, asm.DWord))
	} else {
		g.updatePair(tseriesPairAgg[agg], meta.Value.Signed, arg)
	}
	g.emit(asm.Ja.Label(end))
	// Missing: the first value of the bucket.
	g.place(insert)
	val := mem{base: baseStack, off: g.frame.alloc(TseriesValueSize), size: TseriesValueSize}
	g.emit(asm.LoadMem(asm.R1, g.fp, int16(arg), asm.DWord))
	g.emit(asm.StoreMem(g.fp, int16(val.off+TseriesValueOffset), asm.R1, asm.DWord))
	if agg == lang.TseriesLast {
		g.emit(asm.LoadMem(asm.R1, g.fp, int16(now), asm.DWord))
		g.emit(asm.StoreMem(g.fp, int16(val.off+TseriesMetaOffset), asm.R1, asm.DWord))
	} else {
		// One value seen (avg, sum), a value set (min, max).
		g.emit(stDW(g.fp, int16(val.off+TseriesMetaOffset), 1))
	}
	g.emit(asm.LoadMem(asm.R1, g.fp, int16(epoch), asm.DWord))
	g.emit(asm.StoreMem(g.fp, int16(val.off+TseriesEpochOffset), asm.R1, asm.DWord))
	g.update(m, key, val, bpfAny)
	g.place(end)
}

// tseriesPairAgg is the aggregation whose update of a value and its count
// (updatePair) a tseries() aggregation shares.
var tseriesPairAgg = map[lang.TseriesAgg]Agg{
	lang.TseriesAvg: AggAvg, lang.TseriesSum: AggSum, lang.TseriesMin: AggMin, lang.TseriesMax: AggMax,
}

// tseriesBucket stores epoch % intervals, the bucket of the interval in
// the stack slot epoch, as the last part of key.
func (g *gen) tseriesBucket(meta *MapMeta, key mem, epoch int) {
	_, n, _ := meta.Value.TseriesArgs()
	g.emit(asm.LoadMem(asm.R1, g.fp, int16(epoch), asm.DWord))
	g.loadImm(asm.R2, n)
	g.emit(asm.Mod.Reg(asm.R1, asm.R2))
	last := meta.Key.Parts[len(meta.Key.Parts)-1]
	reg, off := g.base(key.sub(last.Offset, 8), asm.R2)
	g.emit(asm.StoreMem(reg, off, asm.R1, asm.DWord))
}

// nowTo sets dst to the time tseries() buckets by: TAI nanoseconds, whose
// intervals start on the wall clock's round times, as in bpftrace; or,
// under the testing aid BPFTRACE_DUMMY_TS_MAP, the value of the map it
// names (0 while that has none). It clobbers R0-R5.
func (g *gen) nowTo(dst asm.Register) {
	if g.info.DummyTSMap == "" {
		g.call(asm.FnKtimeGetTaiNs)
		g.move(dst, asm.R0)
		return
	}
	g.lookup(g.info.DummyTSMap, g.key(&lang.MapExpr{Name: g.info.DummyTSMap}))
	missing, end := g.newLabel("dummy_ts_missing"), g.newLabel("dummy_ts_end")
	g.emit(asm.JEq.Imm(asm.R0, 0, missing))
	g.emit(asm.LoadMem(dst, asm.R0, 0, asm.DWord))
	g.emit(asm.Ja.Label(end))
	g.place(missing)
	g.emit(asm.Mov.Imm(dst, 0))
	g.place(end)
}
