// Package aot makes and reads hawk's ahead-of-time executables (--aot): a
// copy of hawk's own executable with a compiled script (an object that
// --emit-elf would write) appended, then a trailer that says how long the
// object is. Loaders ignore what follows an ELF executable's last section,
// so the copy runs as hawk does; at start-up hawk looks for the trailer
// (Self) and, when there is one, runs the object it finds.
//
// The trailer is the last TrailerSize bytes of the file: the object's
// length as a little-endian uint64, then Magic.
package aot

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// Magic ends every executable that carries an object.
const Magic = "\x00hawkAOT"

// TrailerSize is the size of the trailer: the object's length and Magic.
const TrailerSize = 8 + len(Magic)

// Write writes an executable that runs obj: the size bytes of exe (an
// executable, hawk's own, without the object it may carry itself), obj,
// then the trailer.
func Write(w io.Writer, exe io.ReaderAt, size int64, obj []byte) error {
	base, _, err := find(exe, size)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, io.NewSectionReader(exe, 0, base)); err != nil {
		return err
	}
	trailer := binary.LittleEndian.AppendUint64(nil, uint64(len(obj)))
	trailer = append(trailer, Magic...)
	if _, err := w.Write(obj); err != nil {
		return err
	}
	_, err = w.Write(trailer)
	return err
}

// Find returns the object that the size bytes of exe carry, or nil when
// they end without a trailer.
func Find(exe io.ReaderAt, size int64) ([]byte, error) {
	base, n, err := find(exe, size)
	if err != nil || n == 0 {
		return nil, err
	}
	obj := make([]byte, n)
	if _, err := exe.ReadAt(obj, base); err != nil {
		return nil, fmt.Errorf("reading the compiled program: %w", err)
	}
	return obj, nil
}

// find returns where the object exe carries starts, which is the size of
// the executable without it, and the object's length: size and 0 when
// there is no trailer.
func find(exe io.ReaderAt, size int64) (base, n int64, err error) {
	if size < int64(TrailerSize) {
		return size, 0, nil
	}
	trailer := make([]byte, TrailerSize)
	if _, err := exe.ReadAt(trailer, size-int64(TrailerSize)); err != nil {
		return 0, 0, fmt.Errorf("reading the executable: %w", err)
	}
	if string(trailer[8:]) != Magic {
		return size, 0, nil
	}
	length := binary.LittleEndian.Uint64(trailer)
	if length == 0 || length > uint64(size-int64(TrailerSize)) {
		return 0, 0, errors.New("the executable's compiled program is truncated or corrupt")
	}
	n = int64(length)
	return size - int64(TrailerSize) - n, n, nil
}

// Self returns the object the running executable carries, or nil when it
// is plain hawk. It costs an open, a stat and one read of the trailer.
func Self() ([]byte, error) {
	f, err := os.Open("/proc/self/exe")
	if err != nil {
		return nil, nil // no /proc: plain hawk
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil
	}
	return Find(f, st.Size())
}
