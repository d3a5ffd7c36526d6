package lang

import (
	"fmt"
	"strings"
	"testing"
)

// Links of a chain of maps: %[1]d is a map's number, %[2]d the one's
// before. Each map is read in its own first assignment, beside the map
// before it, in a part of the value that is looked at only when the
// parts before it are known.
const (
	tupleLink  = "@m%[1]d = (@m%[2]d, @m%[1]d).1 + 1;"
	recordLink = "@m%[1]d = (a = @m%[2]d, b = @m%[1]d).b + 1;"
	keyLink    = "@m%[1]d[0] = @m%[1]d[@m%[2]d[0]] + 1;"
	bufLink    = "@m%[1]d = sizeof(buf(@m%[2]d, @m%[1]d)) + 1;"
)

// selfReadChain is a chain of n maps joined by link, the first read in
// its own assignment too.
func selfReadChain(link string, n int) string {
	var b strings.Builder
	b.WriteString("BEGIN {\n")
	if strings.Contains(link, "[0]") {
		b.WriteString("@m0[0] = @m0[0] + 1;\n")
	} else {
		b.WriteString("@m0 = @m0 + 1;\n")
	}
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, link+"\n", i, i-1)
	}
	b.WriteString("}\n")
	return b.String()
}

// reverseChain is a chain of n maps, each assigned from the next, in the
// order opposite to the one that types them: each settling walk types
// one more.
func reverseChain(n int) string {
	var b strings.Builder
	b.WriteString("BEGIN {\n")
	for i := n; i > 0; i-- {
		fmt.Fprintf(&b, "@c%d = @c%d;\n", i, i-1)
	}
	b.WriteString("@c0 = 1;\n}\n")
	return b.String()
}

// TestSettleSelfReadChains checks that 2,000 maps each read in its own
// first assignment, in a part of the value after one not known yet,
// settle in two walks, all int64: a walk looked at no part after the
// first it did not know, found one map per walk read in its own
// assignment, and took 2,002 walks (36.7 s).
func TestSettleSelfReadChains(t *testing.T) {
	const n = 2000
	for name, link := range map[string]string{"tuple": tupleLink, "record": recordLink, "key": keyLink, "buf": bufLink} {
		t.Run(name, func(t *testing.T) {
			text := selfReadChain(link, n)
			work, exprs, err := countWork(t, text, 10*exprCount(mustParse(t, text)))
			if err == errWorkLimit {
				t.Fatalf("stopped after %d walks", work.walks)
			}
			if err != nil {
				t.Fatalf("%.500v", err)
			}
			if work.walks > 3 {
				t.Errorf("%d walks of %d expressions, want 3: two settling, one reporting", work.walks, exprs)
			}
			info := settled(t, text)
			for i := range n {
				if v := info.Maps[fmt.Sprintf("@m%d", i)].Value; !v.Equal(Int64) {
					t.Fatalf("@m%d is %s, want int64", i, v)
				}
			}
		})
	}
}

// TestSettleReverseChains checks chains of maps each assigned, later in
// the script, from the next: a chain of up to MaxSettleWalks-1 maps
// settles (a second map in such a chain was "read but never assigned"),
// a longer one is refused at the read that was still stale, naming its
// map, after MaxSettleWalks walks whatever its length.
func TestSettleReverseChains(t *testing.T) {
	text := reverseChain(MaxSettleWalks - 1)
	info := settled(t, text)
	for i := range MaxSettleWalks {
		if v := info.Maps[fmt.Sprintf("@c%d", i)].Value; !v.Equal(Int64) {
			t.Errorf("@c%d is %s, want int64", i, v)
		}
	}
	for _, n := range []int{MaxSettleWalks, 2000} {
		text := reverseChain(n)
		work, _, err := countWork(t, text, 0)
		diags, _ := err.(Diagnostics)
		if len(diags) != 1 {
			t.Fatalf("chain of %d: %d diagnostics, want 1: %.1000v", n, len(diags), err)
		}
		// Each walk types one more map, from @c0 on: the read of the one
		// the last settling walk typed is stale.
		stale := MaxSettleWalks - 1
		want := fmt.Sprintf("-e:%d:%d: error: cannot settle the type of @c%d: it is read before the assignment that types it",
			n-stale+1, len(fmt.Sprintf("@c%d = ", stale+1))+1, stale)
		if got := diags[0].Error(); !strings.HasPrefix(got, want) {
			t.Errorf("chain of %d:\n%s\nwant it to start %s", n, got, want)
		}
		if work.walks != MaxSettleWalks {
			t.Errorf("chain of %d: %d walks, want %d", n, work.walks, MaxSettleWalks)
		}
	}
}

// TestSettleWalks pins how many walks common scripts take: one settling
// walk and the reporting one, and one more settling walk for a map read
// before the assignment that types it.
func TestSettleWalks(t *testing.T) {
	for _, c := range []struct {
		text  string
		walks int
	}{
		{"BEGIN { @a = 1; $x = @a + 1; } END { print(@a); }", 2},
		{"END { $x = @a + 1; } BEGIN { @a = 1; }", 3},
		{"BEGIN { @n = @n + 1; @t[1] = @t[1] + (@n, 2).1; }", 3},
		{"BEGIN { let $x; $i = 0; while ($i < 2) { if ($i > 0) { @a = $x; } $x = 1; $i++; } }", 3},
		{"BEGIN { @never = @never2; }", 2},
		// Mistakes settle as they are: the reporting walk finds them.
		{`BEGIN { $x = 1; $y = $x; $x = "s"; }`, 2},
		{`BEGIN { $x = "a"; $y = $x; $x = "abc"; $x = 1; $z = $x; }`, 3},
		{`BEGIN { @m = 1; $y = @m; @m = "s"; $z = @m; }`, 2},
		{`BEGIN { @m = "a"; $y = @m; @m = "abc"; @m = 1; $z = @m; }`, 3},
	} {
		work, _, err := countWork(t, c.text, 0)
		if work.walks != c.walks {
			t.Errorf("%d walks, want %d: %s", work.walks, c.walks, c.text)
		}
		if err != nil && strings.Contains(err.Error(), "cannot settle") {
			t.Errorf("%s\n%v", c.text, err)
		}
	}
}

// TestSettleWidensFirstAssignment checks that a variable's first
// assignment widens the type the walk before settled: the value read
// from a map that a later probe widened is wider in the later walk, and
// the variable kept the narrower type, cutting the string it stored.
func TestSettleWidensFirstAssignment(t *testing.T) {
	text := `BEGIN { @s = "ab"; } END { $x = @s; print($x); } interval:ms:100 { @s = "abcdefgh"; exit(); }`
	info := settled(t, text)
	for n, v := range info.Vars {
		if v.Name == "$x" {
			if !v.Type.Equal(StringType(9)) {
				t.Errorf("%T: $x is %s, want string[9]", n, v.Type)
			}
		}
	}
}

func mustParse(t *testing.T, text string) *Program {
	t.Helper()
	prog, err := Parse(NewSource("-e", text))
	if err != nil {
		t.Fatalf("%.300v", err)
	}
	return prog
}

// settled checks text, which must have no errors.
func settled(t *testing.T, text string) *Info {
	t.Helper()
	c := checkText(text)
	if c.err != nil {
		t.Fatalf("%.1000v", c.err)
	}
	return c.info
}
