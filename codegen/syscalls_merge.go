package codegen

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hawktrace/hawk/lang"
)

// A probe reading args.* is one program per attach point, since the
// fields lie at offsets that differ between tracepoints. From the raw
// syscall tracepoints, though, a field is a register, the number or the
// return value: the syscalls of a probe whose fields come from the same
// places (sys_exit_open and sys_exit_openat reading args.ret; the
// filename is sys_enter_open's first argument but sys_enter_openat's
// second) share one program, with one number check for all of them.

// mergeRawSyscalls merges the raw syscall programs of probe p (groups)
// that read its fields from the same places, keeping the first one's
// place in order.
func (c *compiler) mergeRawSyscalls(p *lang.Probe, groups []programGroup) []programGroup {
	if len(groups) < 2 || lang.UsesName(p, "probe", "func") {
		return groups
	}
	var merged []programGroup
	at := map[string]int{} // places -> index in merged
	for _, grp := range groups {
		r := grp.raw
		if r == nil || r.all {
			merged = append(merged, grp)
			continue
		}
		key := fmt.Sprintf("%v %s", r.exit, c.rawFieldPlaces(p, grp.aps[0]))
		if i, ok := at[key]; ok {
			m := &merged[i]
			m.aps = append(slices.Clip(m.aps), grp.aps...)
			m.raw = &rawSyscall{exit: r.exit, nrs: append(slices.Clip(m.raw.nrs), r.nrs...)}
			continue
		}
		at[key] = len(merged)
		merged = append(merged, grp)
	}
	return merged
}

// rawFieldPlaces describes where the probe's reads of args.* come from
// on attach point ap, when served from a raw syscall tracepoint: for each
// read, the number, the return value or an argument's register, and how
// many bytes of it.
func (c *compiler) rawFieldPlaces(p *lang.Probe, ap *lang.AttachPoint) string {
	var places []string
	tp := c.info.Tracepoints[ap]
	lang.Inspect(p, func(n lang.Node) bool {
		e, ok := n.(*lang.FieldExpr)
		if !ok {
			return true
		}
		if x, ok := e.X.(*lang.Ident); !ok || x.Name != "args" || tp == nil {
			return true
		}
		f := tp.Field(e.Field)
		if f == nil {
			places = append(places, "?"+e.Field)
			return true
		}
		place := fmt.Sprint(f.Offset) // an argument, 8 bytes each
		switch {
		case f.Name == "__syscall_nr":
			place = "nr"
		case f.Name == "ret":
			place = "ret"
		}
		places = append(places, fmt.Sprintf("%s:%d", place, fieldSize(f, c.info.TypeOf(e))))
		return true
	})
	return strings.Join(places, ",")
}
