package codegen

// taiDeltaSlot returns the offset of the 8 bytes of the read-only data
// where the runtime stores the TAI clock's distance from the boot clock,
// which nsecs(sw_tai) reads (Manifest.TaiDeltaOffset; 0 until made, where
// the start time is).
func (g *gen) taiDeltaSlot() int {
	if g.man.TaiDeltaOffset == 0 {
		g.man.TaiDeltaOffset = g.rodata.bytes(make([]byte, 8))
	}
	return g.man.TaiDeltaOffset
}
