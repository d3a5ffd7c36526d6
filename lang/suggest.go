package lang

// suggest returns the candidate closest to name by edit distance, or "" when
// none is close enough to be what the user meant. A name that is one of the
// candidates gets no suggestion: it is not misspelt.
func suggest(name string, candidates []string) string {
	// Up to a third of a long name may be wrong; a one-letter name has
	// nothing to go on.
	allowed := min(len(name)/2, 3)
	best, bestDist := "", allowed+1
	for _, c := range candidates {
		d := editDistance(name, c)
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
// string alignment distance): "prinft" is one edit from "printf".
func editDistance(a, b string) int {
	// d[i][j] is the distance between a[:i] and b[:j]; three rows suffice.
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
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
	for _, b := range []string{"numaid", "usermode", "sarg0", "sarg1", "sarg2", "sarg3", "sarg4", "sarg5"} {
		bpftraceOnly[b] = "builtin"
	}
	for _, f := range []string{"cgroupid", "cgroup_path", "debugf", "macaddr", "override", "path",
		"percpu_kaddr", "pton", "reg", "skboutput", "socket_cookie", "strerror", "unwatch"} {
		bpftraceOnly[f] = "function"
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
