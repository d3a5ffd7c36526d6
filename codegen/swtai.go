package codegen

// taiDeltaSlot returns the offset of the 8 bytes of the read-only data
// where the runtime stores the TAI clock's distance from the boot clock,
// which nsecs(sw_tai) reads (Manifest.TaiDeltaOffset).
func (g *gen) taiDeltaSlot() int {
	off, ok := g.rodata.tables["sw_tai"]
	if !ok {
		off = len(g.rodata.data)
		g.rodata.data = append(g.rodata.data, make([]byte, 8)...)
		if g.rodata.tables == nil {
			g.rodata.tables = map[string]int{}
		}
		g.rodata.tables["sw_tai"] = off
	}
	g.man.TaiDeltaOffset = off
	return off
}
