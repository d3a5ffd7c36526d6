package usdt

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// ntStapsdt is the type of a SystemTap SDT note, owner "stapsdt".
const ntStapsdt = 3

// note is one decoded SDT note: the addresses as the linker wrote them.
type note struct {
	pc, base, semaphore uint64
	provider, name      string
	args                string
}

// parseNotes decodes the notes of a .note.stapsdt section, in order.
// Notes of another owner or type are skipped; addrSize is 8 for ELF64
// files and 4 for ELF32.
func parseNotes(data []byte, order binary.ByteOrder, addrSize int) ([]note, error) {
	var notes []note
	for off := 0; off < len(data); {
		if len(data)-off < 12 {
			return nil, fmt.Errorf("note at %#x: truncated header", off)
		}
		namesz := int(order.Uint32(data[off:]))
		descsz := int(order.Uint32(data[off+4:]))
		typ := order.Uint32(data[off+8:])
		nameOff := off + 12
		descOff := nameOff + align4(namesz)
		end := descOff + align4(descsz)
		if namesz < 0 || descsz < 0 || descOff > len(data) || descOff+descsz > len(data) {
			return nil, fmt.Errorf("note at %#x: sizes %d and %d run past the section", off, namesz, descsz)
		}
		owner := string(bytes.TrimRight(data[nameOff:nameOff+namesz], "\x00"))
		if owner == "stapsdt" && typ == ntStapsdt {
			n, err := parseDesc(data[descOff:descOff+descsz], order, addrSize)
			if err != nil {
				return nil, fmt.Errorf("note at %#x: %w", off, err)
			}
			notes = append(notes, n)
		}
		off = min(end, len(data))
	}
	return notes, nil
}

// parseDesc decodes a note's descriptor: the probe's address, the
// link-time address of .stapsdt.base and the semaphore's address, then
// provider, name and argument string, each ending in NUL.
func parseDesc(desc []byte, order binary.ByteOrder, addrSize int) (note, error) {
	if len(desc) < 3*addrSize+3 {
		return note{}, fmt.Errorf("descriptor of %d bytes is too short", len(desc))
	}
	addr := func(i int) uint64 {
		if addrSize == 4 {
			return uint64(order.Uint32(desc[i*4:]))
		}
		return order.Uint64(desc[i*8:])
	}
	n := note{pc: addr(0), base: addr(1), semaphore: addr(2)}
	strs := bytes.SplitN(desc[3*addrSize:], []byte{0}, 4)
	if len(strs) < 4 {
		return note{}, fmt.Errorf("descriptor has %d of its 3 NUL-terminated strings", len(strs)-1)
	}
	n.provider, n.name, n.args = string(strs[0]), string(strs[1]), string(strs[2])
	if n.name == "" {
		return note{}, fmt.Errorf("probe of provider %q has no name", n.provider)
	}
	// libbpf reads an argument string that starts with ':' as none.
	if len(n.args) > 0 && n.args[0] == ':' {
		n.args = ""
	}
	return n, nil
}

// align4 rounds n up to a multiple of 4, the alignment of note fields.
func align4(n int) int { return (n + 3) &^ 3 }
