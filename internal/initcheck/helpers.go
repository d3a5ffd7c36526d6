package initcheck

import (
	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
)

// plainHelpers read no memory of the program's.
var plainHelpers = map[asm.BuiltinFunc]bool{
	asm.FnGetCurrentCgroupId: true, asm.FnGetCurrentPidTgid: true, asm.FnGetCurrentTask: true,
	asm.FnGetCurrentUidGid: true, asm.FnGetPrandomU32: true, asm.FnGetSmpProcessorId: true,
	asm.FnGetStackid: true, asm.FnJiffies64: true, asm.FnKtimeGetBootNs: true, asm.FnKtimeGetNs: true,
	asm.FnKtimeGetTaiNs: true, asm.FnSendSignal: true, asm.FnGetNumaNodeId: true, asm.FnGetCurrentTaskBtf: true,
	asm.FnTaskPtRegs: true,
}

// helper interprets a helper call of instruction i in block b: what it
// reads must be written, what it writes is, R0 gets its result.
func (c *checker) helper(b, i int, fn asm.BuiltinFunc, s *state) {
	r := s.regs
	size := func(reg asm.Register) (int, bool) {
		if v := r[reg]; v.kind == kConst {
			return int(v.c), true
		}
		return 0, false
	}
	result := scalar
	switch fn {
	case asm.FnMapLookupElem, asm.FnMapLookupPercpuElem:
		if m := c.mapOf(i, r[asm.R1]); m != nil {
			c.need(i, s, r[asm.R2], int(m.KeySize), "map key")
		}
		result = value{kind: kInit}
		if fn == asm.FnMapLookupElem && r[asm.R1].name == c.cfg.Scratch {
			result = value{kind: kPtr, region: scratchRegion}
		}
	case asm.FnMapUpdateElem:
		if m := c.mapOf(i, r[asm.R1]); m != nil {
			c.need(i, s, r[asm.R2], int(m.KeySize), "map key")
			c.need(i, s, r[asm.R3], int(m.ValueSize), "map value")
		}
	case asm.FnMapDeleteElem:
		if m := c.mapOf(i, r[asm.R1]); m != nil {
			c.need(i, s, r[asm.R2], int(m.KeySize), "map key")
		}
	case asm.FnRingbufReserve:
		n, ok := size(asm.R2)
		if !ok {
			c.flag(i, "ring buffer reservation of a size known only at run time")
			break
		}
		id := reserveRegion - i
		s.regions[id] = newRegion(n, false)
		s.owned[id] = true
		result = value{kind: kPtr, region: id}
	case asm.FnRingbufSubmit, asm.FnRingbufDiscard:
		rec := r[asm.R1]
		if rec.kind != kPtr || rec.region >= 0 || rec.off != 0 || rec.varOff {
			c.flag(i, "submits something that is not a ring buffer record")
			break
		}
		if fn == asm.FnRingbufSubmit {
			c.need(i, s, rec, s.regions[rec.region].size, "ring buffer record")
		}
		delete(s.regions, rec.region)
	case asm.FnRingbufOutput:
		// Copies R3 bytes from R2 into the ring buffer: all are sent.
		n, ok := size(asm.R3)
		if !ok {
			c.flag(i, "ring buffer output of a size known only at run time")
			break
		}
		c.need(i, s, r[asm.R2], n, "ring buffer record")
	case asm.FnProbeRead, asm.FnProbeReadKernel, asm.FnProbeReadUser:
		c.dest(i, r[asm.R1])
		if n, ok := size(asm.R2); ok {
			c.source(i, s, r[asm.R3], n)
			c.wrote(i, s, r[asm.R1], n)
		} else {
			c.source(i, s, r[asm.R3], 1)
		}
	case asm.FnProbeReadStr, asm.FnProbeReadKernelStr, asm.FnProbeReadUserStr:
		// Up to the NUL only: the bytes after it keep what they held.
		c.dest(i, r[asm.R1])
		c.source(i, s, r[asm.R3], 1)
		c.wrote(i, s, r[asm.R1], 1)
	case asm.FnDPath:
		// Writes the path and its NUL at the buffer's start; the bytes
		// after it keep what they held.
		c.dest(i, r[asm.R2])
		c.wrote(i, s, r[asm.R2], 1)
	case asm.FnGetStack:
		// Writes frames at the buffer's start, as many as there are:
		// what it writes counts as unwritten, for nothing reads it.
		c.dest(i, r[asm.R2])
	case asm.FnGetCurrentComm:
		c.dest(i, r[asm.R1])
		if n, ok := size(asm.R2); ok {
			c.wrote(i, s, r[asm.R1], n) // the kernel pads with NULs
		}
	case asm.FnGetNsCurrentPidTgid:
		// Fills its struct bpf_pidns_info, or clears it on failure.
		c.dest(i, r[asm.R3])
		if n, ok := size(asm.R4); ok {
			c.wrote(i, s, r[asm.R3], n)
		}
	case asm.FnStrncmp:
		c.need(i, s, r[asm.R1], 1, "bpf_strncmp's string")
		c.need(i, s, r[asm.R3], 1, "bpf_strncmp's constant")
	case asm.FnLoop:
		var regs [11]value
		regs[asm.R1], regs[asm.R2] = scalar, r[asm.R3]
		c.callback(b, i, r[asm.R2], regs, s)
	case asm.FnFindVma:
		// The callback gets the task, the mapping and the context.
		var regs [11]value
		regs[asm.R1], regs[asm.R2], regs[asm.R3] = value{kind: kInit}, value{kind: kInit}, r[asm.R4]
		c.callback(b, i, r[asm.R3], regs, s)
	case asm.FnForEachMapElem:
		var regs [11]value
		regs[asm.R1], regs[asm.R2], regs[asm.R3], regs[asm.R4] = r[asm.R1], value{kind: kInit}, value{kind: kInit}, r[asm.R3]
		c.callback(b, i, r[asm.R2], regs, s)
	default:
		if !plainHelpers[fn] && !c.kernelFnHelper(i, fn, s) {
			c.flag(i, "a helper the checker has no model of: %v", fn)
		}
	}
	s.regs[asm.R0] = result
}

// mapOf is the map a helper's first argument names.
func (c *checker) mapOf(i int, v value) *ebpf.MapSpec {
	m := c.spec.Maps[v.name]
	if v.kind != kMap || m == nil {
		c.flag(i, "a map helper's first argument is not a known map")
		return nil
	}
	return m
}

// dest checks that a helper writes where the checker can follow.
func (c *checker) dest(i int, v value) {
	if v.kind != kPtr && v.kind != kInit {
		c.flag(i, "a helper writes through an address the checker does not track")
	}
}

// source checks memory a probe_read helper copies from: kernel or user
// memory is the traced program's business; the program's own must be
// written, and a map value (the read-only data's zeros) must hold all n
// bytes: the helper reads past its end what the kernel keeps there.
func (c *checker) source(i int, s *state, v value, n int) {
	switch v.kind {
	case kPtr, kTop:
		c.need(i, s, v, n, "probe_read source")
	case kInit:
		if v.varOff {
			n = 1
		}
		if m := c.spec.Maps[v.name]; m != nil && v.off+n > int(m.ValueSize) {
			c.flag(i, "probe_read source reads %d bytes at %d of %s's %d-byte value, past its end", n, v.off, v.name, m.ValueSize)
		}
	}
}

// callback follows a helper that calls the function fnv, with regs, zero
// or more times: the function starts from the state here or from the end
// of its last run, and the code after the helper from either.
func (c *checker) callback(b, i int, fnv value, regs [11]value, s *state) {
	fn, ok := c.entries[fnv.name]
	if fnv.kind != kFunc || !ok {
		c.flag(i, "a callback that is not a known function")
		return
	}
	regs[asm.R10] = value{kind: kPtr, region: callbackRegion + fn, off: stackSize}
	if old, ok := c.cbRegs[fn]; ok {
		for k := range regs {
			regs[k] = join(regs[k], old[k])
		}
	}
	c.cbRegs[fn] = regs
	if c.callers[fn] == nil {
		c.callers[fn] = map[int]bool{}
	}
	c.callers[fn][b] = true
	if !c.report {
		entry := s.clone()
		entry.regs = regs
		entry.regions[callbackRegion+fn] = newRegion(stackSize, true)
		c.propagate(fn, entry)
	}
	if exit := c.cbExit[fn]; exit != nil {
		joined, _ := joinState(s, exit)
		s.regions, s.owned = joined.regions, map[int]bool{}
	}
}
