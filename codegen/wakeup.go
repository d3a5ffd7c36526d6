package codegen

import (
	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
)

// wakeMapName names the word through which the runtime's reader tells
// programs how to submit records (Manifest.WakeMap): a one-entry array
// holding the flags of bpf_ringbuf_submit. The reader stores
// BPF_RB_NO_WAKEUP while it is awake and polls the ring buffer itself,
// and 0 (the kernel's rule: wake a reader that has caught up) before it
// sleeps, so that a busy script costs no wake-up per record (an irq_work
// and a thread wake-up each) and a lone record still wakes the reader.
// A program reads the word after its reservation moved the producer
// position, or (bpf_ringbuf_output, output.go) a few instructions before
// the helper reserves and commits its record; a plain load may pass that store (x86 orders a load only
// after its own earlier loads), so the reader looks at the ring buffer
// once more a little after it asks to be woken (runtime/ringwait.go)
// rather than have every record pay for a barrier.
const wakeMapName = "hawk_wake"

// wakeFlags puts in dst the flags of the next bpf_ringbuf_submit (R2)
// or bpf_ringbuf_output (R4), and declares the wake map.
func (g *gen) wakeFlags(dst asm.Register) {
	g.man.WakeMap = wakeMapName
	g.emit(asm.LoadMapValue(dst, 0, 0).WithReference(wakeMapName))
	g.emit(asm.LoadMem(dst, dst, 0, asm.DWord))
}

// wakeMap adds the wake map when a program reads it. The runtime makes
// it mmapable (BPF_F_MMAPABLE, kernel 5.5) when it loads it, as loaders
// do with data sections: a spec's flags do not depend on the kernel.
func (c *compiler) wakeMap() {
	if c.man.WakeMap == "" {
		return
	}
	c.spec.Maps[wakeMapName] = &ebpf.MapSpec{
		Name: wakeMapName, Type: ebpf.Array, KeySize: 4, ValueSize: 8, MaxEntries: 1,
	}
}
