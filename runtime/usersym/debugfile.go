package usersym

import (
	"bytes"
	"debug/elf"
	"encoding/hex"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// debugRoot is where distributions install separate debug files (a
// variable for tests).
var debugRoot = "/usr/lib/debug"

// hasDWARF reports whether f carries its own DWARF: a .debug_info section
// with contents (objcopy --strip-debug leaves none; a section without
// contents, SHT_NOBITS, is none either).
func hasDWARF(f *elf.File) bool {
	s := f.Section(".debug_info")
	if s == nil {
		s = f.Section(".zdebug_info")
	}
	return s != nil && s.Type != elf.SHT_NOBITS && s.Size > 0
}

// debugFile finds the separate debug file of the ELF file f, read from
// path, as gdb and bcc look for one: by its build id under
// /usr/lib/debug/.build-id/, then by its .gnu_debuglink name next to it,
// in .debug/ beside it and under /usr/lib/debug/ (the debuglink's CRC
// must match). It returns "" when there is none.
func debugFile(f *elf.File, path string) string {
	if id := buildID(f); len(id) > 1 {
		h := hex.EncodeToString(id)
		p := filepath.Join(debugRoot, ".build-id", h[:2], h[2:]+".debug")
		if fileHasDWARF(p) {
			return p
		}
	}
	name, crc, ok := debugLink(f)
	if !ok {
		return ""
	}
	// The directory of the file itself, through symbolic links (not
	// /proc/PID/root's, which would leave a container's root).
	dir := filepath.Dir(path)
	if real, err := filepath.EvalSymlinks(path); err == nil && !strings.HasPrefix(path, "/proc/") {
		dir = filepath.Dir(real)
	}
	for _, p := range []string{
		filepath.Join(dir, name),
		filepath.Join(dir, ".debug", name),
		filepath.Join(debugRoot, dir, name),
	} {
		if p != path && crcOf(p) == crc && fileHasDWARF(p) {
			return p
		}
	}
	return ""
}

// fileHasDWARF reports whether the file at path is ELF with DWARF.
func fileHasDWARF(path string) bool {
	f, err := elf.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	return hasDWARF(f)
}

// buildID returns the contents of f's NT_GNU_BUILD_ID note, or nil.
func buildID(f *elf.File) []byte {
	for _, s := range f.Sections {
		if s.Type != elf.SHT_NOTE {
			continue
		}
		data, err := s.Data()
		if err != nil {
			continue
		}
		for len(data) >= 12 {
			namesz, descsz, typ := f.ByteOrder.Uint32(data), f.ByteOrder.Uint32(data[4:]), f.ByteOrder.Uint32(data[8:])
			nameEnd := 12 + align4(uint64(namesz))
			descEnd := nameEnd + align4(uint64(descsz))
			if descEnd > uint64(len(data)) {
				break
			}
			if typ == 3 && namesz == 4 && bytes.Equal(data[12:16], []byte("GNU\x00")) {
				return data[nameEnd : nameEnd+uint64(descsz)]
			}
			data = data[descEnd:]
		}
	}
	return nil
}

func align4(n uint64) uint64 { return (n + 3) &^ 3 }

// debugLink reads f's .gnu_debuglink: a file name, NUL-padded to a
// multiple of 4 bytes, then the CRC-32 of the debug file.
func debugLink(f *elf.File) (name string, crc uint32, ok bool) {
	s := f.Section(".gnu_debuglink")
	if s == nil {
		return "", 0, false
	}
	data, err := s.Data()
	if err != nil {
		return "", 0, false
	}
	n := bytes.IndexByte(data, 0)
	if n <= 0 {
		return "", 0, false
	}
	off := align4(uint64(n + 1))
	if off+4 > uint64(len(data)) {
		return "", 0, false
	}
	name = string(data[:n])
	if filepath.Base(name) != name {
		return "", 0, false
	}
	return name, f.ByteOrder.Uint32(data[off:]), true
}

// crcOf returns the CRC-32 (IEEE, as .gnu_debuglink has it) of the file
// at path, or 0 when it cannot be read (which fileHasDWARF then refuses
// too).
func crcOf(path string) uint32 {
	fh, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer fh.Close()
	h := crc32.NewIEEE()
	if _, err := io.Copy(h, fh); err != nil {
		return 0
	}
	return h.Sum32()
}
