package hawk

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/cilium/ebpf"

	"github.com/hawktrace/hawk/runtime"
	"github.com/hawktrace/hawk/runtime/output"
)

// StartOptions configure Start.
type StartOptions struct {
	// Runtime are the options of the run (Pid, Cpid, NoWarnings, Stderr,
	// ...). Its output options (Writer, Stdout, Format, Buffer, Quiet)
	// are not read: the script's output becomes events.
	Runtime runtime.Options
	// OnEvent, when set, is called with each event the script outputs,
	// in order, from one goroutine of its own: the script's event loop
	// does not wait for it (events queue meanwhile), and it may read the
	// script's maps.
	OnEvent func(Event)
	// Events, when set, receives each event the script outputs, in order
	// (after OnEvent has seen it). Start closes it once the run has ended
	// and its last event is sent, or when Start fails, so a range loop
	// over it ends. Read it until it is closed: Wait and Stop wait for
	// every event to be taken.
	Events chan<- Event
}

// Running is a script started with Start. Its methods may be called from
// any goroutine, at the same time.
type Running struct {
	sess   *runtime.Session
	cancel context.CancelFunc
	done   chan struct{} // closed once the run ended, nothing is loaded and every event is delivered
	code   int
	err    error
	// final holds each map's value after END, read before the session
	// closed: what Map returns once the run has ended.
	final map[string]Value
	// ending is closed when the run begins to end, ended once final is
	// set: the probes slow to close may fire after END (runtime's
	// Options.Closing), so Map returns final from the start of the end,
	// never a value newer than it.
	ending, ended chan struct{}
}

// ErrNotCompiled is returned by Start for a Script that Check made:
// it has no code to load.
var ErrNotCompiled = errors.New("the script is not compiled (Check does not generate code: use Compile)")

// Start loads a compiled script and runs it in the background until it
// calls exit(), ctx is done, or Stop is called, as the hawk command runs
// it: BEGIN, the probes, END. It returns once BEGIN has run and every
// probe is attached (or the run has already ended); an error loading or
// attaching is Start's error, and then nothing stays loaded.
//
// While it runs, its maps can be read as Go values (Map), and its output
// (printf, print, time, cat, join, system, errorf, warnf, lost events,
// and the maps printed at exit) arrives as Events (StartOptions.OnEvent,
// StartOptions.Events). Stop or Wait, or ctx being done and then Wait,
// ends it; afterwards nothing of it is left in the kernel.
func Start(ctx context.Context, s *Script, opts StartOptions) (*Running, error) {
	if s == nil || s.Out == nil {
		if opts.Events != nil {
			close(opts.Events)
		}
		return nil, ErrNotCompiled
	}
	q := newEventQueue()
	delivered := make(chan struct{})
	go func() {
		defer close(delivered)
		q.deliver(func(e Event) {
			if opts.OnEvent != nil {
				opts.OnEvent(e)
			}
			if opts.Events != nil {
				opts.Events <- e
			}
		})
		if opts.Events != nil {
			close(opts.Events)
		}
	}()

	ctx, cancel := context.WithCancel(ctx)
	attached := make(chan struct{})
	ropts := opts.Runtime
	w := &eventWriter{send: q.push}
	ropts.Writer = w
	ropts.Quiet = false // the AttachedEvent is an event, not a banner
	userAttached, userEnding := ropts.Attached, ropts.Ending
	ending := make(chan struct{})
	ropts.Ending = func() {
		close(ending)
		if userEnding != nil {
			userEnding()
		}
	}
	ropts.Attached = func() {
		close(attached)
		if userAttached != nil {
			userAttached()
		}
	}
	sess, err := runtime.LoadContext(ctx, s.Out, s.loadOptions(ropts))
	if err != nil {
		cancel()
		q.close()
		return nil, err
	}
	ended := make(chan struct{})
	r := &Running{sess: sess, cancel: cancel, done: make(chan struct{}), ending: ending, ended: ended}
	go func() {
		code, err := sess.Run(ctx)
		final := map[string]Value{}
		for _, name := range sess.MapNames() {
			// The maps printed at exit were read after END already.
			v, ok := w.printedAtExit(name)
			if !ok {
				v, _ = readMap(sess, name)
			}
			if v != nil {
				final[name] = v
			}
		}
		sess.Close()
		cancel()
		r.code, r.err, r.final = code, err, final
		close(ended)
		q.close()
		<-delivered
		close(r.done)
	}()
	select {
	case <-attached:
		return r, nil
	case <-ended:
		// The session is closed. What BEGIN printed before an attach
		// failed is still delivered: a caller that reads Events only
		// once Start returns must not keep Start waiting for it.
		if r.err != nil {
			return nil, r.err
		}
		return r, nil
	}
}

// Maps returns the names of the script's maps, with their @ ("@",
// "@bytes"), in name order.
func (r *Running) Maps() []string { return r.sess.MapNames() }

// Map reads the map called name (with its @) as it is now, decoded into a
// Go value (see Value): per-CPU values merged, a map with
// keys as a Map of its entries in print order, a map without keys as its
// value. It returns nil when the map holds nothing. Once the run has
// ended, it returns the map as it was after END.
func (r *Running) Map(name string) (Value, error) {
	if r.sess.MapMeta(name) == nil {
		return nil, fmt.Errorf("the script has no map %s", name)
	}
	select {
	case <-r.ending:
		<-r.ended
		return r.final[name], nil
	default:
	}
	v, err := readMap(r.sess, name)
	if errors.Is(err, runtime.ErrClosed) {
		// The run ended while we looked: its final values are being kept.
		<-r.ended
		return r.final[name], nil
	}
	return v, err
}

// readPool keeps the entries of maps read before, in the order read: a
// big map read again and again need not grow its list from nothing.
var readPool sync.Pool

// readMap reads a map of sess into a Go value. A map with keys is built
// straight from the session's entries (runtime.Session.ScanMap), with no
// output.Map in between.
func readMap(sess *runtime.Session, name string) (Value, error) {
	var read []Entry
	if p, ok := readPool.Get().(*[]Entry); ok {
		read = (*p)[:0]
	}
	defer func() {
		clear(read) // let its values go
		readPool.Put(&read)
	}()
	v, order, err := sess.ScanMap(name, func(e *output.Entry) {
		read = append(read, Entry{Key: goValue(&e.Key), Value: goValue(&e.Value)})
	})
	switch {
	case err != nil:
		return nil, err
	case order != nil:
		m := make(Map, len(order))
		for k, i := range order {
			m[k] = read[i]
		}
		return m, nil
	case v != nil:
		return goValue(v), nil
	}
	return nil, nil
}

// Collection returns the cilium/ebpf collection the script loaded: its
// programs and maps, named as in the object (see codegen.MapMeta's
// SpecName; runtime.Session.MapMeta). It is closed when the run ends.
func (r *Running) Collection() *ebpf.Collection { return r.sess.Collection() }

// Session returns the runtime session the script runs in, for what this
// API does not cover (runtime.Session.MapMeta, ProgramIDs). It is closed
// when the run ends.
func (r *Running) Session() *runtime.Session { return r.sess }

// Done returns a channel closed once the run has ended: END has run,
// nothing is loaded any more, and every event is delivered.
func (r *Running) Done() <-chan struct{} { return r.done }

// Wait waits until the run ends (exit(), ctx done, Stop) and every event
// is delivered, and returns the script's exit code and what went wrong
// while it ran. Nothing of the script is left in the kernel then.
func (r *Running) Wait() (int, error) {
	<-r.done
	return r.code, r.err
}

// Stop ends the run as Ctrl-C ends the hawk command's: the probes are
// detached, END runs, the maps are read a last time (MapEvents with
// AtExit, and what Map returns afterwards), and everything is unloaded.
// It then returns as Wait does. Stopping a run that has ended does
// nothing more.
func (r *Running) Stop() (int, error) {
	r.cancel()
	return r.Wait()
}
