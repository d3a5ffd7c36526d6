package runtime

import (
	"golang.org/x/sys/unix"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/usersym"
)

// users returns the session's resolver of user-space addresses.
func (s *Session) users() *usersym.Resolver {
	if s.usyms == nil {
		s.usyms = usersym.NewResolver()
		s.uprobeBins = uprobeBinaries(s.man)
	}
	return s.usyms
}

// userStack prints a user stack as bpftrace does: a newline, then one
// frame a line (indented symbol+offset; in perf mode the address, the
// symbol and the module).
func (d *decoder) userStack(t *lang.Type, packed uint64) string {
	limit, mode := int(t.Args[0]), lang.StackModes[t.Args[1]]
	id, pid := int32(uint32(packed)), uint32(packed>>codegen.StackPidShift)
	if noStack(id) {
		return ""
	}
	if mode == "build_id" {
		return d.buildIDStack(limit, id)
	}
	frames, ok := d.stackFrames(limit, id)
	var b strings.Builder
	b.WriteByte('\n')
	if !ok {
		b.WriteString("        <stack unavailable>\n")
		return b.String()
	}
	for _, ip := range frames {
		switch mode {
		case "raw":
			b.WriteString(strconv.FormatUint(ip, 16) + "\n")
		case "perf":
			b.WriteString("\t" + strconv.FormatUint(ip, 16) + " " + d.usym(pid, ip, true, true) + "\n")
		default:
			b.WriteString("        " + d.usym(pid, ip, true, false) + "\n")
		}
	}
	return b.String()
}

// usym names a user address: symbol[+offset][ (module)], or the address
// in hex when no symbol holds it.
func (d *decoder) usym(pid uint32, addr uint64, offset, module bool) string {
	f, ok := d.s.users().Resolve(pid, addr)
	if !ok || f.Sym == "" {
		// A process gone before its mappings were read: the binaries
		// the script's uprobes trace may still tell, as in bpftrace.
		for _, bin := range d.s.uprobeBins {
			if f, ok = d.s.users().ResolveIn(bin, addr); ok {
				break
			}
		}
	}
	if !ok || f.Sym == "" {
		s := "0x" + strconv.FormatUint(addr, 16)
		if module {
			s += " ([unknown])"
		}
		return s
	}
	s := f.Sym
	if offset {
		s += "+" + strconv.FormatUint(f.Off, 10)
	}
	if module {
		s += " (" + f.Module + ")"
	}
	return s
}

// noStack reports a stack id that says there was no stack to take: a
// kernel stack of a sample taken in user mode, or a user stack of a
// kernel thread (bpf_get_stackid's -EFAULT). bpftrace prints those as
// nothing at all (`@[]: 224`); other failures (a full stack map) print as
// unavailable.
func noStack(id int32) bool { return id == -int32(unix.EFAULT) }

// stackFrames reads the frames of a stack by its id.
func (d *decoder) stackFrames(limit int, id int32) ([]uint64, bool) {
	m := d.s.coll.Maps[d.s.man.StackMaps[limit]]
	if m == nil || id < 0 {
		return nil, false
	}
	frames := make([]uint64, limit)
	if err := m.Lookup(uint32(id), frames); err != nil {
		return nil, false
	}
	for i, ip := range frames {
		if ip == 0 {
			return frames[:i], true
		}
	}
	return frames, true
}

// wallTime converts boot-clock nanoseconds, what nsecs reads, to the time
// of day. The boot clock's start is found once, as bpftrace does, so two
// timestamps printed differ by exactly the time between them: %f of
// strftime(123000) and of strftime(0) differ by 123 microseconds.
func wallTime(bootNs uint64) time.Time {
	return bootTime().Add(time.Duration(bootNs))
}

// bootTime is the time of day at which the boot clock read zero.
var bootTime = sync.OnceValue(func() time.Time {
	return time.Now().Round(0).Add(-time.Duration(bootNanos()))
})

// uprobeBinaries lists the binaries the script's uprobes trace.
func uprobeBinaries(m *codegen.Manifest) []string {
	var bins []string
	seen := map[string]bool{}
	for _, p := range m.Programs {
		if p.Kind != lang.ProbeUprobe && p.Kind != lang.ProbeUretprobe {
			continue
		}
		for _, ap := range p.Points {
			if len(ap.Args) > 0 && !seen[ap.Args[0]] {
				seen[ap.Args[0]] = true
				bins = append(bins, ap.Args[0])
			}
		}
	}
	return bins
}
