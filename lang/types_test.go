package lang

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
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

// doubled is a tuple of levels levels, each holding the one inside twice,
// around leaf: 2^levels leaves, in a type of levels+1 nodes.
func doubled(leaf *Type, levels int) *Type {
	t := leaf
	for range levels {
		t = TupleType([]*Type{t, t})
	}
	return t
}

// TestTypeWalksShareMembers checks the walks over types on tuples whose
// members are one tuple twice, 40 levels deep: each walk looks at a shared
// member once, or stops early, rather than twice per level (2^40 times).
// The checker refuses such tuples (MaxMembers), but not every tuple is
// built by a script, and the walks must not depend on that.
func TestTypeWalksShareMembers(t *testing.T) {
	const levels = 40
	var (
		x, y, wide        *Type
		align             int
		equal, ok, sameTo bool
		name              string
		merged, completed *Type
	)
	finishes(t, time.Minute, func() {
		x, y, wide = doubled(StringType(4), levels), doubled(StringType(4), levels), doubled(StringType(8), levels)
		align = x.Align()
		equal = x.Equal(y)
		merged, ok = unify(x, wide)
		var same *Type
		same, sameTo = unify(x, y)
		sameTo = sameTo && same == x
		name = x.String()
		c := newChecker(&Program{Src: NewSource("-e", "")}, nil, Config{}, DefaultSettings(), nil)
		completed = c.withFields(x)
	})
	if x.Size != 4<<levels || x.members != 2<<levels-2 {
		t.Errorf("size %d and %d members, want %d and %d", x.Size, x.members, 4<<levels, 2<<levels-2)
	}
	if align != 1 || !equal || !ok || !merged.Equal(wide) || !sameTo || completed != x {
		t.Errorf("align %d, equal %v, merged %v (%v), unified with an equal type to itself %v, completed to itself %v",
			align, equal, merged.Equal(wide), ok, sameTo, completed == x)
	}
	if !strings.HasPrefix(name, "((((") || !strings.HasSuffix(name, "...") || len(name) > maxTypeString+3 {
		t.Errorf("spelt %.40q... (%d bytes), want it cut short at %d", name, len(name), maxTypeString)
	}
	if x.Equal(doubled(StringType(5), levels)) {
		t.Error("tuples of different strings are equal")
	}
}
