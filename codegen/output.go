package codegen

import (
	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// Small records built on the stack.
//
// A record is sent either through a reservation in the ring buffer
// (bpf_ringbuf_reserve, then the record written in place, then
// bpf_ringbuf_submit) or built on the stack and copied in with one
// bpf_ringbuf_output. For a small record the copy is cheap and the code
// shorter: one helper call instead of two, no register held for the
// record's address, no failed reservation to branch around before the
// record is built, and no `r0 = 0` before the program's exit (submit
// returns nothing, output a number). printf("%s %d\n", comm, pid): 22
// instructions instead of 27.
//
// BEGIN and END keep reservations: user space runs those blocks itself
// when it can (userspace.go), from the reservations it models. So do
// loops and callbacks: the verifier walks a loop's body once per turn,
// and with a record on the stack in examples/exectree.bt's while loop it
// went past its million instructions.

// maxStackRecord is the largest record built on the stack.
const maxStackRecord = 128

// stackRecord returns a record of size bytes on the stack, its header
// written, when the probe sends one that small from there; ok is false
// when it reserves the record in the ring buffer instead.
func (g *gen) stackRecord(size int, kind uint32, id int64) (rec mem, ok bool) {
	if g.kind == lang.ProbeBegin || g.kind == lang.ProbeEnd || len(g.loops) > 0 || g.inCallback ||
		size > maxStackRecord || !g.frame.room(size) {
		return mem{}, false
	}
	g.records = true
	rec = mem{base: baseStack, off: g.frame.alloc(size), size: size}
	g.header(g.fp, int16(rec.off), kind, id)
	return rec, true
}

// output copies a record from the stack into the ring buffer, waking the
// reader as it asks (wakeFlags). When the ring buffer has no room,
// bpf_ringbuf_output returns -EAGAIN, which the state map's counter of
// the site n adds (SiteLost: it holds -11 times the count).
func (g *gen) output(rec mem, n lang.Node) {
	g.loadMap(asm.R1, ringbufMapName)
	g.addrTo(rec, asm.R2)
	g.emit(asm.Mov.Imm(asm.R3, int32(rec.size)))
	g.wakeFlags(asm.R4)
	g.call(asm.FnRingbufOutput)
	sent := g.newLabel("sent")
	g.emit(asm.JEq.Imm(asm.R0, 0, sent))
	i := g.siteIndex(Site{Kind: SiteLost}, n)
	g.emit(asm.LoadMapValue(asm.R1, 0, uint32(StateSitesOffset+8*i)).WithReference(lostMapName))
	g.emit(asm.StoreXAdd(asm.R1, asm.R0, asm.DWord))
	g.place(sent)
}
