package output

import (
	"bufio"
	"fmt"
	"io"
)

// Writer renders what a script outputs, in one of bpftrace's formats.
// Methods buffer; Flush writes out, and returns the first write error
// (a closed pipe, a full disk), after which nothing more is written.
type Writer interface {
	// Printf writes one printf's text.
	Printf(text []byte)
	// Message writes the output of an action other than printf: time(),
	// cat(), join(), system().
	Message(kind MessageKind, text string)
	// Map writes one map, named with its @.
	Map(name string, kind MapKind, v Value)
	// Value writes a value printed with print(value).
	Value(v Value)
	// Attached announces how many probes are attached.
	Attached(n int)
	// Lost reports events the kernel dropped since the last report.
	Lost(n uint64)
	// Diagnostic writes an errorf(), a warnf() or a runtime problem,
	// located in the script.
	Diagnostic(d Diagnostic)
	// End marks the end of the run, before the maps are printed.
	End()
	// Flush writes out what is buffered.
	Flush() error
}

// MessageKind tells which action produced a Message.
type MessageKind int

// Actions whose output is a message.
const (
	MessageTime MessageKind = iota
	MessageCat
	MessageJoin
	MessageSystem
)

// MapKind tells how a map aggregates, where the output shows it.
type MapKind int

// Map kinds.
const (
	PlainMap MapKind = iota
	StatsMap         // avg() and stats(): JSON calls these "stats"
)

// Severity is how bad a Diagnostic is.
type Severity int

// Severities.
const (
	Warning Severity = iota
	Error
)

// Diagnostic is a message located in the script: errorf(), warnf(), or a
// problem found at run time such as a full map.
type Diagnostic struct {
	Severity Severity
	Msg      string
	// Where in the script: file name, line and column, and the column
	// where the construct ends (on the same line).
	File            string
	Line, Col, ECol int
	// Context is the source line and a caret under the construct, shown
	// below the message in text.
	Context []string
	// Runtime marks a problem hawk found, not a message the script wrote;
	// Helper and Retcode name the BPF helper that failed, when one did.
	Runtime bool
	Helper  string
	Retcode int
	// HelperFailed marks the failure of a helper (-k): Msg is its error
	// ("Bad address"), which text writes as bpftrace does: "Failed to
	// HELPER: MSG (RETCODE)".
	HelperFailed bool
}

// location is how bpftrace writes a diagnostic's place: file:line:col-end.
func (d Diagnostic) location() string {
	if d.ECol > d.Col {
		return fmt.Sprintf("%s:%d:%d-%d", fileName(d.File), d.Line, d.Col, d.ECol)
	}
	return fmt.Sprintf("%s:%d:%d", fileName(d.File), d.Line, d.Col)
}

// BufferMode is when buffered output is written out (bpftrace's -B).
type BufferMode int

// Buffer modes.
const (
	// BufferAuto writes out when the caller flushes: hawk does so whenever
	// no more events are waiting, so a burst is written in one go and a
	// lone event at once.
	BufferAuto BufferMode = iota
	BufferLine            // after every line
	BufferFull            // only when the buffer is full, and at exit
	BufferNone            // after every write
)

// ParseBufferMode reads a -B value: line, full or none.
func ParseBufferMode(s string) (BufferMode, error) {
	switch s {
	case "line":
		return BufferLine, nil
	case "full":
		return BufferFull, nil
	case "none":
		return BufferNone, nil
	}
	return 0, fmt.Errorf("invalid buffer mode %q: expected line, full or none", s)
}

// sink is the buffered stream a writer writes to, flushed as its mode
// says. After a write error it drops everything.
type sink struct {
	w    *bufio.Writer
	mode BufferMode
	err  error
}

func newSink(w io.Writer, mode BufferMode) *sink {
	return &sink{w: bufio.NewWriterSize(w, 64<<10), mode: mode}
}

// done is called after each whole piece of output, saying whether it
// wrote a newline: the mode decides whether it is written out now.
func (s *sink) done(newline bool) {
	if s.mode == BufferNone || s.mode == BufferLine && newline {
		s.flush()
	}
}

func (s *sink) flush() error {
	if s.err == nil {
		s.err = s.w.Flush()
	}
	return s.err
}

// Format is an output format: text or json.
type Format int

// Output formats.
const (
	FormatText Format = iota
	FormatJSON
)

// ParseFormat reads a -f value.
func ParseFormat(s string) (Format, error) {
	switch s {
	case "text":
		return FormatText, nil
	case "json":
		return FormatJSON, nil
	}
	return 0, fmt.Errorf("invalid output format %q: expected text or json", s)
}

// New returns a writer of the format: output goes to out; in text, the
// banner, lost events and diagnostics go to errs.
func New(f Format, out, errs io.Writer, mode BufferMode) Writer {
	if f == FormatJSON {
		return NewJSON(out, mode)
	}
	return NewText(out, errs, mode)
}
