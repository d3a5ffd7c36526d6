package codegen

import "github.com/cilium/ebpf/asm"

// regionSlotKey marks, in an instruction's metadata, a load of the address
// of a scratch region past the first: its stack slot is known only once
// the body is compiled (placeRegionSlots), when the region count is.
type regionSlotKey struct{}

// loadRegion sets dst to the address of scratch region r.
func (g *gen) loadRegion(dst asm.Register, r int) {
	switch {
	case r == 0:
		g.emit(asm.LoadMem(dst, g.fp, int16(g.scratchSlot), asm.DWord))
		return
	case g.regionSlots != nil: // the prologue, after the body
		g.emit(asm.LoadMem(dst, g.fp, int16(g.regionSlots[r-1]), asm.DWord))
		return
	}
	ins := asm.LoadMem(dst, g.fp, 0, asm.DWord)
	ins.Metadata.Set(regionSlotKey{}, r)
	g.emit(ins)
}

// placeRegionSlots gives each scratch region past the first a stack slot
// below everything the body used, and points the loads of their addresses
// at them.
func (g *gen) placeRegionSlots() {
	n := g.scratch.regions()
	if n <= 1 {
		return
	}
	g.regionSlots = make([]int, n-1)
	g.frame.top = g.frame.peak
	for i := range g.regionSlots {
		g.regionSlots[i] = g.frame.alloc(8)
	}
	for _, insns := range []asm.Instructions{g.insns, g.subprogs} {
		for i := range insns {
			if r, ok := insns[i].Metadata.Get(regionSlotKey{}).(int); ok {
				insns[i].Offset = int16(g.regionSlots[r-1])
			}
		}
	}
}
