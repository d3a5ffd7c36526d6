package codegen

import (
	"github.com/cilium/ebpf/asm"

	"github.com/hawktrace/hawk/lang"
)

// exit() is a request to user space, which detaches the probes when the
// request arrives; until then they go on firing. So that nothing a probe
// does after the first exit() shows (a map it writes again, an event the
// runtime would drop anyway), exit() also sets StateExited in the state
// map's exit word (StateExitOffset), and every probe of a script that
// calls exit() returns at once when it finds the word set. BEGIN and END run
// whatever the word says, as do iterators, where exit() ends the run for
// one object only, and the test and bench probes, which the runtime runs
// one after the other (it clears the word between them).

// callsExit reports whether a probe of the program calls exit().
func callsExit(prog *lang.Program, info *lang.Info) bool {
	found := false
	for _, p := range prog.Probes {
		lang.Inspect(p, func(n lang.Node) bool {
			if call, ok := n.(*lang.Call); ok && info.Funcs[call] == lang.FuncExit {
				found = true
			}
			return !found
		})
	}
	return found
}

// stopsAfterExit reports whether programs of kind k return at once once
// exit() was called.
func stopsAfterExit(k lang.ProbeKind) bool {
	switch k {
	case lang.ProbeBegin, lang.ProbeEnd, lang.ProbeIter, lang.ProbeTest, lang.ProbeBench:
		return false
	}
	return true
}

// stopAfterExit emits the program's check of the exit word, after the
// kind's own filters (a raw syscall tracepoint's syscall number): four
// instructions (the map value's address is a wide load), in scripts that
// call exit() only. It uses R0 alone.
func (g *gen) stopAfterExit() {
	if !g.exits || !stopsAfterExit(g.kind) || g.noEffects() {
		return
	}
	g.emit(asm.LoadMapValue(asm.R0, 0, StateExitOffset).WithReference(lostMapName))
	g.emit(asm.LoadMem(asm.R0, asm.R0, 0, asm.DWord))
	g.emit(asm.JNE.Imm(asm.R0, 0, g.exit))
}

// markExited sets the state map's exit word to flags | the code in the
// stack slot code (0 when code.size is 0): StateExited to stop the
// probes, StateExitUnsent for an exit() that found no room in the ring
// buffer, which the runtime then finds there. The runtime acts on
// StateExitUnsent only: an exit() that was sent ends the run when its
// event is read, after the events sent before it.
func (g *gen) markExited(code mem, flags int64) {
	g.emit(asm.Mov.Imm(asm.R2, 0))
	if code.size > 0 {
		g.emit(asm.LoadMem(asm.R2, g.fp, int16(code.off), asm.Word))
	}
	g.emit(asm.LoadImm(asm.R3, flags, asm.DWord), asm.Or.Reg(asm.R2, asm.R3))
	g.emit(asm.LoadMapValue(asm.R1, 0, StateExitOffset).WithReference(lostMapName))
	g.emit(asm.StoreMem(asm.R1, 0, asm.R2, asm.DWord))
}
