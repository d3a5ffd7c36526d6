package codegen

import (
	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// Actions that act on whole maps, or that user space carries out when
// their event arrives (print, clear, zero, time, join).

// mapEvent sends a record naming a map, with extra uint64 words.
func (g *gen) mapEvent(kind uint32, m *lang.MapExpr, words ...int64) {
	meta := g.maps[m.Name]
	done := g.newLabel("event_done")
	rec := g.reserve(EventHeaderSize+8*len(words), kind, int64(meta.Index), done)
	for i, w := range words {
		g.storeImm(rec.sub(EventHeaderSize+8*i, 8), w)
	}
	g.submit(rec, 0)
	g.place(done)
}

// printCall compiles print(@m [, top [, div]]) and print(value).
func (g *gen) printCall(call *lang.Call) {
	if m, ok := call.Args[0].(*lang.MapExpr); ok && m.Keys == nil {
		top, div := int64(0), int64(1)
		if len(call.Args) > 1 {
			top, _ = g.constInt(call.Args[1])
		}
		if len(call.Args) > 2 {
			div, _ = g.constInt(call.Args[2])
		}
		g.mapEvent(EventPrintMap, m, top, div)
		return
	}
	t := g.info.TypeOf(call.Args[0])
	id := len(g.man.Values)
	g.man.Values = append(g.man.Values, t)
	done := g.newLabel("print_done")
	size := storedSize(t)
	rec := g.reserve(EventHeaderSize+size, EventPrintValue, int64(id), done)
	at := rec.sub(EventHeaderSize, size)
	if t.IsScalar() {
		g.withReg(func(r asm.Register) {
			g.scalarTo(call.Args[0], r)
			g.storeScalar(at, r)
		})
	} else {
		g.memTo(call.Args[0], at, fillRest)
	}
	g.submit(rec, 0)
	g.place(done)
}

// deleteCall removes one entry. A scalar aggregation kept in a per-CPU
// array is cleared instead: its entry cannot be removed.
func (g *gen) deleteCall(call *lang.Call) { g.deleteElem(call) }

// deleteTo deletes as deleteCall does and sets dst to whether an entry
// was deleted (1) or there was none (0). Emptying an array map (a map
// without keys) counts as deleting.
func (g *gen) deleteTo(call *lang.Call, dst asm.Register) {
	if !g.deleteElem(call) {
		g.emit(asm.Mov.Imm(dst, 1))
		return
	}
	g.r0To(dst, false)
}

// deleteElem deletes the entry call names; it reports whether it called
// bpf_map_delete_elem, whose result is in R0, rather than asking user
// space to empty an array map.
func (g *gen) deleteElem(call *lang.Call) bool {
	m, ok := g.info.MapArgs[call]
	if !ok {
		whole := call.Args[0].(*lang.MapExpr)
		if meta := g.maps[whole.Name]; meta.Array || meta.Agg.Bucketed() {
			// One entry that cannot be removed, or one per bucket (hist,
			// lhist, tseries without keys): user space empties the map.
			g.mapEvent(EventClear, whole)
			return false
		}
		m = &lang.MapExpr{Span: whole.Span, Name: whole.Name}
	}
	key := g.key(m)
	g.loadMap(asm.R1, g.maps[m.Name].SpecName)
	g.addrTo(key, asm.R2)
	g.call(asm.FnMapDeleteElem)
	return true
}

// lenTo counts a map's entries: bpf_for_each_map_elem returns how many it
// visited, with a callback that does nothing. (A counter the callback
// increments would make the verifier walk it once per value when the
// program compares the length.)
func (g *gen) lenTo(call *lang.Call, dst asm.Register) {
	m, ok := call.Args[0].(*lang.MapExpr)
	if !ok {
		g.stackLenTo(call.Args[0], dst)
		return
	}
	cb := g.callback(asm.R4, call, func() {})
	g.loadMap(asm.R1, g.maps[m.Name].SpecName)
	g.loadFunc(asm.R2, cb)
	g.frameArg(asm.R3)
	g.emit(asm.Mov.Imm(asm.R4, 0))
	g.call(asm.FnForEachMapElem)
	g.move(dst, asm.R0)
}

// timeCall asks user space to print the time.
func (g *gen) timeCall(call *lang.Call) {
	format := "%H:%M:%S\n"
	if len(call.Args) == 1 {
		format = g.info.Consts[call.Args[0]].Str
	}
	id := len(g.man.TimeFormats)
	g.man.TimeFormats = append(g.man.TimeFormats, format)
	done := g.newLabel("time_done")
	rec := g.reserve(EventHeaderSize, EventTime, int64(id), done)
	g.submit(rec, 0)
	g.place(done)
}

// maxJoinArgs is how many strings join() reads, as bpftrace does.
const maxJoinArgs = 16

// joinArgSize is the room join() gives each string.
func joinArgSize(info *lang.Info) int { return min(info.Settings.MaxStrlen, 1024) }

// joinZeros is how many zeros the read-only data holds for join()'s
// records to be cleared with one copy: 0 when the program has none.
func joinZeros(prog *lang.Program, info *lang.Info) int {
	n := 0
	lang.Inspect(prog, func(node lang.Node) bool {
		if call, ok := node.(*lang.Call); ok && info.Funcs[call] == lang.FuncJoin {
			n = maxJoinArgs * joinArgSize(info)
		}
		return n == 0
	})
	return n
}

// joinCall reads up to 16 strings from an array of string pointers (argv)
// into one record, which user space prints joined.
func (g *gen) joinCall(call *lang.Call) {
	meta := &JoinMeta{Sep: " ", Args: maxJoinArgs, ArgSize: joinArgSize(g.info)}
	if len(call.Args) == 2 {
		meta.Sep = g.info.Consts[call.Args[1]].Str
	}
	id := len(g.man.Joins)
	g.man.Joins = append(g.man.Joins, meta)
	space := g.spaceOf(g.info.TypeOf(call.Args[0]))
	argv := g.allocSlot()
	g.withReg(func(r asm.Register) {
		g.scalarTo(call.Args[0], r)
		g.emit(asm.StoreMem(g.fp, int16(argv), r, asm.DWord))
	})
	done := g.newLabel("join_done")
	rec := g.reserve(EventHeaderSize+8+meta.Args*meta.ArgSize, EventJoin, int64(id), done)
	ptr := g.allocSlot()
	submit := g.newLabel("join_submit")
	g.storeImm(rec.sub(EventHeaderSize, 8), 0)
	// Every slot, as the strings leave their ends and the unused ones.
	g.zero(rec.sub(EventHeaderSize+8, meta.Args*meta.ArgSize))
	for i := 0; i < meta.Args; i++ {
		// ptr = argv[i]; stop at NULL.
		g.emit(asm.Mov.Reg(asm.R1, g.fp), asm.Add.Imm(asm.R1, int32(ptr)))
		g.emit(asm.Mov.Imm(asm.R2, 8))
		g.emit(asm.LoadMem(asm.R3, g.fp, int16(argv), asm.DWord))
		g.emit(asm.Add.Imm(asm.R3, int32(8*i)))
		g.call(readHelper(space, false))
		g.emit(asm.JNE.Imm(asm.R0, 0, submit))
		g.emit(asm.LoadMem(asm.R3, g.fp, int16(ptr), asm.DWord))
		g.emit(asm.JEq.Imm(asm.R3, 0, submit))
		g.storeImm(rec.sub(EventHeaderSize, 8), int64(i+1))
		g.addrTo(rec.sub(EventHeaderSize+8+i*meta.ArgSize, meta.ArgSize), asm.R1)
		g.emit(asm.Mov.Imm(asm.R2, int32(meta.ArgSize)))
		g.call(readHelper(space, true))
	}
	g.place(submit)
	g.submit(rec, 0)
	g.place(done)
}

// ntopTo writes an inet value: the address family, then the address, and
// zeros after an IPv4 one (inet values compare byte for byte).
func (g *gen) ntopTo(call *lang.Call, dst mem) {
	addr := call.Args[len(call.Args)-1]
	at := g.info.TypeOf(addr)
	size := 4
	if at.Size == 16 {
		size = 16
	}
	g.zero(dst.sub(8+size, dst.size-8-size))
	g.withReg(func(r asm.Register) {
		if len(call.Args) == 2 {
			g.scalarTo(call.Args[0], r)
		} else if size == 16 {
			g.emit(asm.Mov.Imm(r, afInet6))
		} else {
			g.emit(asm.Mov.Imm(r, afInet))
		}
		g.storeScalar(dst.sub(0, 8), r)
	})
	if at.IsScalar() {
		g.withReg(func(r asm.Register) {
			g.scalarTo(addr, r)
			g.storeReg(dst.sub(8, 4), r, asm.Word)
		})
		return
	}
	p := g.placeOf(addr)
	g.copyPlace(p, dst.sub(8, size), size)
	g.releasePlace(p)
}

// Address families of ntop().
const (
	afInet  = 2
	afInet6 = 10
)

// stackTo takes the current stack's id in its stack map. A user stack
// also carries the process id (StackPidShift), which its addresses need.
func (g *gen) stackTo(t *lang.Type, dst asm.Register) {
	limit := int(t.Args[0])
	maps, prefix := &g.man.StackMaps, "hawk_stack"
	if t.Args[1] == lang.StackModeBuildID {
		maps, prefix = &g.man.BuildIDStackMaps, "hawk_bidstack"
	}
	name, ok := (*maps)[limit]
	if !ok {
		name = prefix + itoa(limit)
		if *maps == nil {
			*maps = map[int]string{}
		}
		(*maps)[limit] = name
	}
	flags, pid := int32(0), 0
	if t.IsUserStack() {
		flags = userStackFlag
		pid = g.rememberPid()
	}
	g.emit(asm.Mov.Reg(asm.R1, g.ctxReg()))
	g.loadMap(asm.R2, name)
	g.emit(asm.Mov.Imm(asm.R3, flags))
	g.call(asm.FnGetStackid)
	if !t.IsUserStack() {
		g.move(dst, asm.R0)
		return
	}
	g.emit(asm.Mov.Reg32(dst, asm.R0))
	g.emit(asm.LoadMem(asm.R1, g.fp, int16(pid), asm.Word))
	g.emit(asm.LSh.Imm(asm.R1, StackPidShift), asm.Or.Reg(dst, asm.R1))
}

// pidMapSize is how many processes the pid map remembers; the oldest are
// forgotten first.
const pidMapSize = 4096

// rememberPid stores the current process id in a stack slot, which it
// returns, and the first time the process is seen tells user space, which
// then reads the process's mappings while it runs: its addresses resolve
// even when it has exited by the time they print.
//
// A known process costs one lookup, which the verifier inlines. (An LRU
// map's update takes a free entry, evicting another process's, before it
// finds the key already there.)
func (g *gen) rememberPid() int {
	if g.man.PidMap == "" {
		g.man.PidMap = "hawk_pids"
	}
	slot := g.allocSlot()
	g.call(asm.FnGetCurrentPidTgid)
	g.emit(asm.RSh.Imm(asm.R0, 32))
	g.emit(asm.StoreMem(g.fp, int16(slot), asm.R0, asm.Word))
	known := g.newLabel("pid_known")
	g.loadMap(asm.R1, g.man.PidMap)
	g.emit(asm.Mov.Reg(asm.R2, g.fp), asm.Add.Imm(asm.R2, int32(slot)))
	g.call(asm.FnMapLookupElem)
	g.emit(asm.JNE.Imm(asm.R0, 0, known))
	g.loadMap(asm.R1, g.man.PidMap)
	g.emit(asm.Mov.Reg(asm.R2, g.fp), asm.Add.Imm(asm.R2, int32(slot)))
	g.emit(asm.Mov.Reg(asm.R3, asm.R2), asm.Mov.Imm(asm.R4, bpfNoExist))
	g.call(asm.FnMapUpdateElem)
	g.emit(asm.JNE.Imm(asm.R0, 0, known))
	rec := g.reserve(EventHeaderSize, EventPid, 0, known)
	g.emit(asm.LoadMem(asm.R1, g.fp, int16(slot), asm.Word))
	g.storeReg(rec.sub(EventIDOffset, 4), asm.R1, asm.Word)
	// User space reads the process's mappings at once, before it may exit.
	g.submit(rec, ringbufForceWakeup)
	g.place(known)
	return slot
}

// usymTo writes a user address and the current process id.
func (g *gen) usymTo(call *lang.Call, dst mem) {
	pid := g.rememberPid()
	g.withReg(func(r asm.Register) {
		g.scalarTo(call.Args[0], r)
		g.storeScalar(dst.sub(0, 8), r)
	})
	g.withReg(func(r asm.Register) {
		g.emit(asm.LoadMem(r, g.fp, int16(pid), asm.Word))
		g.storeScalar(dst.sub(8, 8), r)
	})
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
