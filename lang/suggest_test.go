package lang

import (
	"math/rand"
	"strings"
	"testing"
)

// fullDistance is the optimal string alignment distance over the whole
// table, as editDistance computed it before it was bounded.
func fullDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// TestEditDistance compares the bounded distance with the full one on
// random words over a small alphabet, where near misses abound.
func TestEditDistance(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	word := func() string {
		b := make([]byte, rng.Intn(12))
		for i := range b {
			b[i] = "abc"[rng.Intn(3)]
		}
		return string(b)
	}
	for range 20000 {
		a, b, limit := word(), word(), rng.Intn(6)
		want := min(fullDistance(a, b), limit+1)
		if got := editDistance(a, b, limit); got != want {
			t.Fatalf("editDistance(%q, %q, %d) = %d, want %d", a, b, limit, got, want)
		}
	}
	if got := editDistance("prinft", "printf", 3); got != 1 {
		t.Errorf("prinft: %d", got)
	}
}

// TestSuggestLongName looks for a name of 1 MB among 20,000 candidates,
// and among candidates as long as it: the work is bounded by the three
// edits a suggestion may be away, not by the lengths. A 100 KB tracepoint
// name took from 3 to 32 s to find no suggestion for; these took hours.
func TestSuggestLongName(t *testing.T) {
	long := strings.Repeat("sys_enter_", 100_000)
	var short []string
	for i := range 20_000 {
		short = append(short, "syscalls:sys_enter_"+strings.Repeat("x", i%40))
	}
	if s := suggest(long, short); s != "" {
		t.Errorf("suggested %.40q for a name far from every candidate", s)
	}
	// One swap of neighbours away, and two edits away (a deletion and a
	// substitution), among others as long but further away.
	swapped := long[:500_000] + long[500_001:500_002] + long[500_000:500_001] + long[500_002:]
	near := long[:300_000] + long[300_001:600_000] + "Q" + long[600_001:]
	if s := suggest(swapped, []string{strings.Repeat("x", len(long)), near, long}); s != long {
		t.Errorf("suggested %.40q, want the name one swap away", s)
	}
	if s := suggest(long, []string{near, strings.ToUpper(long)}); s != near {
		t.Errorf("suggested %.40q, want the name two edits away", s)
	}
}
