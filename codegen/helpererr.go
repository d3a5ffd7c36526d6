package codegen

import (
	"strings"

	"github.com/cilium/ebpf/asm"
	"github.com/hawktrace/hawk/lang"
)

// checkRead follows a call of the probe_read helper fn, with -k
// (Options.HelperErrors): when it failed (R0 < 0), its error is stored in
// the counter of the site at the pointer expression from, which user
// space reports once, as bpftrace's helper_error. R0 is kept; R1 is
// clobbered, free after the call.
func (g *gen) checkRead(fn asm.BuiltinFunc, from lang.Expr) {
	if !g.opts.HelperErrors || from == nil {
		return
	}
	name := strings.TrimPrefix(strings.TrimPrefix(fn.String(), "Fn"), "fn")
	i := g.siteIndex(Site{Kind: SiteReadError, Helper: helperName(name)}, from)
	ok := g.newLabel("read_ok")
	g.emit(asm.JSGE.Imm(asm.R0, 0, ok))
	g.emit(asm.LoadMapValue(asm.R1, 0, uint32(StateSitesOffset+8*i)).WithReference(lostMapName))
	g.emit(asm.StoreMem(asm.R1, 0, asm.R0, asm.DWord))
	g.place(ok)
}

// helperName spells a helper as bpftrace's messages do, from
// cilium/ebpf's name: ProbeReadUserStr is probe_read_user_str.
func helperName(camel string) string {
	var b strings.Builder
	for i, r := range camel {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
