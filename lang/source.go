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
	// marks hold, for the lines that are not all ASCII, the columns of
	// runes at most markStep bytes apart, the first at the line's start,
	// in the order of the text: Pos counts runes from the closest mark
	// before an offset, and a line without one is ASCII.
	marks []colMark
	// files holds, for a script with imports, every file of it by name,
	// shared by all of them.
	files map[string]*Source
}

// colMark is the column of the rune at a byte offset.
type colMark struct{ off, col int }

// markStep bounds the bytes Pos decodes: a rune of a line that is not
// ASCII has a mark at most this far before it.
const markStep = 256

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

// byteOrderMark is U+FEFF in UTF-8, which some editors write at the start
// of a file.
const byteOrderMark = "\ufeff"

// NewSource returns a Source for text named name. A UTF-8 byte-order mark
// at the start of text is not part of the script and is dropped: offsets
// and columns count from the first character an editor shows. Indexing
// the text takes time linear in its length; then Pos takes time
// logarithmic in it, whatever the length of the line.
func NewSource(name, text string) *Source {
	text = strings.TrimPrefix(text, byteOrderMark)
	s := &Source{Name: name, Text: text, lines: []int{0}}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			s.lines = append(s.lines, i+1)
		}
	}
	for n, start := range s.lines {
		end := len(text)
		if n+1 < len(s.lines) {
			end = s.lines[n+1]
		}
		s.markLine(start, end)
	}
	return s
}

// markLine adds the marks of the line text[start:end] when it is not ASCII.
func (s *Source) markLine(start, end int) {
	line := s.Text[start:end]
	ascii := true
	for i := 0; i < len(line) && ascii; i++ {
		ascii = line[i] < utf8.RuneSelf
	}
	if ascii {
		return
	}
	last := -markStep
	col := 1
	for off := 0; off < len(line); col++ {
		if off-last >= markStep {
			s.marks = append(s.marks, colMark{start + off, col})
			last = off
		}
		_, n := utf8.DecodeRuneInString(line[off:])
		off += n
	}
}

// Pos returns the position of byte offset off, with its column counted in
// runes from 1 (each byte that is not valid UTF-8 a rune of its own).
func (s *Source) Pos(off int) Pos {
	if off < 0 {
		off = 0
	}
	if off > len(s.Text) {
		off = len(s.Text)
	}
	line := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > off }) - 1
	from := s.countFrom(off, s.lines[line])
	col := from.col + utf8.RuneCountInString(s.Text[from.off:off])
	return Pos{Filename: s.Name, Offset: off, Line: line + 1, Column: col}
}

// countFrom returns the rune Pos counts the column of off from, on the
// line that starts at start: the closest mark before off, or off itself
// on an ASCII line. It is at most markStep bytes before off.
func (s *Source) countFrom(off, start int) colMark {
	m := sort.Search(len(s.marks), func(i int) bool { return s.marks[i].off > off }) - 1
	if m >= 0 && s.marks[m].off >= start {
		return s.marks[m]
	}
	return colMark{off, off - start + 1}
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
