package lang

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Severity tells errors from warnings.
type Severity int

// Severities of a diagnostic.
const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Diagnostic is one message about a span of a source text.
type Diagnostic struct {
	Src      *Source
	Start    int // byte offsets into Src.Text; End == Start marks a point
	End      int
	Severity Severity
	Msg      string
	Hint     string // optional, e.g. `did you mean "nsecs"?`
}

// Pos returns the position where d starts.
func (d *Diagnostic) Pos() Pos {
	if d.Src == nil {
		return Pos{}
	}
	return d.Src.Pos(d.shownStart())
}

// shownStart is where d is shown to start. A point at the very end of the
// text ("unexpected end of input") is shown right after the last thing
// written, not on the empty line a final newline leaves.
func (d *Diagnostic) shownStart() int {
	if text := d.Src.Text; d.Start == len(text) && d.End <= d.Start {
		return len(strings.TrimRight(text, " \t\r\n"))
	}
	return d.Start
}

// Error renders d in full: position, message, source line, caret and hint.
func (d *Diagnostic) Error() string {
	var b strings.Builder
	d.write(&b)
	return strings.TrimSuffix(b.String(), "\n")
}

func (d *Diagnostic) write(b *strings.Builder) {
	if d.Src == nil {
		fmt.Fprintf(b, "%s: %s\n", d.Severity, d.Msg)
		if d.Hint != "" {
			fmt.Fprintf(b, "hint: %s\n", d.Hint)
		}
		return
	}
	start := d.shownStart()
	p := d.Src.Pos(start)
	fmt.Fprintf(b, "%s: %s: %s\n", p, d.Severity, d.Msg)
	lineStart := d.Src.lines[p.Line-1]
	line := d.Src.Line(p.Line)
	at := min(start-lineStart, len(line))
	from, to := shownWindow(line, at)
	pre, post := "", ""
	if from > 0 {
		pre = "..."
	}
	if to < len(line) {
		post = "..."
	}
	shown := pre + printable(line[from:to]) + post
	b.WriteString("    ")
	b.WriteString(shown)
	b.WriteString("\n    ")
	// The marker runs to the end of the span or of what is shown of the
	// line; blanks the parser took after a token are not part of it.
	end := start + len(strings.TrimRight(d.Src.Snippet(start, d.End), " \t\r\n"))
	end = min(end, lineStart+to)
	col := len(pre) + utf8.RuneCountInString(printable(line[from:at])) + 1
	b.WriteString(Marker(shown, col, utf8.RuneCountInString(d.Src.Snippet(start, end))))
	b.WriteByte('\n')
	if d.Hint != "" {
		fmt.Fprintf(b, "hint: %s\n", d.Hint)
	}
}

// A diagnostic shows at most shownLine bytes of a long source line: a
// window that starts shownBefore bytes before where the diagnostic
// points, with "..." where the line goes on. A line of a generated
// script may be megabytes long; a hundred diagnostics on it must not
// print it a hundred times.
const (
	shownLine   = 160
	shownBefore = 60
)

// printable returns s with what a terminal would not show one column wide
// made visible, one rune for one: a control character but the tab as its
// Unicode control picture (NUL as ␀), a byte that is not UTF-8 as U+FFFD.
// The caret under it then stays in its column.
func printable(s string) string {
	clean := true
	for i := 0; i < len(s) && clean; i++ {
		clean = s[i] >= ' ' && s[i] < 0x7f || s[i] == '\t'
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s { // a byte that is not UTF-8 is U+FFFD already
		switch {
		case r < ' ' && r != '\t':
			r += 0x2400
		case r == 0x7f:
			r = 0x2421
		}
		b.WriteRune(r)
	}
	return b.String()
}

// shownWindow returns the part of line, as [from, to), shown for a
// diagnostic at byte at of it; it splits no UTF-8 sequence.
func shownWindow(line string, at int) (from, to int) {
	if len(line) <= shownLine {
		return 0, len(line)
	}
	from = max(0, at-shownBefore)
	for from > 0 && !utf8.RuneStart(line[from]) {
		from--
	}
	to = min(len(line), from+shownLine)
	for to < len(line) && !utf8.RuneStart(line[to]) {
		to++
	}
	return from, to
}

// Marker returns the line that marks width runes of line from column col
// (counted in runes from 1): a caret, then tildes, under blanks that copy
// the line's tabs so that the marks stay under the text.
func Marker(line string, col, width int) string {
	var b strings.Builder
	prefix := line
	if n := runeOffset(line, col-1); n <= len(line) {
		prefix = line[:n]
	}
	for _, r := range prefix {
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	b.WriteByte('^')
	if width > 1 {
		b.WriteString(strings.Repeat("~", width-1))
	}
	return b.String()
}

func runeOffset(s string, runes int) int {
	off := 0
	for i := 0; i < runes && off < len(s); i++ {
		_, n := utf8.DecodeRuneInString(s[off:])
		off += n
	}
	return off
}

// Diagnostics is a list of diagnostics; it is an error when it holds an error.
type Diagnostics []*Diagnostic

// Add appends an error about the span of n.
func (l *Diagnostics) Add(src *Source, n Node, format string, args ...any) *Diagnostic {
	return l.AddSpan(src.For(n), n.Start().Offset, n.End().Offset, format, args...)
}

// MaxDiagnostics is how many diagnostics a list keeps. Past it, AddSpan
// adds one saying that hawk stopped reporting, and drops the rest: a
// generated script with one mistake repeated a million times is not
// reported a million times.
const MaxDiagnostics = 100

// AddSpan appends an error about the byte range [start, end) of src. The
// same message about the same span is kept once: code that is checked
// several times, such as a macro body expanded at every call, reports its
// mistakes once. The diagnostics after MaxDiagnostics are dropped.
func (l *Diagnostics) AddSpan(src *Source, start, end int, format string, args ...any) *Diagnostic {
	if l.full() {
		// Dropped, and not even written: a message may name large types.
		return &Diagnostic{Src: src, Start: start, End: end}
	}
	d := &Diagnostic{Src: src, Start: start, End: end, Msg: fmt.Sprintf(format, args...)}
	for _, old := range *l {
		if old.Src == src && old.Start == start && old.End == end && old.Msg == d.Msg {
			return d // detached: setting its hint changes nothing
		}
	}
	switch n := len(*l); {
	case n == MaxDiagnostics:
		*l = append(*l, &Diagnostic{Src: src, Start: start, End: start,
			Msg: fmt.Sprintf("too many errors: hawk stops after %d; here is the next", MaxDiagnostics)})
		return d
	case n > MaxDiagnostics:
		return d
	}
	*l = append(*l, d)
	return d
}

// full reports whether l is past MaxDiagnostics: AddSpan keeps nothing
// more.
func (l Diagnostics) full() bool { return len(l) > MaxDiagnostics }

// HasErrors reports whether l holds at least one error.
func (l Diagnostics) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Err returns l as an error when it holds an error, else nil.
func (l Diagnostics) Err() error {
	if !l.HasErrors() {
		return nil
	}
	return l
}

// Sort orders l by position.
func (l Diagnostics) Sort() {
	sort.SliceStable(l, func(i, j int) bool { return l[i].Start < l[j].Start })
}

// Error renders every diagnostic in l, one after another.
func (l Diagnostics) Error() string {
	var b strings.Builder
	for _, d := range l {
		d.write(&b)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// Merge joins the diagnostics of several errors, in position order. Errors
// that are not Diagnostics are kept as messages without a position.
func Merge(errs ...error) error {
	var all Diagnostics
	for _, err := range errs {
		switch err := err.(type) {
		case nil:
		case Diagnostics:
			all = append(all, err...)
		default:
			all = append(all, &Diagnostic{Msg: err.Error()})
		}
	}
	all.Sort()
	return all.Err()
}
