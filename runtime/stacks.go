package runtime

import (
	"encoding/hex"
	"fmt"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/output"
	"github.com/hawktrace/hawk/runtime/usersym"
)

// KernelImage is the StackFrame.Module of the kernel image's frames, as
// perf names it.
const KernelImage = "[kernel.kallsyms]"

// StackFrame is one frame of a stack a map's key holds, symbolized with
// the symbols hawk prints stacks with.
type StackFrame struct {
	Addr uint64 // the return address; in a build_id stack, the offset in the binary
	// Func is the symbol Addr falls in, "" when none is known; Offset is
	// Addr's offset in it.
	Func   string
	Offset uint64
	// Module is where the frame's code is: KernelImage, "[ext4]" for a
	// kernel module, the path of the user binary, "" when unknown.
	Module  string
	BuildID string // the binary's build id in hex, for a build_id stack
	Kernel  bool   // a kernel frame
}

// StackKeyPart is one part of the key of a map keyed by stacks.
type StackKeyPart struct {
	// IsStack is set for a kstack or ustack part, whose frames are in
	// Stack, innermost first (none when the kernel had no stack to take:
	// the user stack of a kernel thread, or when it is unavailable).
	IsStack bool
	Stack   []StackFrame
	// Value is any other part, decoded as print() shows it.
	Value output.Value
}

// StackSample is one entry of a map keyed by stacks: its key's parts and
// its value (a count(), or a sum()).
type StackSample struct {
	Key   []StackKeyPart
	Value int64
}

// StackMaps returns the names of the maps ReadStacks reads, in name
// order: the count() and sum() maps whose key holds a kstack or a ustack.
func (s *Session) StackMaps() []string {
	var names []string
	for _, m := range s.man.Maps {
		if StackKeyed(m) {
			names = append(names, m.Name)
		}
	}
	return names
}

// StackKeyed reports whether m is a count() or sum() map whose key holds
// a kstack or a ustack: one ReadStacks reads.
func StackKeyed(m *codegen.MapMeta) bool {
	if (m.Agg != codegen.AggCount && m.Agg != codegen.AggSum) || m.Key == nil {
		return false
	}
	for _, p := range m.Key.Parts {
		if p.Type.Kind == lang.KindStack {
			return true
		}
	}
	return false
}

// ReadStacks reads a count() or sum() map whose key holds stacks (see
// StackMaps) as it is now, its stacks as frames rather than text: what a
// profile is made of. Per-CPU values are merged; entries whose value is
// zero are left out. Like ReadMap, it may be called from any goroutine.
func (s *Session) ReadStacks(name string) ([]StackSample, error) {
	m := s.MapMeta(name)
	if m == nil {
		return nil, fmt.Errorf("the script has no map %s", name)
	}
	if !StackKeyed(m) {
		return nil, fmt.Errorf("%s is not a count() or sum() map keyed by a stack", name)
	}
	s.decodeMu.Lock()
	defer s.decodeMu.Unlock()
	if s.isClosed() {
		return nil, ErrClosed
	}
	bm := s.coll.Maps[m.SpecName]
	d := s.decoder()
	var samples []StackSample
	add := func(key []byte, v int64) {
		if v != 0 {
			samples = append(samples, StackSample{Key: d.stackKey(m.Key, key), Value: v})
		}
	}
	var err error
	if m.Agg == codegen.AggCount {
		err = iterate(bm, func(key []byte, perCPU []uint64) {
			var total uint64
			for _, v := range perCPU {
				total += v
			}
			add(key, int64(total))
		})
	} else {
		err = iterate(bm, func(key []byte, perCPU []pair) {
			var total int64
			for _, p := range perCPU {
				total += p.V
			}
			add(key, total)
		})
	}
	return samples, err
}

// stackKey decodes a key's parts, its stacks as frames.
func (d *decoder) stackKey(l *codegen.Layout, key []byte) []StackKeyPart {
	parts := make([]StackKeyPart, len(l.Parts))
	for i, p := range l.Parts {
		b := key[p.Offset:]
		if p.Type.Kind != lang.KindStack {
			parts[i].Value = d.member(p.Type, b)
			continue
		}
		parts[i].IsStack = true
		if p.Type.IsUserStack() {
			parts[i].Stack = d.userStackFrames(p.Type, ne.Uint64(b))
		} else {
			parts[i].Stack = d.kernelStackFrames(p.Type, ne.Uint64(b))
		}
	}
	return parts
}

// kernelStackFrames reads and symbolizes a kernel stack by its id.
func (d *decoder) kernelStackFrames(t *lang.Type, id uint64) []StackFrame {
	ips, ok := d.stackFrames(int(t.Args[0]), int32(id))
	if !ok {
		return nil
	}
	syms := d.kernelSymbols()
	frames := make([]StackFrame, len(ips))
	for i, ip := range ips {
		f := StackFrame{Addr: ip, Kernel: true, Module: KernelImage}
		if syms != nil {
			if sym, off, ok := syms.Lookup(ip); ok {
				f.Func, f.Offset = sym, off
				if mod := syms.Module(ip); mod != "" {
					f.Module = "[" + mod + "]"
				}
			}
		}
		frames[i] = f
	}
	return frames
}

// userStackFrames reads and symbolizes a user stack: packed holds its id
// and the process's pid, as codegen stores a ustack.
func (d *decoder) userStackFrames(t *lang.Type, packed uint64) []StackFrame {
	limit := int(t.Args[0])
	id, pid := int32(uint32(packed)), uint32(packed>>codegen.StackPidShift)
	if lang.StackModes[t.Args[1]] == "build_id" {
		return d.buildIDFrames(limit, id)
	}
	ips, ok := d.stackFrames(limit, id)
	if !ok {
		return nil
	}
	frames := make([]StackFrame, len(ips))
	for i, ip := range ips {
		f := StackFrame{Addr: ip}
		if uf, ok := d.profileFrame(pid, ip); ok {
			f.Module = uf.Module
			if uf.Sym != "" {
				f.Func, f.Offset = uf.Sym, uf.Off
			}
		}
		frames[i] = f
	}
	return frames
}

// profileFrame resolves a user address of process pid as usym does: in
// the process's mappings or, for a process gone before they were read, in
// the binaries the script's uprobes trace. Unlike usym it keeps the
// module of an address no symbol holds, for the profile's mappings.
func (d *decoder) profileFrame(pid uint32, addr uint64) (usersym.Frame, bool) {
	f, ok := d.s.users().Resolve(pid, addr)
	if !ok || f.Sym == "" {
		for _, bin := range d.s.uprobeBins {
			if g, found := d.s.users().ResolveIn(bin, addr); found && g.Sym != "" {
				return g, true
			}
		}
	}
	return f, ok
}

// buildIDFrames reads a user stack taken in build_id mode: each frame the
// build id of its binary and the offset in it, or, where the kernel could
// not read the build id, the address.
func (d *decoder) buildIDFrames(limit int, id int32) []StackFrame {
	m := d.s.coll.Maps[d.s.man.BuildIDStackMaps[limit]]
	raw := make([]byte, codegen.BuildIDFrameSize*limit)
	if m == nil || id < 0 || m.Lookup(uint32(id), raw) != nil {
		return nil
	}
	var frames []StackFrame
	for f := range limit {
		frame := raw[f*codegen.BuildIDFrameSize:][:codegen.BuildIDFrameSize]
		status, off := int32(ne.Uint32(frame)), ne.Uint64(frame[24:])
		switch status {
		case codegen.BuildIDValid:
			frames = append(frames, StackFrame{Addr: off, BuildID: hex.EncodeToString(frame[4:24])})
		case codegen.BuildIDIP:
			frames = append(frames, StackFrame{Addr: off})
		default:
			return frames // the frames past the stack's end are zeroes
		}
	}
	return frames
}
