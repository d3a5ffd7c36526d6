package codegen

import (
	"encoding/binary"

	"github.com/cilium/ebpf"
)

// bpfFRdonlyProg makes a map read-only for programs (BPF_F_RDONLY_PROG);
// cilium/ebpf freezes maps named .rodata*, and the verifier then treats its contents as constants, which
// bpf_strncmp needs.
const bpfFRdonlyProg = 1 << 7

// rodata builds the read-only data map: start time, zeros, then strings.
type rodata struct {
	data     []byte
	strings  map[string]int
	words    map[uint64]int
	zeroSize int
	// tables holds the offsets of the string tables (nameTable), by name.
	tables map[string]int
}

// newRodata makes the data with a run of at least zeros bytes of zeros.
func newRodata(zeros int) *rodata {
	zero := max((zeros+7)&^7, 64)
	return &rodata{data: make([]byte, rodataZeroOffset+zero), strings: map[string]int{}, words: map[uint64]int{}, zeroSize: zero}
}

// str returns the offset of s, NUL-terminated, in the data.
func (r *rodata) str(s string) int {
	if off, ok := r.strings[s]; ok {
		return off
	}
	off := len(r.data)
	r.data = append(r.data, s...)
	r.data = append(r.data, 0)
	for len(r.data)%8 != 0 {
		r.data = append(r.data, 0)
	}
	r.strings[s] = off
	return off
}

// word returns the offset of the uint64 v, in the machine's byte order.
func (r *rodata) word(v uint64) int {
	if off, ok := r.words[v]; ok {
		return off
	}
	off := len(r.data)
	r.data = binary.NativeEndian.AppendUint64(r.data, v)
	r.words[v] = off
	return off
}

// bytes returns the offset of a fresh copy of b, which the runtime may
// overwrite before loading: never shared.
func (r *rodata) bytes(b []byte) int {
	off := len(r.data)
	r.data = append(r.data, b...)
	for len(r.data)%8 != 0 {
		r.data = append(r.data, 0)
	}
	return off
}

func (r *rodata) spec() *ebpf.MapSpec {
	return &ebpf.MapSpec{
		Name: rodataMapName, Type: ebpf.Array, KeySize: 4, ValueSize: uint32(len(r.data)),
		MaxEntries: 1, Flags: bpfFRdonlyProg,
		Contents: []ebpf.MapKV{{Key: uint32(0), Value: r.data}},
	}
}
