// Package initcheck is a test-only static checker of generated eBPF: it
// finds memory that a program reads, or hands to user space or to a map,
// before anything wrote it.
//
// The kernel lets privileged programs read uninitialised stack, and a ring
// buffer reservation or a per-CPU scratch area holds whatever an earlier
// event left there, so no verifier catches a program that sends such
// bytes out. Check interprets each program abstractly: a forward dataflow
// over its instructions, bpf_loop and bpf_for_each_map_elem callbacks
// included, to a fixpoint. It tracks which bytes of the stack frames, of
// the scratch area (stale when a run starts) and of each ring buffer
// reservation (by the instruction that reserved it) are written, which
// registers and spilled stack slots hold addresses into them at known
// offsets, and constants. Paths meet by keeping only the bytes written on
// every path.
//
// It reports a load from unwritten bytes; a helper given unwritten bytes
// to read (map keys and values, probe_read sources in tracked memory, the
// first byte of a string bpf_strncmp reads); a ring buffer record submitted
// with unwritten bytes; a probe_read from a map value (the read-only
// data's zeros) that runs past the value's end, where the kernel keeps
// other things; an access through an address whose origin the paths
// disagree on; and any helper it has no model of.
//
// Limits: an address with an offset known only at run time (a byte loop
// over a string, an index) is checked at its lowest offset only, and
// stores through it mark nothing written; bpf_probe_read_*_str is taken to
// write only the first byte of its destination (it stops after the NUL,
// and on success leaves the rest as it was); a helper's size argument that
// is not a constant writes nothing; branches are not followed by their
// conditions, so code that only runs when a check passed is taken to run
// either way, but for a null check (r == 0, r != 0 on an address), after
// which the register is the number 0 where it was NULL, as the verifier
// has it (an address joined with NULL stays the address).
package initcheck

import (
	"fmt"
	"sort"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// Config names the maps whose memory the checker models specially.
type Config struct {
	// Scratch is the per-CPU array whose value is a program's scratch
	// area: its bytes are stale when a run starts.
	Scratch string
}

// Finding is a read of memory that may hold bytes nothing wrote.
type Finding struct {
	Program string
	Index   int    // the instruction's index in the program
	Offset  int    // its offset in 8-byte slots, as listings number it
	Source  string // the script line of the statement it belongs to
	Msg     string
}

func (f Finding) String() string {
	return fmt.Sprintf("%s: instruction %d (%s): %s", f.Program, f.Offset, f.Source, f.Msg)
}

// Check interprets every program of spec, in name order.
func Check(spec *ebpf.CollectionSpec, cfg Config) []Finding {
	var names []string
	for name := range spec.Programs {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []Finding
	for _, name := range names {
		out = append(out, CheckProgram(spec, name, cfg)...)
	}
	return out
}

// Region ids: the program's stack frame, the scratch area, a callback's
// own frame (callbackRegion + the index of its first instruction), a ring
// buffer reservation (reserveRegion - the index of bpf_ringbuf_reserve).
const (
	stackRegion    = 0
	scratchRegion  = 1
	callbackRegion = 2
	reserveRegion  = -1
	stackSize      = 512
)

// checker holds one program's control flow and the states found so far.
type checker struct {
	spec    *ebpf.CollectionSpec
	cfg     Config
	name    string
	insns   asm.Instructions
	raw     []int  // the offset of each instruction, in 8-byte slots
	targets []int  // jump target of each jump, -1 otherwise
	leader  []bool // a block starts here
	funcOf  []int  // the first instruction of each one's function
	entries map[string]int
	in      map[int]*state // state at each block's start
	work    []int
	queued  map[int]bool
	// Callbacks: the state at their exits, the registers they start with,
	// and the blocks that call them.
	cbExit  map[int]*state
	cbRegs  map[int][11]value
	callers map[int]map[int]bool
	report  bool
	found   map[string]bool
	out     []Finding
}

// CheckProgram interprets one program of spec.
func CheckProgram(spec *ebpf.CollectionSpec, name string, cfg Config) []Finding {
	c := &checker{spec: spec, cfg: cfg, name: name, insns: spec.Programs[name].Instructions,
		entries: map[string]int{}, in: map[int]*state{}, queued: map[int]bool{},
		cbExit: map[int]*state{}, cbRegs: map[int][11]value{}, callers: map[int]map[int]bool{}, found: map[string]bool{}}
	if len(c.insns) == 0 {
		return nil
	}
	if err := c.buildCFG(); err != "" {
		c.flag(0, "%s", err)
		return c.out
	}
	entry := &state{regions: map[int]*region{stackRegion: newRegion(stackSize, true)}}
	entry.regs[asm.R1] = value{kind: kInit} // the context
	entry.regs[asm.R10] = value{kind: kPtr, region: stackRegion, off: stackSize}
	if m := spec.Maps[cfg.Scratch]; m != nil {
		entry.regions[scratchRegion] = newRegion(int(m.ValueSize), false)
	}
	c.propagate(0, entry)
	for len(c.work) > 0 {
		b := c.work[len(c.work)-1]
		c.work = c.work[:len(c.work)-1]
		c.queued[b] = false
		c.block(b)
	}
	// Report from the final states only: every path is in them.
	c.report = true
	var leaders []int
	for b := range c.in {
		leaders = append(leaders, b)
	}
	sort.Ints(leaders)
	for _, b := range leaders {
		c.block(b)
	}
	sort.Slice(c.out, func(i, j int) bool { return c.out[i].Index < c.out[j].Index })
	return c.out
}

// buildCFG finds jump targets, blocks and functions.
func (c *checker) buildCFG() string {
	n := len(c.insns)
	raw := make([]int, n+1)
	c.raw = raw
	at := map[int]int{} // instruction at a raw slot
	for i, in := range c.insns {
		at[raw[i]] = i
		raw[i+1] = raw[i] + int(in.Size()/asm.InstructionSize)
		if sym := in.Symbol(); sym != "" {
			c.entries[sym] = i
		}
	}
	at[raw[n]] = n
	c.targets = make([]int, n)
	c.leader = make([]bool, n+1)
	c.funcOf = make([]int, n)
	c.leader[0] = true
	fn := 0
	for i, in := range c.insns {
		if i > 0 && btf.FuncMetadata(&in) != nil {
			fn = i
			c.leader[i] = true
		}
		c.funcOf[i] = fn
		c.targets[i] = -1
		if !in.OpCode.Class().IsJump() {
			continue
		}
		op := in.OpCode.JumpOp()
		if op == asm.Call || op == asm.Exit {
			if op == asm.Exit {
				c.leader[i+1] = true
			}
			continue
		}
		var t int
		var ok bool
		switch {
		case in.Reference() != "":
			t, ok = c.entries[in.Reference()]
		case in.OpCode.Class() == asm.Jump32Class && op == asm.Ja: // gotol
			t, ok = at[raw[i]+1+int(int32(in.Constant))]
		default:
			t, ok = at[raw[i]+1+int(in.Offset)]
		}
		if !ok || t >= n {
			return fmt.Sprintf("jump to nowhere (%v)", in)
		}
		c.targets[i] = t
		c.leader[t] = true
		c.leader[i+1] = true
	}
	return ""
}

// propagate joins s into the state at block b and queues b when it grew.
func (c *checker) propagate(b int, s *state) {
	if b >= len(c.insns) {
		return
	}
	joined, changed := joinState(c.in[b], prune(s))
	if !changed {
		return
	}
	c.in[b] = joined
	if !c.queued[b] {
		c.queued[b] = true
		c.work = append(c.work, b)
	}
}

// block interprets the block starting at b.
func (c *checker) block(b int) {
	s := c.in[b].clone()
	for i := b; i < len(c.insns); i++ {
		if i > b && c.leader[i] {
			if !c.report {
				c.propagate(i, s)
			}
			return
		}
		if !c.step(b, i, s) {
			return
		}
	}
}

func (c *checker) flag(i int, format string, args ...any) {
	if !c.report {
		return
	}
	msg := fmt.Sprintf(format, args...)
	key := fmt.Sprint(i, msg)
	if c.found[key] {
		return
	}
	c.found[key] = true
	src := ""
	for j := i; j >= 0; j-- {
		if s := c.insns[j].Source(); s != nil {
			src = s.String()
			break
		}
	}
	c.out = append(c.out, Finding{Program: c.name, Index: i, Offset: c.raw[i], Source: src, Msg: msg})
}

// need checks that n bytes at v were written before something reads them.
func (c *checker) need(i int, s *state, v value, n int, what string) {
	switch v.kind {
	case kInit:
		return
	case kPtr:
	case kTop:
		c.flag(i, "%s: address of unknown origin", what)
		return
	default:
		c.flag(i, "%s: not an address the checker tracks", what)
		return
	}
	r := s.regions[v.region]
	if r == nil {
		c.flag(i, "%s: address in a region this path never made", what)
		return
	}
	if v.varOff {
		n = 1
	}
	if at := r.firstUninit(v.off, v.off+n); at >= 0 {
		c.flag(i, "%s reads %d bytes at %s, byte %s not written", what, n, where(v.region, v.off), where(v.region, at))
	}
}

// wrote marks n bytes at v written.
func (c *checker) wrote(i int, s *state, v value, n int) {
	if v.kind != kPtr || v.varOff {
		return
	}
	if r := s.writable(v.region); r != nil {
		r.setInit(v.off, v.off+n)
		if r.spill != nil {
			r.clearSpills(v.off, v.off+n)
		}
	}
}

// where names an offset of a region as the listing shows it.
func where(region, off int) string {
	switch {
	case region == stackRegion:
		return fmt.Sprintf("fp%+d", off-stackSize)
	case region == scratchRegion:
		return fmt.Sprintf("scratch+%d", off)
	case region < 0:
		return fmt.Sprintf("record(insn %d)+%d", reserveRegion-region, off)
	}
	return fmt.Sprintf("callback(insn %d) fp%+d", region-callbackRegion, off-stackSize)
}
