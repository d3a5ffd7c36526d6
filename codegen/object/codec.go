package object

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
)

// The manifest's encoding, version 4: the envelope's fields in the order
// its Go types declare them, each as the code generated from those types
// (codec_gen.go) writes it, with the primitives below.
//
//   - Integers are varints (signed ones zigzag), bools one byte, floats
//     the uvarint of their IEEE 754 bits.
//   - Strings and byte slices are a length and their bytes, whatever
//     they are (valid UTF-8 or not).
//   - Slices and maps are 0 when nil, otherwise their length plus one,
//     then their elements; map entries go in the order of their keys, so
//     that the same manifest is always the same bytes.
//   - Integers of types with a String method (enums) are followed by
//     their name, so that a renumbered enum is caught.
//   - A pointer is 0 when nil, 1 followed by what it points to the first
//     time it is met, and N+2 after that, N counting the pointers met for
//     the first time before it: shared pointers stay shared, and types
//     may refer to themselves (a script's struct pointing to itself).

// maxDepth bounds how deep the pointers of a manifest nest, so that a
// corrupt one cannot exhaust the stack.
const maxDepth = 10000

// encoder writes the manifest's bytes.
type encoder struct {
	buf []byte
	ids map[any]int // pointers met, by the order they were met
}

func (e *encoder) uint(u uint64) { e.buf = binary.AppendUvarint(e.buf, u) }
func (e *encoder) int(i int64)   { e.buf = binary.AppendVarint(e.buf, i) }
func (e *encoder) float(f float64) {
	e.uint(math.Float64bits(f))
}

func (e *encoder) bool(b bool) {
	if b {
		e.buf = append(e.buf, 1)
	} else {
		e.buf = append(e.buf, 0)
	}
}

func (e *encoder) string(s string) {
	e.uint(uint64(len(s)))
	e.buf = append(e.buf, s...)
}

func (e *encoder) bytes(b []byte) {
	e.len(len(b), b == nil)
	e.buf = append(e.buf, b...)
}

// len writes the length of a slice or map, which may be nil.
func (e *encoder) len(n int, isNil bool) {
	if isNil {
		e.uint(0)
		return
	}
	e.uint(uint64(n) + 1)
}

// enum writes an integer and its name.
func (e *encoder) enum(i int64, s fmt.Stringer) {
	e.int(i)
	e.string(enumName(s))
}

// ptr writes the reference to p and reports whether what p points to
// must follow: the first time p is met.
func (e *encoder) ptr(p any, isNil bool) bool {
	if isNil {
		e.uint(0)
		return false
	}
	if id, ok := e.ids[p]; ok {
		e.uint(uint64(id) + 2)
		return false
	}
	e.ids[p] = len(e.ids)
	e.uint(1)
	return true
}

// sortedKeys returns the keys of m in order.
func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// enumName returns s.String(), or "" if it panics (a table indexed by an
// unknown value).
func enumName(s fmt.Stringer) (name string) {
	defer func() {
		if recover() != nil {
			name = ""
		}
	}()
	return s.String()
}

// errTruncated is the error of a manifest that ends too soon.
var errTruncated = errors.New("the manifest ends too soon")

// decoder reads the manifest's bytes. Its first error stops it: every
// read after it returns a zero value, and err tells.
type decoder struct {
	data  []byte
	err   error
	ptrs  []any // pointers made, by the order they were met
	depth int
}

func (d *decoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
	d.data = nil
}

func (d *decoder) uint() uint64  { return readVarint(d, binary.Uvarint) }
func (d *decoder) varint() int64 { return readVarint(d, binary.Varint) }

// readVarint reads a number with read, binary.Uvarint or binary.Varint.
func readVarint[T uint64 | int64](d *decoder, read func([]byte) (T, int)) T {
	v, n := read(d.data)
	if n <= 0 {
		d.fail(errTruncated)
		return 0
	}
	d.data = d.data[n:]
	return v
}

// int reads an integer of a type of bits bits.
func (d *decoder) int(bits int) int64 {
	i := d.varint()
	if bits < 64 && (i < -1<<(bits-1) || i >= 1<<(bits-1)) {
		d.fail(fmt.Errorf("%d does not fit %d bits", i, bits))
		return 0
	}
	return i
}

// uintN reads an unsigned integer of a type of bits bits.
func (d *decoder) uintN(bits int) uint64 {
	u := d.uint()
	if bits < 64 && u >= 1<<bits {
		d.fail(fmt.Errorf("%d does not fit %d bits", u, bits))
		return 0
	}
	return u
}

func (d *decoder) float() float64 { return math.Float64frombits(d.uint()) }

func (d *decoder) bool() bool {
	switch d.uint() {
	case 0:
		return false
	case 1:
		return true
	}
	d.fail(errors.New("a bool is neither 0 nor 1"))
	return false
}

func (d *decoder) string() string {
	n := d.uint()
	if n > uint64(len(d.data)) {
		d.fail(errTruncated)
		return ""
	}
	s := string(d.data[:n])
	d.data = d.data[n:]
	return s
}

func (d *decoder) bytes() []byte {
	n, ok := d.len()
	if !ok {
		return nil
	}
	if n > len(d.data) {
		d.fail(errTruncated)
		return nil
	}
	b := make([]byte, n)
	copy(b, d.data)
	d.data = d.data[n:]
	return b
}

// len reads the length of a slice or map, false when it is nil. Every
// element takes a byte at least, so a length past the bytes left is an
// error, not a large allocation.
func (d *decoder) len() (int, bool) {
	u := d.uint()
	if u == 0 {
		return 0, false
	}
	if u-1 > uint64(len(d.data)) {
		d.fail(errTruncated)
		return 0, false
	}
	return int(u - 1), true
}

// checkName reads the name that follows an enum and makes sure the value
// means what it meant to the hawk that wrote the object.
func (d *decoder) checkName(v fmt.Stringer, n int64) {
	want := d.string()
	if d.err != nil {
		return
	}
	if got := enumName(v); got != want {
		d.fail(fmt.Errorf("%T %d is %q to this hawk but was %q to the hawk that wrote the object: compile the script again with this hawk",
			v, n, got, want))
	}
}

// ptr reads a pointer's reference: nil and false for a nil pointer, the
// pointer made before and false for one met before, nil and true for one
// met for the first time, which the caller makes, records with made, and
// reads.
func (d *decoder) ptr() (p any, first bool) {
	switch u := d.uint(); {
	case u == 0:
		return nil, false
	case u == 1:
		if d.depth >= maxDepth {
			d.fail(fmt.Errorf("pointers nest more than %d deep", maxDepth))
			return nil, false
		}
		return nil, true
	case u-2 < uint64(len(d.ptrs)):
		return d.ptrs[u-2], false
	default:
		d.fail(fmt.Errorf("no object %d", u-2))
		return nil, false
	}
}

// wrongType is the error of a pointer to an object of another type.
func (d *decoder) wrongType(p any, want string) {
	d.fail(fmt.Errorf("object %T is not a %s", p, want))
}
