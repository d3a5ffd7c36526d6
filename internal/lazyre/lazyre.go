// Package lazyre holds regular expressions compiled on first use rather
// than when the program starts: every package-level regexp.MustCompile
// costs each run of hawk, --version included, its compilation, though
// most runs never match it.
package lazyre

import (
	"regexp"
	"sync"
)

// Regexp is a regular expression compiled the first time it is used. Its
// methods are regexp.Regexp's.
type Regexp struct {
	compile func() *regexp.Regexp
}

// New returns expr, to be compiled on first use; a bad expr panics then,
// as regexp.MustCompile does.
func New(expr string) *Regexp {
	return &Regexp{compile: sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })}
}

// Get returns the compiled regular expression.
func (r *Regexp) Get() *regexp.Regexp { return r.compile() }

// MatchString reports whether s contains a match.
func (r *Regexp) MatchString(s string) bool { return r.compile().MatchString(s) }

// FindString returns the leftmost match in s, or "".
func (r *Regexp) FindString(s string) string { return r.compile().FindString(s) }

// FindStringSubmatch returns the leftmost match in s and its submatches.
func (r *Regexp) FindStringSubmatch(s string) []string { return r.compile().FindStringSubmatch(s) }

// FindSubmatchIndex returns the positions of the leftmost match in b and
// of its submatches.
func (r *Regexp) FindSubmatchIndex(b []byte) []int { return r.compile().FindSubmatchIndex(b) }
