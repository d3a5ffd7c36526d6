package lang

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Pos is a position in a source text. Its layout matches participle's
// lexer.Position so that the parser fills it in; Offset is the truth, Line
// and Column are kept for convenience.
type Pos struct {
	Filename string
	Offset   int
	Line     int
	Column   int
}

// IsValid reports whether p was set.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String renders p as file:line:col.
func (p Pos) String() string {
	return fmt.Sprintf("%s:%d:%d", p.Filename, p.Line, p.Column)
}

// Source is one script text with its name ("-e", "stdin" or a path).
type Source struct {
	Name  string
	Text  string
	lines []int // byte offset of the start of each line
	// files holds, for a script with imports, every file of it by name,
	// shared by all of them.
	files map[string]*Source
}

// For returns the source n was parsed from: s, or a file s imported or
// that imported s.
func (s *Source) For(n Node) *Source {
	if s == nil || n == nil {
		return s
	}
	return s.File(n.Start().Filename)
}

// File returns the source named name among s and the files it imported or
// that imported it; s when there is none.
func (s *Source) File(name string) *Source {
	if s != nil && name != s.Name && s.files[name] != nil {
		return s.files[name]
	}
	return s
}

// NewSource returns a Source for text named name.
func NewSource(name, text string) *Source {
	s := &Source{Name: name, Text: text, lines: []int{0}}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			s.lines = append(s.lines, i+1)
		}
	}
	return s
}

// Pos returns the position of byte offset off, with its column counted in
// runes from 1.
func (s *Source) Pos(off int) Pos {
	if off < 0 {
		off = 0
	}
	if off > len(s.Text) {
		off = len(s.Text)
	}
	line := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > off }) - 1
	col := utf8.RuneCountInString(s.Text[s.lines[line]:off]) + 1
	return Pos{Filename: s.Name, Offset: off, Line: line + 1, Column: col}
}

// Line returns the text of line n (from 1) without its newline.
func (s *Source) Line(n int) string {
	if n < 1 || n > len(s.lines) {
		return ""
	}
	start := s.lines[n-1]
	end := len(s.Text)
	if n < len(s.lines) {
		end = s.lines[n] - 1
	}
	return strings.TrimSuffix(s.Text[start:end], "\r")
}

// Snippet returns the text between two offsets.
func (s *Source) Snippet(start, end int) string {
	if start < 0 || end > len(s.Text) || start > end {
		return ""
	}
	return s.Text[start:end]
}
