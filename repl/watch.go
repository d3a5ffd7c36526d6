package repl

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/runtime/output"
)

// defaultWatch is how often .watch redraws unless told.
const defaultWatch = time.Second

// watchUsage is .watch's arguments.
const watchUsage = "@map... [interval] [delta|rate] [top N]"

// watchArgs is what .watch was asked to show.
type watchArgs struct {
	maps  []string
	every time.Duration
	view  view
}

// parseWatch reads .watch's arguments, in any order after the first map:
// maps, an interval, delta or rate, top N.
func parseWatch(args []string) (watchArgs, error) {
	w := watchArgs{every: defaultWatch}
	if len(args) == 0 || !strings.HasPrefix(args[0], "@") {
		return w, fmt.Errorf("usage: .watch %s", watchUsage)
	}
	interval := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case strings.HasPrefix(a, "@"):
			w.maps = append(w.maps, a)
		case a == "delta" || a == "rate":
			if w.view.mode != watchValues {
				return w, fmt.Errorf("%s and %s: choose one", w.view.mode, a)
			}
			w.view.mode = map[string]watchMode{"delta": watchDelta, "rate": watchRate}[a]
		case a == "top":
			if i+1 == len(args) {
				return w, fmt.Errorf("top needs a number: top 10")
			}
			i++
			n, err := strconv.Atoi(args[i])
			if err != nil || n < 1 {
				return w, fmt.Errorf("bad top %q: write the number of entries, as top 10", args[i])
			}
			w.view.top = n
		case interval != "":
			return w, fmt.Errorf("%q: the interval is %s already (usage: .watch %s)", a, interval, watchUsage)
		default:
			d, err := parseInterval(a)
			if err != nil {
				return w, err
			}
			interval, w.every = a, d
		}
	}
	w.view.secs = w.every.Seconds()
	return w, nil
}

// parseInterval reads an interval: a Go duration (500ms, 2s) or seconds.
func parseInterval(s string) (time.Duration, error) {
	if n, err := strconv.ParseFloat(s, 64); err == nil && n > 0 {
		return time.Duration(n * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("bad interval %q: write it as 500ms, 2s or 2", s)
	}
	return d, nil
}

// watched is one map .watch shows, and its last read.
type watched struct {
	name string
	meta *codegen.MapMeta
	last *output.Value
}

// watch shows maps every interval until Ctrl-C, or Enter on a terminal:
// redrawn in place on a terminal, as top does, a block an interval
// otherwise. Every argument and map is checked before anything is drawn.
func (r *REPL) watch(args []string) error {
	w, err := parseWatch(args)
	if err != nil {
		return err
	}
	maps := make([]*watched, len(w.maps))
	for i, name := range w.maps {
		v, m, err := r.live.ReadMap(name)
		if err != nil {
			return fmt.Errorf("%v: .maps lists the maps", err)
		}
		if w.view.mode != watchValues && !countsUp(m) {
			return fmt.Errorf("%s of %s: %s holds %s; %s works on %s", w.view.mode, name, name, aggName(m), w.view.mode, deltaAggs)
		}
		maps[i] = &watched{name: name, meta: m, last: v}
	}
	ctx, release := r.interruptible()
	defer release()
	var scr *screen
	if r.cfg.Terminal {
		scr = r.openScreen(ctx, w)
		defer scr.close()
		ctx = scr.ctx
	}
	tick := time.NewTicker(w.every)
	defer tick.Stop()
	first := true
	for {
		if w.view.mode == watchValues || !first {
			block, err := r.block(maps, w.view, first)
			if err != nil {
				return err
			}
			if scr != nil {
				scr.draw(block)
			} else if _, err := r.cfg.Stdout.Write(block); err != nil {
				return err
			}
		} else if scr != nil {
			scr.draw([]byte(fmt.Sprintf("(the first %s comes after %v)\n", w.view.mode, w.every)))
		}
		first = false
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// block reads the maps and renders what the view shows of them in the
// session's output format; in text, each ends with an empty line (a
// block showing nothing is one). first says the maps were just read, to
// check them: values mode shows those reads.
func (r *REPL) block(maps []*watched, vw view, first bool) ([]byte, error) {
	var buf bytes.Buffer
	out := output.New(r.cfg.Runtime.Format, &buf, r.cfg.Stderr, output.BufferFull)
	text := r.cfg.Runtime.Format == output.FormatText
	for _, m := range maps {
		cur := m.last
		if !first || vw.mode != watchValues {
			v, _, err := r.live.ReadMap(m.name)
			if err != nil {
				return nil, err
			}
			cur = v
		}
		if v := vw.show(m.last, cur); v != nil {
			kind := output.PlainMap
			if m.meta.Agg == codegen.AggAvg || m.meta.Agg == codegen.AggStats {
				kind = output.StatsMap
			}
			out.Map(m.name, kind, *v)
		}
		m.last = cur
		// In text, a blank line after each map, as after a histogram.
		if err := out.Flush(); err != nil {
			return nil, err
		}
		if text && buf.Len() > 0 && !bytes.HasSuffix(buf.Bytes(), []byte("\n\n")) {
			buf.WriteByte('\n')
		}
	}
	if text && buf.Len() == 0 {
		buf.WriteByte('\n')
	}
	return buf.Bytes(), nil
}

// header is the first line of .watch's screen.
func (w watchArgs) header() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Every %v: %s", w.every, strings.Join(w.maps, " "))
	switch w.view.mode {
	case watchDelta:
		b.WriteString(", change in each interval")
	case watchRate:
		b.WriteString(", change per second")
	}
	if w.view.top > 0 {
		fmt.Fprintf(&b, ", top %d", w.view.top)
	}
	b.WriteString("   (Enter or Ctrl-C stops)")
	return b.String()
}

// watchCompletions completes the last word of .watch's arguments args:
// a map, or after the first map also delta, rate and top. It returns the
// arguments before that word, and the words that may replace it.
func watchCompletions(maps []string, args string) (head string, words []string) {
	start := strings.LastIndexAny(args, " \t") + 1
	head, word := args[:start], args[start:]
	if strings.TrimSpace(head) == "" || strings.HasPrefix(word, "@") {
		return head, prefixed(maps, word)
	}
	return head, prefixed(append([]string{"delta", "rate", "top"}, maps...), word)
}
