package repl

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/listing"
)

// command is one of the REPL's commands, typed with a leading '.'.
type command struct {
	name  string
	usage string // its arguments
	help  string
	run   func(r *REPL, args []string) error
}

// commands is filled in init: .help lists it.
var commands []command

func init() {
	commands = []command{
		{"help", "", "show this help", (*REPL).help},
		{"probes", "", "list the probes attached: number, hits, attach points", (*REPL).listProbes},
		{"detach", "N|all", "detach probe N, or every probe; the maps stay", (*REPL).detach},
		{"maps", "", "list the maps: name, key and value types, entries", (*REPL).listMaps},
		{"watch", "@map [interval]", "print a map every interval (1s) until Ctrl-C", (*REPL).watch},
		{"load", "FILE.bt", "run a script's probes beside those attached", (*REPL).load},
		{"save", "FILE.bt", "write the probes attached as a script hawk runs", (*REPL).save},
		{"list", "[PATTERN]", "list probes, as hawk -l does", (*REPL).list},
		{"quit", "", "detach everything, print the maps and leave (also Ctrl-D)", nil},
	}
}

// findCommand returns the command a name or an unambiguous prefix of
// one names.
func findCommand(name string) (*command, error) {
	var found *command
	for i, c := range commands {
		if c.name == name {
			return &commands[i], nil
		}
		if strings.HasPrefix(c.name, name) {
			if found != nil {
				return nil, fmt.Errorf(".%s is ambiguous: .%s or .%s", name, found.name, c.name)
			}
			found = &commands[i]
		}
	}
	if found == nil {
		return nil, fmt.Errorf("unknown command .%s: .help lists the commands", name)
	}
	return found, nil
}

// command runs a line that begins with '.'.
func (r *REPL) command(line string) error {
	fields := strings.Fields(strings.TrimPrefix(line, "."))
	if len(fields) == 0 {
		r.errorf("hawk: error: a command name must follow '.': .help lists them")
		return nil
	}
	c, err := findCommand(fields[0])
	if err != nil {
		r.errorf("hawk: error: %v", err)
		return nil
	}
	if c.run == nil {
		return errQuit
	}
	if err := c.run(r, fields[1:]); err != nil {
		r.errorf("hawk: error: .%s: %v", c.name, err)
	}
	return nil
}

func (r *REPL) help(args []string) error {
	w := tabwriter.NewWriter(r.cfg.Stderr, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "Type probe blocks to attach them, statements or expressions to run them once:")
	fmt.Fprintln(w, "  tracepoint:syscalls:sys_enter_openat { @opens[comm] = count(); }")
	fmt.Fprintln(w, "  @opens")
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  .%s %s\t%s\n", c.name, c.usage, c.help)
	}
	fmt.Fprintln(w, "Tab completes probes, functions, maps, commands and files; Ctrl-C clears the line.")
	return w.Flush()
}

// attached returns the probes still attached, in number order.
func (r *REPL) attached() []*probe {
	var ps []*probe
	for _, p := range r.probes {
		if p.unit.Attached(p.index) {
			ps = append(ps, p)
		}
	}
	return ps
}

func (r *REPL) listProbes(args []string) error {
	ps := r.attached()
	if len(ps) == 0 {
		r.errorf("no probes attached")
		return nil
	}
	fmt.Fprintf(r.cfg.Stderr, "%4s %10s  %s\n", "#", "HITS", "PROBE")
	for _, p := range ps {
		fmt.Fprintf(r.cfg.Stderr, "%4d %10d  %s\n", p.num, p.unit.Hits(p.index), p.text)
	}
	return nil
}

func (r *REPL) detach(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: .detach N|all")
	}
	if args[0] == "all" {
		for _, p := range r.attached() {
			p.unit.Detach(p.index)
			r.errorf("[%d] detached", p.num)
		}
		return nil
	}
	n, err := strconv.Atoi(strings.TrimPrefix(args[0], "#"))
	if err != nil || n < 1 || n > len(r.probes) || !r.probes[n-1].unit.Attached(r.probes[n-1].index) {
		return fmt.Errorf("no probe %s is attached: .probes lists them", args[0])
	}
	p := r.probes[n-1]
	p.unit.Detach(p.index)
	r.errorf("[%d] detached", p.num)
	return nil
}

func (r *REPL) listMaps(args []string) error {
	maps, err := r.live.Maps()
	if err != nil {
		return err
	}
	if len(maps) == 0 {
		r.errorf("no maps")
		return nil
	}
	w := tabwriter.NewWriter(r.cfg.Stderr, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "MAP\tKEY\tVALUE\tENTRIES")
	for _, m := range maps {
		key := "-"
		if m.Key != nil {
			parts := make([]string, len(m.Key))
			for i, t := range m.Key {
				parts[i] = t.String()
			}
			key = "[" + strings.Join(parts, ", ") + "]"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\n", m.Name, key, m.Value, m.Entries)
	}
	return w.Flush()
}

// defaultWatch is how often .watch redraws unless told.
const defaultWatch = time.Second

func (r *REPL) watch(args []string) error {
	if len(args) < 1 || len(args) > 2 || !strings.HasPrefix(args[0], "@") {
		return fmt.Errorf("usage: .watch @map [interval]")
	}
	every := defaultWatch
	if len(args) == 2 {
		d, err := parseInterval(args[1])
		if err != nil {
			return err
		}
		every = d
	}
	if !slices.Contains(r.maps, args[0]) {
		// Before the screen is cleared, which would hide the error.
		return fmt.Errorf("no map %s: .maps lists them", args[0])
	}
	ctx, release := r.interruptible()
	defer release()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if r.cfg.Terminal {
			// Redraw from the top of a clear screen, as top does.
			fmt.Fprintf(r.cfg.Stdout, "\x1b[H\x1b[2JEvery %v: %s   (Ctrl-C stops)\n\n", every, args[0])
		}
		if err := r.live.PrintMap(args[0]); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
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

func (r *REPL) load(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: .load FILE.bt")
	}
	return r.Load(args[0], "")
}

// Load runs a script's probes beside those attached: the file's, or the
// text given (hawk --repl -e), named after the file or "-e".
func (r *REPL) Load(file, text string) error {
	name := file
	if file == "" {
		name = "-e"
	} else {
		src, err := lang.ReadScriptFile(file)
		if err != nil {
			return err
		}
		text = src.Text
	}
	for _, e := range r.entries {
		if e.src.Name == name {
			name = fmt.Sprintf("%s#%d", name, r.inputs+1) // loaded again
		}
	}
	r.inputs++
	e := &entry{src: lang.NewSource(name, text), file: file != ""}
	if _, err := e.parse(); err != nil {
		r.report(err)
		return nil
	}
	r.run(e)
	return nil
}

func (r *REPL) list(args []string) error {
	return listing.List(r.cfg.Stdout, strings.Join(args, " "), listing.Options{Env: r.kenv})
}
