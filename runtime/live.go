package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/cilium/ebpf"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
)

// Live is a session that scripts join while it runs: the REPL's. Each
// script added is loaded with the maps of those before it, so that all of
// them update the same maps, and runs beside them with its own event loop
// until its probes are detached or the session ends. Scripts compiled for
// a Live session must be checked together (lang.Combine), so that a map
// has one type in all of them.
type Live struct {
	opts Options
	mu   sync.Mutex
	// shared holds a copy of every map that outlives the scripts using
	// it: user maps by name, stack and pid maps by spec name.
	shared map[string]*ebpf.Map
	units  []*Unit
	// view is the newest script, whose manifest knows every map so far:
	// maps are printed through it.
	view *Session
	exit chan int
}

// NewLive starts an empty live session. Its output goes to opts.Stdout and
// opts.Stderr, which may be written from several goroutines at once.
func NewLive(opts Options) *Live {
	opts = opts.withDefaults()
	opts.Stdout, opts.Stderr = &syncWriter{w: opts.Stdout}, &syncWriter{w: opts.Stderr}
	opts.Quiet = true
	opts.start = uint64(bootNanos())
	return &Live{opts: opts, shared: map[string]*ebpf.Map{}, exit: make(chan int, 1)}
}

// Exited delivers the exit code of an exit() that a running probe called.
// The session goes on; End ends what runs, as exit() ends a script.
func (lv *Live) Exited() <-chan int { return lv.exit }

// Add loads a compiled script, runs its BEGIN probes, attaches the others
// and reads what they send until they are detached. The output of BEGIN is
// written before Add returns. A script with nothing attached and no END
// probe is done when Add returns; its maps stay. When exit() is called
// (in BEGIN), Add ends the session's probes as End does.
func (lv *Live) Add(out *codegen.Output) (*Unit, error) {
	lv.mu.Lock()
	defer lv.mu.Unlock()
	replace := lv.replacements(out.Manifest)
	if err := compatible(out, replace); err != nil {
		return nil, err
	}
	s, err := load(out, lv.opts, replace)
	if err != nil {
		return nil, err
	}
	if err := s.refuseLive(); err != nil {
		s.Close()
		return nil, err
	}
	s.announce()
	u := &Unit{lv: lv, s: s, dropped: map[int]bool{}}
	if u.loop, err = s.newLoop(); err != nil {
		s.Close()
		return nil, err
	}
	for _, p := range s.programs(lang.ProbeBegin) {
		if err := s.runProgram(p); err != nil {
			u.close()
			return nil, err
		}
	}
	if _, err := s.attach(context.Background()); err != nil {
		u.close()
		return nil, err
	}
	u.loop.drain(false)
	lv.keep(s)
	lv.setView(s)
	lv.units = append(lv.units, u)
	if u.loop.exited {
		lv.end()
		return u, nil
	}
	if len(s.attached) > 0 {
		u.done = make(chan struct{})
		go u.run()
	}
	u.retireIfIdle()
	return u, nil
}

// replacements returns the maps of the session that the script uses.
func (lv *Live) replacements(man *codegen.Manifest) map[string]*ebpf.Map {
	r := map[string]*ebpf.Map{}
	for _, m := range man.Maps {
		if sm := lv.shared[m.Name]; sm != nil {
			r[m.SpecName] = sm
		}
	}
	for _, name := range sharedInternal(man) {
		if sm := lv.shared[name]; sm != nil {
			r[name] = sm
		}
	}
	return r
}

// compatible checks that the script wants the session's maps as they
// are: config (max_map_keys) or a declaration cannot change a map that
// exists.
func compatible(out *codegen.Output, replace map[string]*ebpf.Map) error {
	for _, m := range out.Manifest.Maps {
		if sm := replace[m.SpecName]; sm != nil {
			if err := out.Spec.Maps[m.SpecName].Compatible(sm); err != nil {
				return fmt.Errorf("%s already exists in this session, made otherwise: %v", m.Name, err)
			}
		}
	}
	return nil
}

// sharedInternal names the internal maps that values in user maps point
// into: stack ids index the stack maps, user addresses need the pid map.
func sharedInternal(man *codegen.Manifest) []string {
	var names []string
	for _, name := range man.StackMaps {
		names = append(names, name)
	}
	for _, name := range man.BuildIDStackMaps {
		names = append(names, name)
	}
	if man.PidMap != "" {
		names = append(names, man.PidMap)
	}
	return names
}

// keep remembers the maps a newly loaded script created.
func (lv *Live) keep(s *Session) {
	add := func(key, spec string) {
		if lv.shared[key] != nil || s.coll.Maps[spec] == nil {
			return
		}
		if m, err := s.coll.Maps[spec].Clone(); err == nil {
			lv.shared[key] = m
		}
	}
	for _, m := range s.man.Maps {
		add(m.Name, m.SpecName)
	}
	for _, name := range sharedInternal(s.man) {
		add(name, name)
	}
}

// setView makes s the session maps are printed through, and closes the
// previous one unless a unit still runs it.
func (lv *Live) setView(s *Session) {
	old := lv.view
	lv.view = s
	if old != nil && !lv.running(old) {
		old.Close()
	}
}

// running reports whether a unit still runs s.
func (lv *Live) running(s *Session) bool {
	for _, u := range lv.units {
		if u.s == s && !u.closed {
			return true
		}
	}
	return false
}

// End ends what runs as the end of a script does: it detaches every
// probe, prints what is left of their events, runs the END probes, and
// prints the maps. The maps and the session stay, for more scripts.
func (lv *Live) End() error {
	lv.mu.Lock()
	defer lv.mu.Unlock()
	return lv.end()
}

func (lv *Live) end() error {
	units := lv.units
	lv.units = nil
	for _, u := range units {
		u.s.detach(func(attachment) bool { return true })
		u.stop()
	}
	var errs []error
	for _, u := range units {
		for _, p := range u.s.programs(lang.ProbeEnd) {
			if !u.dropped[p.Probe] {
				errs = append(errs, u.s.runProgram(p))
			}
		}
		u.loop.drain(true)
		u.s.reportLost(true)
	}
	if lv.view != nil {
		lv.view.w.End()
		lv.view.printMaps()
		errs = append(errs, lv.view.w.Flush())
	}
	for _, u := range units {
		u.release()
	}
	return errors.Join(errs...)
}

// Close releases everything the session holds in the kernel, printing
// nothing. Call End first to print the maps.
func (lv *Live) Close() {
	lv.mu.Lock()
	defer lv.mu.Unlock()
	for _, u := range lv.units {
		u.s.detach(func(attachment) bool { return true })
		u.stop()
		u.close()
	}
	lv.units = nil
	if lv.view != nil {
		lv.view.Close()
		lv.view = nil
	}
	for name, m := range lv.shared {
		m.Close()
		delete(lv.shared, name)
	}
}

func (lv *Live) mapMeta(name string) *codegen.MapMeta {
	if lv.view == nil {
		return nil
	}
	for _, m := range lv.view.man.Maps {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// MapInfo describes a map of a live session.
type MapInfo struct {
	Name  string
	Key   []*lang.Type // nil for a map without keys
	Value *lang.Type
	// Entries is how many keys hold a value (histogram buckets count
	// once per key).
	Entries int
}

// Maps lists the session's maps by name.
func (lv *Live) Maps() ([]MapInfo, error) {
	lv.mu.Lock()
	defer lv.mu.Unlock()
	if lv.view == nil {
		return nil, nil
	}
	var infos []MapInfo
	for _, m := range lv.view.man.Maps {
		info := MapInfo{Name: m.Name, Value: m.Value}
		if hasUserKey(m) {
			for _, p := range m.Key.Parts {
				info.Key = append(info.Key, p.Type)
			}
			if m.Agg.Bucketed() {
				info.Key = info.Key[:len(info.Key)-1]
			}
		}
		lv.view.decodeMu.Lock()
		v, err := lv.view.readMap(m, 0, 1)
		lv.view.decodeMu.Unlock()
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", m.Name, err)
		}
		switch {
		case v == nil:
		case !hasUserKey(m):
			info.Entries = 1
		default:
			info.Entries = len(v.Entries)
		}
		infos = append(infos, info)
	}
	return infos, nil
}

// syncWriter serializes the writes of several event loops.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}

// ProgramIDs returns the kernel ids of the programs the session has
// loaded now.
func (lv *Live) ProgramIDs() []ebpf.ProgramID {
	lv.mu.Lock()
	defer lv.mu.Unlock()
	var ids []ebpf.ProgramID
	for _, u := range lv.units {
		if u.s != lv.view {
			ids = append(ids, u.s.ProgramIDs()...)
		}
	}
	if lv.view != nil {
		ids = append(ids, lv.view.ProgramIDs()...)
	}
	return ids
}
