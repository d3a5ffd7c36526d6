package runtime

import (
	"time"

	"github.com/cilium/ebpf"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/runtime/dwunwind"
)

// dwTables compiles the unwind tables dw_ustack reads, when the script
// takes one: the call frame information of the binaries the target
// processes map (-p, --dwarf-pid) and of the command -c runs with the
// libraries it will load. It sizes the tables' maps in spec to fit.
func dwTables(spec *ebpf.CollectionSpec, opts Options) *dwunwind.Tables {
	rows, files := spec.Maps[codegen.DwRowsMap], spec.Maps[codegen.DwFilesMap]
	if rows == nil || files == nil {
		return nil
	}
	t := &dwunwind.Tables{}
	pids := opts.DwarfPids
	if opts.Pid != 0 {
		pids = append([]int{opts.Pid}, pids...)
	}
	for _, pid := range pids {
		t.AddPid(pid) // a process gone: it has no tables, and says so when it fires
	}
	for _, bin := range opts.DwarfBinaries {
		t.AddBinary(bin)
	}
	rows.MaxEntries = uint32(max(1, t.NumRows()))
	files.MaxEntries = uint32(max(1, t.NumFiles()))
	return t
}

// fillDwTables stores the tables in the loaded maps.
func fillDwTables(coll *ebpf.Collection, t *dwunwind.Tables) error {
	if t == nil {
		return nil
	}
	return t.Fill(coll.Maps[codegen.DwFilesMap], coll.Maps[codegen.DwRowsMap], coll.Maps[codegen.DwProcsMap])
}

// dwStackFrames reads the frames of a dw_ustack by its id
// (codegen.DwStackBit): after the hash, up to the first zero.
func (d *decoder) dwStackFrames(limit int, id int32) ([]uint64, bool) {
	m := d.s.coll.Maps[d.s.man.DwStackMaps[limit]]
	if m == nil {
		return nil, false
	}
	val := make([]uint64, 1+limit)
	if err := m.Lookup(uint32(id), val); err != nil {
		return nil, false
	}
	frames := val[1:]
	for i, ip := range frames {
		if ip == 0 {
			return frames[:i], true
		}
	}
	return frames, true
}

// dwRefresh reads again the mappings of a target process when it is
// first seen taking a stack: the command -c runs had not run its binary
// yet at load time, and a process -p names may have changed since.
// (Until then the unwinder asks the kernel, bpf_find_vma.)
func (s *Session) dwRefresh(pid uint32) {
	if s.dw == nil || !(s.opts.Cpid != 0 && int(pid) == s.opts.Cpid || s.dw.Target(int(pid))) {
		return
	}
	if m := s.coll.Maps[codegen.DwProcsMap]; m != nil {
		s.dw.RefreshPid(int(pid), m)
	}
}

// dwFollowChild reads the mappings of the command -c runs again shortly
// after it is let go, while it runs its binary and the dynamic loader maps
// the libraries, so that probes that cannot ask the kernel (profile's, in
// NMI) find them in the table.
func (s *Session) dwFollowChild() {
	m := s.coll.Maps[codegen.DwProcsMap]
	if s.dw == nil || s.opts.Cpid == 0 || m == nil {
		return
	}
	go func() {
		for _, d := range []time.Duration{20 * time.Millisecond, 200 * time.Millisecond, time.Second} {
			time.Sleep(d)
			if s.dw.RefreshPid(s.opts.Cpid, m) != nil {
				return // gone, or the maps are closed
			}
		}
	}()
}
