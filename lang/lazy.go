package lang

import (
	"regexp"
	"sync"
)

// lazyRegexp returns a function that compiles pattern on its first call
// and returns the same expression at every call. Compiling the front end's
// expressions in init made every run pay for them, `hawk --version` and
// scripts that never read a directive included.
func lazyRegexp(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}
