package codegen

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cilium/ebpf/asm"

	"github.com/hawktrace/hawk/lang"
)

// Any number of syscall tracepoint programs run from the raw syscall
// tracepoints: when several would run on sys_enter (or on sys_exit), one
// program, a dispatcher, runs there instead, reads the syscall's number
// once, finds the programs serving it with a binary search on the number
// (its leaves compare a few numbers each), and calls them, in script
// order, as bpf-to-bpf calls of static functions: each is the program it
// would have been, without the syscall filter, so each keeps its
// predicate, exit() check, hit count, `probe`, and -p filter, and its own
// stack frame. A syscall no probe serves pays the search (about log2 of
// the numbers served, compares and jumps), never a call; each further
// program used to add a whole program run (~55 ns, bench/syscallbench) to
// every syscall, which is why a second one sent them all to the perf
// tracepoints before.
//
// Options.DispatchPerProbe makes one dispatcher per probe and direction,
// for the REPL, which attaches and detaches probes one by one.

// dispatcher is the program that runs several syscall programs from one
// raw syscall tracepoint.
type dispatcher struct {
	name     string
	exit     bool
	aps      []*lang.AttachPoint // its first section's
	sections []*section
}

// section is one program a dispatcher calls: its code, the numbers it
// serves, and the source of its probe.
type section struct {
	insns asm.Instructions
	entry string // the symbol of its first instruction
	nrs   []int
	src   *Source
	empty bool // does nothing: never called
	meta  *ProgramMeta
	aps   []*lang.AttachPoint
}

// chooseDispatchers gives the raw syscall programs that share a raw
// tracepoint (in the script, or in one probe with perProbe) a dispatcher,
// and returns the dispatchers.
func chooseDispatchers(groups [][]programGroup, perProbe bool) []*dispatcher {
	type key struct{ dir, probe int }
	shared := map[key][]*rawSyscall{}
	first := map[key][]*lang.AttachPoint{}
	var order []key
	for p, probe := range groups {
		for i := range probe {
			r := probe[i].raw
			if r == nil || r.all {
				continue // raw_syscalls: a program of its own
			}
			k := key{dir: r.dir(), probe: -1}
			if perProbe {
				k.probe = p
			}
			if shared[k] == nil {
				order = append(order, k)
				first[k] = probe[i].aps
			}
			shared[k] = append(shared[k], r)
		}
	}
	var ds []*dispatcher
	for _, k := range order {
		rs := shared[k]
		if len(rs) < 2 {
			continue
		}
		short := "se"
		if k.dir == 1 {
			short = "sx"
		}
		d := &dispatcher{exit: k.dir == 1, aps: first[k], name: fmt.Sprintf("hawk_%s%d", short, len(ds))}
		for _, r := range rs {
			r.dispatch = d
		}
		ds = append(ds, d)
	}
	return ds
}

// addSection keeps the code of the program g compiled, insns, for its
// dispatcher to call, its labels renamed apart from the other sections'.
// meta, the program's, will name the dispatcher's program that runs it.
func (d *dispatcher) addSection(g *gen, insns asm.Instructions, meta *ProgramMeta) {
	meta.Name, meta.Func = d.name, g.name
	s := &section{nrs: g.raw.nrs, empty: g.noEffects(), meta: meta, aps: g.aps}
	s.src = &Source{Pos: g.src.For(g.probe).Pos(g.probe.Pos.Offset), Text: g.aps[0].Raw, End: g.probe.Pos.Offset + len(g.aps[0].Raw)}
	if len(insns) == 0 {
		s.empty = true
	}
	if !s.empty {
		s.insns = renameLabels(insns, fmt.Sprintf("%s.", g.name))
		s.insns[0] = withFunc(s.insns[0], g.name, false)
		if s.insns[0].Symbol() == "" {
			s.insns[0] = s.insns[0].WithSymbol(g.name)
		}
		if s.insns[0].Source() == nil {
			s.insns[0] = s.insns[0].WithSource(s.src) // a function starts with a line
		}
		s.entry = s.insns[0].Symbol()
	}
	d.sections = append(d.sections, s)
}

// renameLabels prefixes the symbols of insns (labels, callbacks) and the
// jumps, calls and function pointers to them, but for those that start
// with prefix already (the labels the section's emitter made), in place.
func renameLabels(insns asm.Instructions, prefix string) asm.Instructions {
	var renamed map[string]string
	for _, in := range insns {
		if sym := in.Symbol(); sym != "" && !strings.HasPrefix(sym, prefix) {
			if renamed == nil {
				renamed = map[string]string{}
			}
			renamed[sym] = prefix + sym
		}
	}
	if renamed == nil {
		return insns
	}
	out := insns // in place: the section's code is the dispatcher's alone
	for i, in := range out {
		if to, ok := renamed[in.Symbol()]; ok {
			in = in.WithSymbol(to)
		}
		if to, ok := renamed[in.Reference()]; ok && !in.IsLoadFromMap() {
			in = in.WithReference(to)
		}
		out[i] = in
	}
	return out
}

// split splits a dispatcher whose sections have more functions than one
// program may (MaxFuncs, with the dispatcher's own) into several, each a
// program on the raw tracepoint, in script order; the programs of
// sections moved to another name it.
func (d *dispatcher) split() []*dispatcher {
	ds := []*dispatcher{{name: d.name, exit: d.exit, aps: d.aps}}
	funcs := 1
	for _, s := range d.sections {
		n := countFuncs(s.insns)
		if last := ds[len(ds)-1]; funcs+n > MaxFuncs && len(last.sections) > 0 {
			ds = append(ds, &dispatcher{name: fmt.Sprintf("%s_%d", d.name, len(ds)), exit: d.exit, aps: s.aps})
			funcs = 1
		}
		last := ds[len(ds)-1]
		last.sections = append(last.sections, s)
		s.meta.Name = last.name
		funcs += n
	}
	return ds
}

// program returns the dispatcher's instructions: the search on the
// syscall number and the calls, then the sections.
func (d *dispatcher) program(noIA32 bool) asm.Instructions {
	e := &emitter{alias: map[string]string{}, optimised: true}
	out := "d.out"
	byNr := map[int][]*section{}
	for _, s := range d.sections {
		if s.empty {
			continue
		}
		for _, nr := range s.nrs {
			byNr[nr] = append(byNr[nr], s)
		}
	}
	nrs := slices.Sorted(func(yield func(int) bool) {
		for nr := range byNr {
			if !yield(nr) {
				return
			}
		}
	})
	e.source = d.sections[0].src
	if len(nrs) > 0 {
		e.emit(asm.Mov.Reg(asm.R6, asm.R1))
		if d.exit {
			// The number is in the registers (syscalls.go).
			e.emit(asm.FnGetCurrentTaskBtf.Call())
			if !noIA32 {
				compatCheck(e.emit, out)
			}
			taskRegs(e.emit)
			e.emit(asm.LoadMem(asm.R7, asm.R0, ptRegsOrigAx, asm.DWord))
		} else {
			e.emit(asm.LoadMem(asm.R7, asm.R6, 8, asm.DWord))
		}
		if nrs[0] > 0 {
			e.emit(asm.JLT.Imm(asm.R7, int32(nrs[0]), out))
		}
		e.emit(asm.JGT.Imm(asm.R7, int32(nrs[len(nrs)-1]), out))
		if !d.exit && !noIA32 {
			// The syscalls of 32-bit processes number another table's.
			e.emit(asm.FnGetCurrentTaskBtf.Call())
			compatCheck(e.emit, out)
		}
		d.search(e, nrs, byNr, out, true)
	}
	e.place(out)
	e.emit(asm.Mov.Imm(asm.R0, 0), asm.Return())
	e.insns[0] = withFunc(e.insns[0], d.name, true)
	n := len(e.insns)
	for _, s := range d.sections {
		n += len(s.insns)
	}
	e.insns = slices.Grow(e.insns, n-len(e.insns))
	for _, s := range d.sections {
		e.insns = append(e.insns, s.insns...)
	}
	return e.finish()
}

// leafSize is how many numbers a leaf of the search compares one by one.
const leafSize = 4

// search emits a binary search for the number in R7 among nrs, whose
// leaves call the sections serving the number found, in script order.
// last says that out follows the search, which then falls through to it.
func (d *dispatcher) search(e *emitter, nrs []int, byNr map[int][]*section, out string, last bool) {
	if len(nrs) > leafSize {
		mid := len(nrs) / 2
		right := e.newLabel("d.right")
		e.emit(asm.JGE.Imm(asm.R7, int32(nrs[mid]), right))
		d.search(e, nrs[:mid], byNr, out, false)
		e.place(right)
		d.search(e, nrs[mid:], byNr, out, last)
		return
	}
	for i, nr := range nrs {
		if last && i == len(nrs)-1 {
			e.emit(asm.JNE.Imm(asm.R7, int32(nr), out))
			d.calls(e, byNr[nr])
			return
		}
		next := e.newLabel("d.next")
		e.emit(asm.JNE.Imm(asm.R7, int32(nr), next))
		d.calls(e, byNr[nr])
		e.emit(asm.Ja.Label(out))
		e.place(next)
	}
	e.emit(asm.Ja.Label(out))
}

// calls calls the sections, passing each the context.
func (d *dispatcher) calls(e *emitter, ss []*section) {
	for _, s := range ss {
		e.emit(asm.Mov.Reg(asm.R1, asm.R6), asm.Call.Label(s.entry))
	}
}

// finishDispatchers adds the dispatchers' programs to the collection,
// once every section is compiled.
func (c *compiler) finishDispatchers(ds []*dispatcher) {
	for _, whole := range ds {
		for _, d := range whole.split() {
			grp := programGroup{aps: d.aps, raw: &rawSyscall{exit: d.exit}}
			for _, s := range d.sections {
				grp.raw.btf = grp.raw.btf || callsKfuncs(s.insns)
			}
			c.spec.Programs[d.name] = programSpec(d.name, grp, d.program(c.opts.NoIA32), c.info.Settings.License)
		}
	}
}

// dispatcher returns the dispatcher that runs the program, or nil.
func (r *rawSyscall) dispatcher() *dispatcher {
	if r == nil {
		return nil
	}
	return r.dispatch
}
