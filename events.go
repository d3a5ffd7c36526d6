package hawk

import (
	"fmt"
	"sync"

	"github.com/hawktrace/hawk/runtime/output"
)

// Event is one piece of output of a running script, decoded: a
// *PrintfEvent, *MessageEvent, *PrintEvent, *MapEvent, *DiagnosticEvent,
// *LostEvent, *AttachedEvent or *EndEvent. Events arrive in the order the
// script produced them (StartOptions.OnEvent, StartOptions.Events).
type Event interface {
	event()
}

// PrintfEvent is the text of one printf(), formatted, newline included
// where the format has one.
type PrintfEvent struct {
	Text string
}

// MessageKind tells which action a MessageEvent comes from.
type MessageKind = output.MessageKind

// The actions whose output is a MessageEvent.
const (
	MessageTime   = output.MessageTime   // time()
	MessageCat    = output.MessageCat    // cat()
	MessageJoin   = output.MessageJoin   // join()
	MessageSystem = output.MessageSystem // system()
)

// MessageEvent is the text of a time(), cat(), join() or system(), as
// hawk prints it.
type MessageEvent struct {
	Kind MessageKind
	Text string
}

// PrintEvent is a value the script printed with print(value).
type PrintEvent struct {
	Value Value
}

// MapEvent is a map the script printed with print(@name), or, after the
// EndEvent (AtExit), one of the maps printed when the run ends. Value is
// as Running.Map returns it.
type MapEvent struct {
	Name   string
	Value  Value
	AtExit bool
}

// DiagnosticEvent is an errorf(), a warnf(), or a problem hawk found at
// run time (a full map, a division by zero), located in the script.
type DiagnosticEvent struct {
	output.Diagnostic
}

// String returns the diagnostic as a line: "file:line:col: warning: msg".
func (d *DiagnosticEvent) String() string {
	sev := "warning"
	if d.Severity == output.Error {
		sev = "error"
	}
	return fmt.Sprintf("%s:%d:%d: %s: %s", d.File, d.Line, d.Col, sev, d.Msg)
}

// LostEvent says the kernel dropped Count events since the last report:
// its ring buffer had no room for them (a reader too slow, a burst).
type LostEvent struct {
	Count uint64
}

// AttachedEvent says every probe is attached (and BEGIN has run): Probes
// counts them, BEGIN and END included.
type AttachedEvent struct {
	Probes int
}

// EndEvent marks the end of the run: the probes are detached and END has
// run. The maps printed at exit follow, as MapEvents with AtExit set.
type EndEvent struct{}

func (*PrintfEvent) event()     {}
func (*MessageEvent) event()    {}
func (*PrintEvent) event()      {}
func (*MapEvent) event()        {}
func (*DiagnosticEvent) event() {}
func (*LostEvent) event()       {}
func (*AttachedEvent) event()   {}
func (*EndEvent) event()        {}

// eventWriter is the output.Writer of a script started with Start: it
// turns each piece of output into an Event and hands it to send.
type eventWriter struct {
	mu    sync.Mutex // the session calls from its event loop and its end
	send  func(Event)
	ended bool
	// atExit holds the values of the maps printed at exit, by name: the
	// maps' final values, which need not be read again.
	atExit map[string]Value
}

var _ output.Writer = (*eventWriter)(nil)

func (w *eventWriter) emit(e Event) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.send(e)
}

// Printf sends a PrintfEvent.
func (w *eventWriter) Printf(text []byte) { w.emit(&PrintfEvent{Text: string(text)}) }

// Message sends a MessageEvent.
func (w *eventWriter) Message(kind output.MessageKind, text string) {
	w.emit(&MessageEvent{Kind: kind, Text: text})
}

// Map sends a MapEvent.
func (w *eventWriter) Map(name string, kind output.MapKind, v output.Value) {
	e := &MapEvent{Name: name, Value: goValue(&v)}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ended {
		e.AtExit = true
		if w.atExit == nil {
			w.atExit = map[string]Value{}
		}
		w.atExit[name] = e.Value
	}
	w.send(e)
}

// printedAtExit returns the value of the map called name as it was
// printed at exit, if it was.
func (w *eventWriter) printedAtExit(name string) (Value, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	v, ok := w.atExit[name]
	return v, ok
}

// Value sends a PrintEvent.
func (w *eventWriter) Value(v output.Value) { w.emit(&PrintEvent{Value: goValue(&v)}) }

// Attached sends an AttachedEvent.
func (w *eventWriter) Attached(n int) { w.emit(&AttachedEvent{Probes: n}) }

// Lost sends a LostEvent.
func (w *eventWriter) Lost(n uint64) { w.emit(&LostEvent{Count: n}) }

// Diagnostic sends a DiagnosticEvent.
func (w *eventWriter) Diagnostic(d output.Diagnostic) { w.emit(&DiagnosticEvent{Diagnostic: d}) }

// End sends an EndEvent; the maps that follow are the exit's.
func (w *eventWriter) End() {
	w.mu.Lock()
	w.ended = true
	w.mu.Unlock()
	w.emit(&EndEvent{})
}

// Flush has nothing to write out: every event was sent.
func (w *eventWriter) Flush() error { return nil }
