package lang

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

// lookupName returns the value one of whose spellings is name, or 0.
func lookupName[T ~int](n T, spellings func(T) []string, name string) T {
	for _, v := range enumValues(n) {
		for _, s := range spellings(v) {
			if s == name {
				return v
			}
		}
	}
	return 0
}

// allSpellings lists every spelling of every value, for hints.
func allSpellings[T ~int](n T, spellings func(T) []string) []string {
	var all []string
	for _, v := range enumValues(n) {
		all = append(all, spellings(v)...)
	}
	return all
}
