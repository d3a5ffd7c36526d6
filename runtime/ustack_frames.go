package runtime

import (
	"strconv"
	"strings"

	"github.com/hawktrace/hawk/runtime/usersym"
)

// userFrames prints the frames of a user stack of process pid as
// bpftrace does in mode (bpftrace, perf or raw): a newline, then a line a
// frame. In raw mode a line is the address in hex; in perf mode a tab,
// the address in hex, a space and the symbol+offset (module); in bpftrace
// mode eight spaces and the symbol+offset.
//
// With show_debug_info (the default), an address in code the binary's
// DWARF describes also gives, first, a line for each function inlined
// there, innermost first (`[inlined] NAME@FILE:LINE`; in perf mode
// `NAME (inlined)` after the same address), and in bpftrace mode the
// symbol's line ends in @FILE:LINE. A stack's limit counts addresses, not
// these lines.
func (d *decoder) userFrames(pid uint32, frames []uint64, mode string) string {
	var b strings.Builder
	b.WriteByte('\n')
	perf := mode == "perf"
	for _, ip := range frames {
		if mode == "raw" {
			b.WriteString(strconv.FormatUint(ip, 16) + "\n")
			continue
		}
		for _, sym := range d.frameSymbols(pid, ip, perf) {
			if perf {
				b.WriteString("\t" + strconv.FormatUint(ip, 16) + " " + sym + "\n")
			} else {
				b.WriteString("        " + sym + "\n")
			}
		}
	}
	return b.String()
}

// frameSymbols names the address of one frame: the functions inlined
// there, innermost first, then the function the code is in, as bpftrace's
// add_symbols does.
func (d *decoder) frameSymbols(pid uint32, ip uint64, perf bool) []string {
	if d.s.man.NoDebugInfo {
		return []string{d.usym(pid, ip, true, perf)}
	}
	f, ok := d.userFrame(pid, ip, true)
	if !ok {
		return []string{unknownUser(ip, perf)}
	}
	var syms []string
	for _, in := range f.Inlined {
		if perf {
			syms = append(syms, in.Name+" (inlined)")
		} else {
			syms = append(syms, "[inlined] "+in.Name+at(in.Source))
		}
	}
	sym := f.Sym + "+" + strconv.FormatUint(f.Off, 10)
	if perf {
		sym += " (" + f.Module + ")"
	} else {
		sym += at(f.Source)
	}
	return append(syms, sym)
}

// at prints a place in the source as bpftrace appends it to a frame:
// @FILE:LINE, or nothing when the file is unknown.
func at(src usersym.Source) string {
	if src.File == "" {
		return ""
	}
	return "@" + src.File + ":" + strconv.Itoa(src.Line)
}
