package lang

import (
	"strings"
	"testing"
)

// TestTypeStringChain spells a type of a million pointers and arrays.
// Each link copied the spelling of the links inside it: a million links
// copied terabytes; the spelling is now written in one pass.
func TestTypeStringChain(t *testing.T) {
	typ := Int8
	for i := range 1_000_000 {
		if i%2 == 0 {
			typ = ArrayType(typ, 1)
		} else {
			typ = PointerType(typ, SpaceKernel)
		}
	}
	s := typ.String()
	if want := "int8" + strings.Repeat("[1] *", 500_000); s != want {
		t.Errorf("got %.40q... (%d bytes), want %d bytes", s, len(s), len(want))
	}
	if got := PointerType(ArrayType(Int8, 4), SpaceKernel).String(); got != "int8[4] *" {
		t.Errorf("got %q", got)
	}
}
