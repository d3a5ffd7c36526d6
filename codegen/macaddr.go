package codegen

import (
	"github.com/hawktrace/hawk/lang"
)

// macaddrTo evaluates macaddr(mac) into dst: the first six bytes of an
// array, or of the memory a pointer or an address points to.
func (g *gen) macaddrTo(call *lang.Call, dst mem, f fill) {
	arg := call.Args[0]
	var p place
	if t := g.info.TypeOf(arg); t.IsScalar() {
		space := lang.SpaceKernel
		if t.Kind == lang.KindPointer {
			space = t.Space
		}
		p = g.pointerPlace(arg, space)
	} else {
		p = g.placeOf(arg)
	}
	g.copyPlace(p, dst.sub(0, lang.MacaddrSize), lang.MacaddrSize)
	g.releasePlace(p)
	g.fillTail(dst, lang.MacaddrSize, f)
}
