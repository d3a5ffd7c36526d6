package lang

// Settling: the walks before the reporting one fix the types of maps and
// variables, which a script may read before the assignment that types
// them (a map assigned in a later probe, `let $x;` assigned later in a
// loop). A walk reads each map and variable in the state the walks so far
// left it in, and notes the first read of each whose type decided
// something (observe*). When a later assignment in the same walk changes
// what that read saw (changed*), the walk is stale: another one runs, from
// the types this one settled. Maps read only in their own first
// assignment (`@n = @n + 1`) are guessed int64 between walks, which also
// takes another walk. A settling walk does not stop at the first part of
// an expression whose type is not known yet (a tuple's elements, a call's
// arguments): it checks the rest too, so that every map read in its own
// assignment is found in one walk, and each walk settles all it can.
//
// Most scripts settle in one walk, those that read a map before its
// assignment in two; each further walk is needed only by a chain of maps
// each typed from one read before it is assigned. MaxSettleWalks bounds
// the walks, so that checking stays linear in the script.

// MaxSettleWalks is the most walks the checker makes over a script to
// settle its types, before the walk that reports. A script still settling
// after them (a chain of more maps, each assigned from the next one in
// the script's order) is refused at the read that saw a type change.
const MaxSettleWalks = 16

// staleRead is a read of a map or variable whose state an assignment later
// in the same walk changed.
type staleRead struct {
	name string // @map or $variable, as the script writes it
	at   Node
}

// settle walks the probes until their types settle, at most
// MaxSettleWalks times, and returns the last settling walk's checker; the
// read that was still stale when the walks ran out is in unsettled.
func settle(c *checker) (last *checker, unsettled *staleRead) {
	c.walk()
	for walks := 1; ; walks++ {
		guessed := c.guessSelfReads()
		if c.stale == nil && guessed == nil {
			return c, nil
		}
		if walks == MaxSettleWalks {
			if c.stale != nil {
				return c, c.stale
			}
			return c, guessed
		}
		c = newChecker(c.prog, c.env, c.cfg, c.settings, c)
		c.walk()
	}
}

// guessSelfReads types the maps that only their own assignments read
// before they have a type (`@n = @n + 1`, `@[k] = @[k] + 1`) as int64: the
// 0 a map holds before its first assignment, as bpftrace infers. It
// returns the first one it typed, if any: the types must settle again.
func (c *checker) guessSelfReads() *staleRead {
	var first *staleRead
	for _, name := range c.info.MapOrder {
		if info := c.info.Maps[name]; info.Value == nil && info.selfRead && !info.badValue {
			info.Value, info.guessed = Int64, true
			if first == nil {
				first = &staleRead{name: name, at: info.First}
			}
		}
	}
	return first
}

// reportUnsettled reports a script whose types did not settle in
// MaxSettleWalks walks, at the read that saw a type change last.
func (c *checker) reportUnsettled(r *staleRead) {
	d := c.errorf(r.at, "cannot settle the type of %s: it is read before the assignment that types it, which reads another such map, in a chain longer than the %d passes hawk makes over a script", r.name, MaxSettleWalks)
	d.Hint = "assign some of these maps before the script reads them"
}

// observeMap notes that the type of what is being checked at n depends
// on the state of the map info: its value type, and its keys too when
// keys is set.
func (c *checker) observeMap(info *MapInfo, n Node, keys bool) {
	if c.report {
		return
	}
	if info.seenAt == nil {
		info.seenAt = n
	}
	if keys && info.keysSeenAt == nil {
		info.keysSeenAt = n
	}
}

// changedMap notes that the value type of the map info changed: a read of
// it earlier in this walk saw a state it no longer has. (That an
// assignment to it was wrong is no change to settle: the reporting walk
// finds the mistake again.)
func (c *checker) changedMap(info *MapInfo) {
	if info.seenAt != nil && c.stale == nil {
		c.stale = &staleRead{name: info.Name, at: info.seenAt}
	}
}

// changedKeys notes that the key types of the map info changed.
func (c *checker) changedKeys(info *MapInfo) {
	if info.keysSeenAt != nil && c.stale == nil {
		c.stale = &staleRead{name: info.Name, at: info.keysSeenAt}
	}
}

// setMapValue sets the value type of the map info.
func (c *checker) setMapValue(info *MapInfo, t *Type) {
	if !t.Equal(info.Value) {
		c.changedMap(info)
	}
	info.Value = t
}

// observeVar notes that the type of what is being checked at n depends on
// the type of the variable v.
func (c *checker) observeVar(v *VarInfo, n Node) {
	if !c.report && v.seenAt == nil {
		v.seenAt = n
	}
}

// setVarType sets the type of the variable v, also for the walks after.
// An error (Invalid, or nil for a type not known yet) is no change to
// settle: the reporting walk finds it again. The walks after start from
// the type v had before it, so that they read v as this walk did until
// the error, and do not find it widened again after each read.
func (c *checker) setVarType(v *VarInfo, t *Type) {
	v.Type = t
	if t.IsInvalid() {
		if old := c.varTypes[v.Decl]; old.IsInvalid() {
			c.varTypes[v.Decl] = t
		}
		return
	}
	if !t.Equal(c.varTypes[v.Decl]) && v.seenAt != nil && c.stale == nil {
		c.stale = &staleRead{name: c.varName(v.Name), at: v.seenAt}
	}
	c.varTypes[v.Decl] = t
}

// settling reports whether a settling walk should look past a part of an
// expression whose type is not known (Invalid): the value being checked
// read a map or variable with no type yet, so the part may be only
// unknown for now. The rest is checked for what it reads, and the whole
// is Invalid. A part that is wrong, or any part in the reporting walk,
// stops the check as before, so that one mistake gives one message.
func (c *checker) settling() bool {
	return c.unknownValue()
}
