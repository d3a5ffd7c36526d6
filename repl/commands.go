package repl

import (
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

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
		{"help", "[NAME]", "show this help, or a builtin's, function's, probe kind's or .command's", (*REPL).help},
		{"probes", "", "list the probes attached: number, hits, attach points", (*REPL).listProbes},
		{"detach", "N|all", "detach probe N, or every probe; the maps stay", (*REPL).detach},
		{"maps", "", "list the maps: name, key and value types, entries", (*REPL).listMaps},
		{"watch", watchUsage, "show maps every interval (1s), their change or rate, until Enter or Ctrl-C", (*REPL).watch},
		{"load", "FILE.bt", "run a script's probes beside those attached", (*REPL).load},
		{"save", "FILE.bt", "write the declarations, BEGIN probes and probes attached as a script hawk runs", (*REPL).save},
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
	if len(args) > 0 {
		return r.helpOn(args)
	}
	w := tabwriter.NewWriter(r.cfg.Stderr, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "Type probe blocks to attach them, statements or expressions to run them once:")
	fmt.Fprintln(w, "  tracepoint:syscalls:sys_enter_openat { @opens[comm] = count(); }")
	fmt.Fprintln(w, "  @opens")
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  .%s %s\t%s\n", c.name, c.usage, c.help)
	}
	fmt.Fprintln(w, "Tab completes probes, functions, maps, variables, struct members, commands and files;")
	fmt.Fprintln(w, "a second Tab after a function's name shows its signature. Ctrl-C clears the line;")
	fmt.Fprintln(w, "on an empty line it detaches the probes that print (their maps stay).")
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
