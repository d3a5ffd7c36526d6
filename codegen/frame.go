package codegen

// frame allocates stack slots below R10. Slots live until the frame is
// released back to a mark, which statements do when they finish.
type frame struct {
	top  int // bytes in use
	peak int
}

// StackSize is the kernel's limit on a program's stack.
const StackSize = 512

// alloc returns the R10-relative offset of size bytes aligned to 8.
func (f *frame) alloc(size int) int {
	f.top += (size + 7) &^ 7
	f.peak = max(f.peak, f.top)
	return -f.top
}

func (f *frame) mark() int     { return f.top }
func (f *frame) release(m int) { f.top = m }
func (f *frame) room(size int) bool {
	return f.top+(size+7)&^7 <= stackBudget
}

// stackNeed is how much stack the kernel counts for a program: its own
// frame and, when its loops' callbacks use frames of their own, the
// deepest chain of those, each frame rounded up as the JIT does.
func (g *gen) stackNeed() int {
	if g.cbStack == 0 {
		return g.frame.peak
	}
	return roundStack(g.frame.peak) + g.cbStack
}

// roundStack rounds a frame's size up as the kernel's JIT does when it
// adds up the frames of a call chain.
func roundStack(n int) int { return (n + 15) &^ 15 }

// stackBudget is how much of the stack hawk uses before moving buffers to
// the scratch map; the rest is headroom for the largest single slot.
const stackBudget = 448

// scratch allocates from a program's scratch memory: regions of
// ScratchRegion bytes, each an entry of the per-CPU scratch map (the most
// one entry holds), as bpftrace keeps its large values in per-CPU maps of
// their own. An area never straddles two regions: offset off is byte
// off%ScratchRegion of region off/ScratchRegion.
type scratch struct {
	top  int
	peak int
	// largest is the largest area asked for: one larger than a region
	// cannot be had.
	largest int
}

// ScratchRegion is the size of a region of scratch memory.
const ScratchRegion = MaxScratch

// MaxScratchRegions is how many regions of scratch memory one program may
// use.
const MaxScratchRegions = 8

func (s *scratch) alloc(size int) int {
	size = (size + 7) &^ 7
	s.largest = max(s.largest, size)
	if at := s.top % ScratchRegion; at > 0 && at+size > ScratchRegion {
		s.top += ScratchRegion - at // to the next region
	}
	off := s.top
	s.top += size
	s.peak = max(s.peak, s.top)
	return off
}

// regions is how many regions the program uses.
func (s *scratch) regions() int { return (s.peak + ScratchRegion - 1) / ScratchRegion }

func (s *scratch) mark() int     { return s.top }
func (s *scratch) release(m int) { s.top = m }
