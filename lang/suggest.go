package lang

// suggest returns the candidate closest to name by edit distance, or "" when
// none is close enough to be what the user meant. A name that is one of the
// candidates gets no suggestion: it is not misspelt.
//
// The work is bounded by the few edits allowed: a candidate whose length
// differs from name's by more is skipped unread, and the distance is only
// computed along the diagonal band those edits can reach, so a name of
// 100 KB costs a look at each candidate's length, not 100 KB times each.
func suggest(name string, candidates []string) string {
	// Up to a third of a long name may be wrong; a one-letter name has
	// nothing to go on.
	allowed := min(len(name)/2, 3)
	best, bestDist := "", allowed+1
	for _, c := range candidates {
		if d := len(c) - len(name); d >= bestDist || -d >= bestDist {
			continue // as many insertions or deletions at least
		}
		d := editDistance(name, c, bestDist-1)
		if d == 0 {
			return ""
		}
		if d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the number of single-character insertions, deletions,
// substitutions and swaps of neighbours that turn a into b (the optimal
// string alignment distance): "prinft" is one edit from "printf". A
// distance over limit is returned as limit+1; finding that out takes time
// proportional to len(a) times limit.
func editDistance(a, b string, limit int) int {
	far := limit + 1
	if len(a)-len(b) > limit || len(b)-len(a) > limit {
		return far
	}
	// d[i][j] is the distance between a[:i] and b[:j], kept only within
	// limit of the diagonal (|i-j| <= limit) and capped at far; three rows
	// suffice.
	row := func() []int {
		r := make([]int, len(b)+1)
		for j := range r {
			r[j] = far
		}
		return r
	}
	prev2, prev, cur := row(), row(), row()
	for j := 0; j <= min(len(b), limit); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		// Row i is written on the band [lo, hi] and on the cells next to
		// it, which the rows after it read: the rest is stale.
		lo, hi := max(1, i-limit), min(len(b), i+limit)
		cur[0] = far
		if i <= limit {
			cur[0] = i
		}
		if lo > 1 {
			cur[lo-1] = far
		}
		if hi < len(b) {
			cur[hi+1] = far
		}
		best := cur[0]
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = min(v, far)
			best = min(best, cur[j])
		}
		if best > limit {
			return far // every alignment already needs more edits
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// bpftraceOnly names builtins and functions of bpftrace that hawk does not
// have yet, with what they are. A script using one is told so, not offered
// a lookalike: ustack is not a misspelt kstack.
var bpftraceOnly = map[string]string{}

func init() {
	for _, b := range []string{"sarg0", "sarg1", "sarg2", "sarg3", "sarg4", "sarg5"} {
		bpftraceOnly[b] = "builtin"
	}
}

// notYet returns the message for a name bpftrace knows and hawk does not
// support yet, or "".
func notYet(name string) string {
	what, ok := bpftraceOnly[name]
	if !ok {
		return ""
	}
	return quote(name) + " is a bpftrace " + what + " that hawk does not support yet"
}
