// Package repl is hawk's interactive session. Probe blocks typed one after
// another are compiled and attached beside those already running, and all
// of them share the session's maps; bare statements and expressions run
// once, as a BEGIN block, and print their value; commands that begin with
// a '.' list, detach, watch, load and save probes.
//
// The REPL reads through a LineReader: hawk's command gives it a terminal
// line editor (github.com/peterh/liner), tests and scripts a plain reader.
package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
	"github.com/hawktrace/hawk/runtime/kernel"
)

// Prompts: the first line of an entry, and the lines that continue an
// unfinished one.
const (
	Prompt         = "hawk> "
	ContinuePrompt = "...   "
)

// LineReader reads input a line at a time.
type LineReader interface {
	// Prompt shows prompt and returns the next line, without its newline.
	// io.EOF ends the session (Ctrl-D); ErrInterrupted drops what was
	// typed of the entry (Ctrl-C).
	Prompt(prompt string) (string, error)
}

// ErrInterrupted is what a LineReader returns when Ctrl-C is pressed at
// the prompt.
var ErrInterrupted = errors.New("interrupted")

// Config configures a REPL.
type Config struct {
	// Stdout receives what probes print and maps; Stderr the REPL's own
	// messages and errors. Both may be written from several goroutines:
	// probes print while the next line is read.
	Stdout, Stderr io.Writer
	// Runtime holds the output format and buffering; its writers are
	// Stdout and Stderr.
	Runtime runtime.Options
	// Env tells the checker about the system; nil reads it from the
	// kernel.
	Env lang.Env
	// Environ, Unsafe and PerfSyscalls are as in hawk.Config.
	Environ      []string
	Unsafe       bool
	PerfSyscalls bool
	// Terminal says Stdout is a terminal: .watch redraws the screen, and
	// ends on Enter typed on Input.
	Terminal bool
	// Input is where .watch reads Enter from when Terminal is set: the
	// terminal, or the pipe the line editor reads its keys from; nil is
	// os.Stdin.
	Input *os.File
	// IncludeDirs and Includes are as in hawk.Config (-I, --include).
	IncludeDirs, Includes []string
}

// REPL is an interactive session.
type REPL struct {
	cfg Config
	env lang.Env
	// kenv is the kernel's Env, which caches what it read (BTF, tracefs),
	// for listing and completion; nil when Config.Env is another.
	kenv    *kernel.Env
	live    *runtime.Live
	entries []*entry // every entry compiled and run, in order
	probes  []*probe // numbered from 1; appended under pmu
	begins  []string // the text of the BEGIN probes that ran, for .save
	maps    []string // the session's map names, for completion
	pending []string // the lines of an unfinished entry
	history History  // where entries go once they end; nil for none
	inputs  int      // entries read, to name them

	pmu     sync.Mutex // probes, for the goroutine that samples their hits
	mu      sync.Mutex
	cancel  context.CancelFunc // stops the running command
	endOnce sync.Once
}

// probe is a probe typed in the session.
type probe struct {
	num   int
	text  string // its attach points as typed
	body  string // its whole text, for .save
	unit  *runtime.Unit
	index int // in the unit's script
	// prints is set when its actions call an output function; seen is
	// its hits when last sampled, fired when they last grew (under
	// REPL.pmu).
	prints bool
	seen   uint64
	fired  time.Time
}

// New returns a REPL with nothing attached.
func New(cfg Config) *REPL {
	if cfg.Stdout == nil {
		cfg.Stdout = os.Stdout
	}
	if cfg.Stderr == nil {
		cfg.Stderr = os.Stderr
	}
	r := &REPL{cfg: cfg, env: cfg.Env}
	if r.env == nil {
		r.env = &kernel.Env{}
	}
	r.kenv, _ = r.env.(*kernel.Env)
	opts := cfg.Runtime
	opts.Stdout, opts.Stderr = cfg.Stdout, cfg.Stderr
	r.live = runtime.NewLive(opts)
	return r
}

func (r *REPL) langConfig() lang.Config {
	return lang.Config{Environ: r.cfg.Environ, Unsafe: r.cfg.Unsafe, IncludeDirs: r.cfg.IncludeDirs, Includes: r.cfg.Includes, Session: true}
}

// Run reads entries until .quit, the end of input or ctx is done; then it
// detaches every probe, runs the END probes, prints the maps as a
// script's exit does, and leaves nothing in the kernel.
func (r *REPL) Run(ctx context.Context, in LineReader) error {
	done := make(chan struct{})
	defer func() {
		close(done)
		r.Stop()
	}()
	go r.watchExits(done)
	go r.watchPrinting(done)
	r.history, _ = in.(History)
	for ctx.Err() == nil {
		prompt := Prompt
		if len(r.pending) > 0 {
			prompt = ContinuePrompt
		}
		line, err := in.Prompt(prompt)
		switch {
		case errors.Is(err, ErrInterrupted) && len(r.pending) > 0:
			// The entry is dropped; history keeps it all the same.
			r.remember(r.pending)
			r.pending = nil
			continue
		case errors.Is(err, ErrInterruptedEmpty):
			r.stopPrinting()
			continue
		case errors.Is(err, ErrInterrupted):
			continue
		case errors.Is(err, io.EOF):
			if len(r.pending) > 0 {
				r.errorf("%s: unexpected end of input: the entry is unfinished", r.nextName())
			}
			return nil
		case err != nil:
			return err
		}
		if ctx.Err() != nil {
			return nil
		}
		if r.Line(line) == errQuit {
			return nil
		}
	}
	return nil
}

// Stop ends the session as .quit does, from any goroutine (hawk calls it
// on SIGTERM): it detaches every probe, runs the END probes, prints the
// maps and leaves nothing in the kernel. Only the first call does.
func (r *REPL) Stop() { r.endOnce.Do(r.end) }

// end ends the session as a script's end does.
func (r *REPL) end() {
	if err := r.live.End(); err != nil {
		r.errorf("hawk: error: %v", err)
	}
	r.live.Close()
}

// watchExits ends what runs when a probe calls exit(), as a script would
// end; the session goes on.
func (r *REPL) watchExits(done <-chan struct{}) {
	for {
		select {
		case <-r.live.Exited():
			if err := r.live.End(); err != nil {
				r.errorf("hawk: error: %v", err)
			}
			r.errorf("%s", exitMessage)
		case <-done:
			return
		}
	}
}

// exitMessage says what exit() did to the session.
const exitMessage = "exit() was called: every probe is detached; the maps stay"

// errQuit is what Line returns for .quit.
var errQuit = errors.New("quit")

// Line handles one line of input: a command, or a line of an entry, which
// runs once complete. A line that begins with '.' is a command even
// inside an unfinished entry, which is kept; two empty lines in a row end
// an unfinished entry with the parser's error. It returns an error only
// for .quit.
func (r *REPL) Line(line string) error {
	t := strings.TrimSpace(line)
	switch {
	case isCommand(t):
		r.remember([]string{t})
		err := r.command(t)
		if err == nil && len(r.pending) > 0 {
			r.errorf("%s is unfinished: type the rest of it, or Ctrl-C to drop it", r.nextName())
		}
		return err
	case t == "" && len(r.pending) == 0:
		return nil
	case t == "" && strings.TrimSpace(r.pending[len(r.pending)-1]) == "":
		// The second empty line: the entry ends as it is.
		_, _, err := newEntry(r.nextName(), strings.Join(r.pending, "\n"))
		r.endEntry()
		if err != nil {
			r.report(err)
		}
		return nil
	}
	r.pending = append(r.pending, line)
	e, incomplete, err := newEntry(r.nextName(), strings.Join(r.pending, "\n"))
	if incomplete {
		return nil
	}
	r.endEntry()
	switch {
	case err != nil:
		r.report(err)
	case e.mapEntry:
		r.printEntry(e)
	default:
		r.run(e)
	}
	return nil
}

// isCommand reports whether a line, trimmed, is a command: it begins
// with '.', but not with "..".
func isCommand(t string) bool {
	return strings.HasPrefix(t, ".") && !strings.HasPrefix(t, "..")
}

// endEntry ends the entry being read, whether it runs or not: it gets its
// name, and history keeps it.
func (r *REPL) endEntry() {
	r.remember(r.pending)
	r.pending = nil
	r.inputs++
}

// nextName names the next entry, for messages: in[N].
func (r *REPL) nextName() string { return fmt.Sprintf("in[%d]", r.inputs+1) }

// run compiles an entry, attaches its probes and numbers them.
func (r *REPL) run(e *entry) {
	c, err := r.compile(e)
	if err != nil {
		r.report(err)
		return
	}
	u, err := r.live.Add(c.out)
	if err != nil {
		r.report(err)
		return
	}
	if u.Exited() {
		r.errorf("%s", exitMessage)
	}
	r.entries = append(r.entries, e)
	r.maps = slices.Clone(c.info.MapOrder)
	if e.stmts {
		return
	}
	for i, p := range c.probes {
		text, body := pointsText(e.src, p), probeText(e.src, p)
		if !u.Attached(i) {
			// A BEGIN probe that ran, or one exit() detached: only
			// the probes attached take a number. .save writes the
			// BEGIN probes too.
			if text == "BEGIN" || text == "begin" {
				r.begins = append(r.begins, body)
			}
			continue
		}
		pr := &probe{num: len(r.probes) + 1, unit: u, index: i, text: text, body: body, prints: prints(c.info, p)}
		r.pmu.Lock()
		r.probes = append(r.probes, pr)
		r.pmu.Unlock()
		r.errorf("[%d] %s", pr.num, pr.text)
	}
}

// pointsText is a probe's attach points as typed.
func pointsText(src *lang.Source, p *lang.Probe) string {
	src = src.For(p)
	end := p.Body.Pos.Offset
	if p.Pred != nil {
		end = p.Pred.Pos.Offset
	}
	return strings.Join(strings.Fields(src.Snippet(p.Pos.Offset, end)), " ")
}

// probeText is a probe's whole text.
func probeText(src *lang.Source, p *lang.Probe) string {
	return src.For(p).Snippet(p.Pos.Offset, p.Body.EndPos.Offset)
}

// report prints an error: diagnostics with their caret, others as hawk
// prints them.
func (r *REPL) report(err error) {
	var diags lang.Diagnostics
	var loadErr *runtime.LoadError
	switch {
	case errors.As(err, &diags):
		r.errorf("%s", diags.Error())
	case errors.As(err, &loadErr) && loadErr.Positioned():
		r.errorf("%s", loadErr.Error()) // entry:line:col: error: ...
	default:
		r.errorf("hawk: error: %v", err)
	}
}

// errorf writes a line of the REPL's own to Stderr.
func (r *REPL) errorf(format string, args ...any) {
	fmt.Fprintf(r.cfg.Stderr, format+"\n", args...)
}

// Interrupt stops the running command (.watch) and reports whether one
// ran. hawk calls it on Ctrl-C when no line is being edited.
func (r *REPL) Interrupt() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cancel == nil {
		return false
	}
	r.cancel()
	return true
}

// interruptible returns a context that Interrupt cancels, and its release.
func (r *REPL) interruptible() (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	r.mu.Lock()
	r.cancel = cancel
	r.mu.Unlock()
	return ctx, func() {
		r.mu.Lock()
		r.cancel = nil
		r.mu.Unlock()
		cancel()
	}
}
