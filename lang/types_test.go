package lang

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// chainType is a type of n links, pointers and arrays by turns.
func chainType(n int) *Type {
	typ := Int8
	for i := range n {
		if i%2 == 0 {
			typ = ArrayType(typ, 1)
		} else {
			typ = PointerType(typ, SpaceKernel)
		}
	}
	return typ
}

// spellChain spells a type of n links and returns the bytes that took.
func spellChain(t *testing.T, n int) uint64 {
	t.Helper()
	typ := chainType(n)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s := typ.String()
	runtime.ReadMemStats(&after)
	if want := "int8" + strings.Repeat("[1] *", n/2); s != want {
		t.Errorf("got %.40q... (%d bytes), want %d bytes", s, len(s), len(want))
	}
	return after.TotalAlloc - before.TotalAlloc
}

// TestTypeStringChain spells types of 10,000 and 40,000 pointers and
// arrays: four times the links take about four times the bytes, and at
// most eight. Each link copied the spelling of the links inside it,
// sixteen times the bytes (a million links copied terabytes); the
// spelling is now written in one pass.
func TestTypeStringChain(t *testing.T) {
	const n = 10_000
	small, large := spellChain(t, n), spellChain(t, 4*n)
	if ratio := float64(large) / float64(small); ratio > 8 {
		t.Errorf("spelling %d links took %d bytes, %d links %d: %.1f times as many", n, small, 4*n, large, ratio)
	}
	if got := PointerType(ArrayType(Int8, 4), SpaceKernel).String(); got != "int8[4] *" {
		t.Errorf("got %q", got)
	}
}

// TestSharedIntTypesUnchanged: the integer types IntType shares are never
// changed by the checker (a literal's flexibility set on a shared type
// turned every int8 of the script flexible).
func TestSharedIntTypesUnchanged(t *testing.T) {
	scripts, _ := filepath.Glob("testdata/*/*.bt")
	examples, _ := filepath.Glob("../examples/*.bt")
	for _, name := range append(scripts, examples...) {
		text, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if prog, err := Parse(NewSource(name, string(text))); err == nil {
			Check(prog, testEnv{}, Config{Params: []string{"1", "x"}})
		}
	}
	for _, size := range []int{1, 2, 4, 8} {
		for _, signed := range []bool{false, true} {
			for _, flexible := range []bool{false, true} {
				want := Type{Kind: KindInt, Size: size, Signed: signed, Flexible: flexible}
				if got := intType(size, signed, flexible); !got.Equal(&want) || got.Flexible != flexible || got.Name != "" {
					t.Errorf("the shared %+v became %+v", want, *got)
				}
			}
		}
	}
	if IntType(4, true) != Int32 || IntType(4, true).Flexible {
		t.Errorf("IntType(4, true) is not the shared, fixed int32")
	}
}
