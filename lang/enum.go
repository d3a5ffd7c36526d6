package lang

import "sync"

// The tables of builtins, functions and probe kinds are arrays indexed by
// an enum whose zero value is Invalid and whose last value counts them.

// enumValues lists the valid values of an enum: 1 up to, without, n.
func enumValues[T ~int](n T) []T {
	var vs []T
	for v := T(1); v < n; v++ {
		vs = append(vs, v)
	}
	return vs
}

// nameIndex returns a function that finds the value one of whose
// spellings is name, or 0. Its map is built at the first lookup, once:
// the checker looks up every identifier and call, and a walk over the
// tables at each made a quarter of checking a large script. Of values
// spelt alike, the first wins.
func nameIndex[T ~int](n T, spellings func(T) []string) func(name string) T {
	index := sync.OnceValue(func() map[string]T {
		m := make(map[string]T)
		for _, v := range enumValues(n) {
			for _, s := range spellings(v) {
				if _, ok := m[s]; !ok {
					m[s] = v
				}
			}
		}
		return m
	})
	return func(name string) T { return index()[name] }
}

// allSpellings lists every spelling of every value, for hints.
func allSpellings[T ~int](n T, spellings func(T) []string) []string {
	var all []string
	for _, v := range enumValues(n) {
		all = append(all, spellings(v)...)
	}
	return all
}
