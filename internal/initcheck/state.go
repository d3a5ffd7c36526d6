package initcheck

// vkind is what the checker knows of a register or a spilled stack slot.
type vkind uint8

const (
	kScalar vkind = iota // a number, nothing more known
	kConst               // a known number
	kPtr                 // an address in a tracked region
	kInit                // an address of memory that is always initialised; in a map's value (name) at off when name is set
	kMap                 // a map's address (for helpers)
	kFunc                // a function's address (for bpf_loop and friends)
	kTop                 // an address of unknown origin: paths disagree
)

// value is the abstract value of a register or spilled slot.
type value struct {
	kind vkind
	c    int64 // kConst
	// kPtr: the region and the offset in it; with varOff the offset is
	// only known to be at least off.
	region int
	off    int
	varOff bool
	name   string // kMap: the map; kFunc: the function's label; kInit: a map whose value it points into
}

var scalar = value{kind: kScalar}

func constant(c int64) value { return value{kind: kConst, c: c} }

// join is what a value is known to be when paths bringing a and b meet.
func join(a, b value) value {
	if a == b {
		return a
	}
	switch {
	case a.kind == kPtr && b.kind == kPtr && a.region == b.region:
		return value{kind: kPtr, region: a.region, off: min(a.off, b.off), varOff: true}
	case a.kind == kInit && b.kind == kInit:
		// A map value's bounds hold on every path that may point into it:
		// keep the map; offsets that differ (a loop's) stop moving.
		switch {
		case a.name == "":
			return b
		case b.name == "":
			return a
		case a.name == b.name:
			a.off, a.varOff = min(a.off, b.off), true
			return a
		}
		return value{kind: kInit}
	case isNumber(a) && isNumber(b):
		return scalar
	case isNull(a) && isAddress(b):
		// An address or NULL, as a lookup's result is: the address on the
		// paths where it is one.
		return b
	case isNull(b) && isAddress(a):
		return a
	case isNumber(a) || isNumber(b):
		// A pointer on one path, another number (a flag) on the other:
		// no address to follow from here on.
		return value{kind: kTop}
	}
	return value{kind: kTop}
}

func isNumber(v value) bool { return v.kind == kScalar || v.kind == kConst }

func isNull(v value) bool { return v.kind == kConst && v.c == 0 }

func isAddress(v value) bool { return v.kind == kPtr || v.kind == kInit }

// region is a tracked area of memory: a stack frame, the scratch area or
// a ring buffer reservation. init has a bit per byte written; a stack
// region also remembers the values spilled to its 8-byte slots.
type region struct {
	size  int
	init  []uint64
	spill map[int]value // by offset; only values that are not plain scalars
}

func newRegion(size int, stack bool) *region {
	r := &region{size: size, init: make([]uint64, (size+63)/64)}
	if stack {
		r.spill = map[int]value{}
	}
	return r
}

func (r *region) clone() *region {
	c := &region{size: r.size, init: append([]uint64(nil), r.init...)}
	if r.spill != nil {
		c.spill = make(map[int]value, len(r.spill))
		for k, v := range r.spill {
			c.spill[k] = v
		}
	}
	return c
}

func (r *region) isInit(i int) bool { return r.init[i/64]&(1<<(i%64)) != 0 }

// firstUninit returns the first byte of [from, to) not written, or -1.
func (r *region) firstUninit(from, to int) int {
	for i := max(from, 0); i < min(to, r.size); i++ {
		if !r.isInit(i) {
			return i
		}
	}
	return -1
}

func (r *region) setInit(from, to int) {
	for i := max(from, 0); i < min(to, r.size); i++ {
		r.init[i/64] |= 1 << (i % 64)
	}
}

// clearSpills forgets the spilled values that [from, to) overlaps.
func (r *region) clearSpills(from, to int) {
	for off := range r.spill {
		if off < to && from < off+8 {
			delete(r.spill, off)
		}
	}
}

func (r *region) equal(o *region) bool {
	if r == o {
		return true
	}
	if r.size != o.size || len(r.spill) != len(o.spill) {
		return false
	}
	for i := range r.init {
		if r.init[i] != o.init[i] {
			return false
		}
	}
	for k, v := range r.spill {
		if w, ok := o.spill[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// joinRegion keeps the bytes both wrote and the spills both agree on.
func joinRegion(a, b *region) *region {
	if a.equal(b) {
		return a
	}
	r := &region{size: max(a.size, b.size), init: make([]uint64, max(len(a.init), len(b.init)))}
	for i := range r.init {
		if i < len(a.init) && i < len(b.init) {
			r.init[i] = a.init[i] & b.init[i]
		}
	}
	if a.spill != nil {
		r.spill = map[int]value{}
		for k, v := range a.spill {
			w, ok := b.spill[k]
			if !ok {
				w = scalar
			}
			if j := join(v, w); j.kind != kScalar {
				r.spill[k] = j
			}
		}
		for k, w := range b.spill {
			if _, ok := a.spill[k]; !ok {
				if j := join(scalar, w); j.kind != kScalar {
					r.spill[k] = j
				}
			}
		}
	}
	return r
}

// state is what the checker knows at one point of a program.
type state struct {
	regs    [11]value
	regions map[int]*region
	owned   map[int]bool // regions this state may change in place
}

func (s *state) clone() *state {
	c := &state{regs: s.regs, regions: make(map[int]*region, len(s.regions)), owned: map[int]bool{}}
	for k, v := range s.regions {
		c.regions[k] = v
	}
	return c
}

// writable returns region id for changing, copying it first when shared.
func (s *state) writable(id int) *region {
	r := s.regions[id]
	if r == nil {
		return nil
	}
	if !s.owned[id] {
		r = r.clone()
		s.regions[id] = r
		s.owned[id] = true
	}
	return r
}

// joinState returns the join of a (nil: no path yet) and b, and whether
// it differs from a.
func joinState(a, b *state) (*state, bool) {
	if a == nil {
		c := b.clone()
		c.owned = nil
		return c, true
	}
	out := &state{regions: map[int]*region{}}
	changed := false
	for i := range a.regs {
		out.regs[i] = join(a.regs[i], b.regs[i])
		changed = changed || out.regs[i] != a.regs[i]
	}
	for id, ra := range a.regions {
		if rb, ok := b.regions[id]; ok {
			out.regions[id] = joinRegion(ra, rb)
			changed = changed || !out.regions[id].equal(ra)
		} else {
			out.regions[id] = ra
		}
	}
	for id, rb := range b.regions {
		if _, ok := a.regions[id]; !ok {
			out.regions[id] = rb
			changed = true
		}
	}
	return out, changed
}

// prune drops the ring buffer reservations nothing points to any more
// (one whose reservation failed, on the path that skips it), so that
// states do not grow with every record a program sends.
func prune(s *state) *state {
	live := map[int]bool{}
	for _, v := range s.regs {
		live[v.region] = v.kind == kPtr || live[v.region]
	}
	for _, r := range s.regions {
		for _, v := range r.spill {
			live[v.region] = v.kind == kPtr || live[v.region]
		}
	}
	var out *state
	for id := range s.regions {
		if id < 0 && !live[id] {
			if out == nil {
				out = s.clone()
			}
			delete(out.regions, id)
		}
	}
	if out == nil {
		return s
	}
	return out
}
