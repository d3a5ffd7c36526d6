package main

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/hawktrace/hawk/runtime/output"
)

// An optionSpec is one row of hawk's option table (optionTable): how the
// option is spelled, what value it takes, what it does to the options and
// what --help says of it. The parser (scanArgs), --help (usage), the man
// page (writeManPage) and the shell completions (writeCompletion) all read
// the table, so an option added to it appears in every one of them.
type optionSpec struct {
	short byte   // the one-letter spelling (-e), 0 when none
	long  string // the long spelling without its dashes (pid), "" when none
	// arg names the value the option takes, as help shows it ("PID");
	// "" for an option that takes none.
	arg string
	// operand is what may follow an option that takes no value, shown
	// in help only: -l's "[PATTERN | FILE]".
	operand string
	// kind is what the value is, for the shell completions.
	kind argKind
	// values are the values the option takes, when they are a fixed set
	// (formats, modes): the completions offer them.
	values []string
	// group is the option's paragraph in --help and the man page.
	group int
	// help says what the option does, one paragraph; usage wraps it.
	help string
	// hidden options are parsed but shown nowhere.
	hidden bool
	// embedded is what an executable that --aot wrote does with the
	// option; embeddedHelp, when not "", is what its -h says of it.
	embedded     embeddedUse
	embeddedHelp string
	// set applies the option to o; value is "" for an option that takes
	// none. An error it returns is a usage error.
	set func(o *options, value string) error
}

// An argKind is what an option's value is, so that a shell completes it.
type argKind int

// The kinds of option values.
const (
	argText     argKind = iota // anything: nothing to complete
	argFile                    // a file name
	argDir                     // a directory name
	argPid                     // a running process's id
	argCommand                 // a command line
	argWords                   // one of the option's values
	argWordList                // some of the option's values, comma-separated
)

// An embeddedUse is what an executable that --aot wrote, which runs the
// program compiled into it, does with an option.
type embeddedUse int

// The uses of an option in such an executable.
const (
	embeddedTaken   embeddedUse = iota // taken, not listed by its -h
	embeddedListed                     // taken, and listed by its -h
	embeddedRefused                    // refused: only compiling reads it
)

// Paragraphs of the option table (optionSpec.group).
const (
	groupGeneral = iota
	groupProcess
	groupOutput
	groupHeaders
	groupSafety
	groupModes
)

// optionTable is every option hawk takes, in the order --help shows
// them. Add an option as one self-contained row.
var optionTable = []optionSpec{
	{short: 'e', arg: "PROGRAM", group: groupGeneral, help: "run PROGRAM",
		embedded: embeddedRefused,
		set:      func(o *options, v string) error { o.program, o.hasProg = v, true; return nil }},
	{short: 'l', long: "list", operand: "[PATTERN | FILE]", group: groupGeneral,
		help:     "list the probes matching PATTERN (all kernel probes when none), or those the program (FILE or -e) attaches to; -lv also prints their arguments, and -lv 'struct NAME' the kernel's definition of a type",
		embedded: embeddedRefused,
		set:      func(o *options, _ string) error { o.list = true; return nil }},
	{short: 'v', long: "verbose", group: groupGeneral,
		help:     "print each program's id, size and verifier work, and the verifier's whole log when it refuses a program",
		embedded: embeddedListed, embeddedHelp: "print each program's id, size and verifier work",
		set: func(o *options, _ string) error { o.verbose = true; return nil }},
	{short: 'q', long: "quiet", group: groupGeneral, help: `do not print "Attached N probes"`,
		embedded: embeddedListed,
		set:      func(o *options, _ string) error { o.quiet = true; return nil }},
	{short: 'h', long: "help", group: groupGeneral, help: "show the usage: every option and the environment variables hawk reads",
		embedded: embeddedListed, embeddedHelp: "show this help",
		set: func(o *options, _ string) error { o.help = true; return nil }},
	{short: 'V', long: "version", group: groupGeneral, help: "print hawk's version, commit and build date",
		embedded: embeddedListed, embeddedHelp: "print the version of hawk that compiled it",
		set: func(o *options, _ string) error { o.version = true; return nil }},
	{long: "info", group: groupGeneral, help: "print what this kernel supports, probed, one line each",
		embedded: embeddedRefused,
		set:      func(o *options, _ string) error { o.info = true; return nil }},

	{short: 'p', long: "pid", arg: "PID", kind: argPid, group: groupProcess,
		help:     "trace process PID: uprobes, usdt, perf events and watchpoints attach to it, other probes see only it, and hawk exits when it does",
		embedded: embeddedListed, embeddedHelp: "trace process PID, and exit when it does",
		set: func(o *options, v string) (err error) { o.pid, err = parsePid(v); return err }},
	{short: 'c', long: "cmd", arg: "'CMD ARGS'", kind: argCommand, group: groupProcess,
		help:     "run CMD once the probes are attached, exit when it does; cpid is its pid. CMD ARGS are split into words as a shell would, quotes and backslashes included",
		embedded: embeddedListed, embeddedHelp: "run CMD once the probes are attached, exit when it does",
		set: setCommand},
	{long: "dwarf-pid", arg: "PID", kind: argPid, group: groupProcess,
		help:     "read the call frame information (.eh_frame) of the binaries PID maps, for dw_ustack to unwind their stacks (may be given more than once; -p's and -c's are read too)",
		embedded: embeddedListed, embeddedHelp: "read the unwind tables of PID's binaries for dw_ustack",
		set: func(o *options, v string) error {
			pid, err := parsePid(v)
			if err != nil {
				return fmt.Errorf("--dwarf-pid%s", strings.TrimPrefix(err.Error(), "-p"))
			}
			o.dwarfPids = append(o.dwarfPids, pid)
			return nil
		}},

	{short: 'o', long: "output", arg: "FILE", kind: argFile, group: groupOutput,
		help:     "write the output to FILE instead of stdout",
		embedded: embeddedListed,
		set:      func(o *options, v string) error { o.outFile = v; return nil }},
	{long: "metrics", arg: "ADDR", group: groupOutput,
		help:     "serve the script's maps as Prometheus metrics at http://ADDR/metrics while it runs (ADDR host:port or :port; the text format, or OpenMetrics when asked for)",
		embedded: embeddedRefused,
		set:      setMetrics},
	{long: "pprof", arg: "FILE", kind: argFile, group: groupOutput,
		help:     "at exit, write the count() and sum() maps keyed by stacks (@[kstack], @[ustack, comm]) to FILE as a pprof profile: go tool pprof -http : FILE draws the flame graph",
		embedded: embeddedListed,
		set:      func(o *options, v string) error { o.pprof = v; return nil }},
	{short: 'f', long: "format", arg: "FORMAT", kind: argWords, values: []string{"text", "json"}, group: groupOutput,
		help:     "output format: text (default) or json (one object a line)",
		embedded: embeddedListed,
		set:      setFormat},
	{short: 'B', arg: "MODE", kind: argWords, values: []string{"line", "full", "none"}, group: groupOutput,
		help:     "output buffering: line, full or none (default: written out as soon as no more events are waiting)",
		embedded: embeddedListed, embeddedHelp: "output buffering: line, full or none",
		set: setBuffer},
	{short: 'k', long: "warnings", group: groupOutput,
		help:     "warn of map reads that find no entry and of memory reads that fail, once for each place in the script",
		embedded: embeddedRefused,
		set:      setWarnings},

	{short: 'I', arg: "DIR", kind: argDir, group: groupHeaders,
		help:     "search DIR for #include'd headers, before the system's directories (may be given more than once)",
		embedded: embeddedRefused,
		set:      func(o *options, v string) error { o.includeDirs = append(o.includeDirs, v); return nil }},
	{long: "include", arg: "FILE", kind: argFile, group: groupHeaders,
		help:     `read the header FILE as if the script began with #include "FILE" (may be given more than once)`,
		embedded: embeddedRefused,
		set:      func(o *options, v string) error { o.includes = append(o.includes, v); return nil }},

	{long: "unsafe", group: groupSafety, help: "allow actions that change the system: system(), signal()",
		embedded: embeddedRefused,
		set:      func(o *options, _ string) error { o.unsafe = true; return nil }},
	{long: "no-warnings", group: groupSafety,
		help: "print no warnings: neither the compiler's nor warnf()'s nor those found at run time",
		set:  func(o *options, _ string) error { o.noWarnings = true; return nil }},
	{long: "usdt-file-activation", group: groupSafety,
		help: "accepted, as bpftrace's: usdt semaphores are always counted up in every process that maps the file",
		// Always so: the kernel counts a usdt probe's semaphore up in
		// every process that maps its file (-p: in that one).
		set: func(*options, string) error { return nil }},
	{long: "no-feature", arg: "FEATURE[,FEATURE]", kind: argWordList, values: noFeatures, group: groupSafety,
		help: "do not use these kernel features: " + strings.Join(noFeatures, ", "),
		set:  (*options).addNoFeatures},

	{long: "verify", group: groupModes,
		help:     "load every program into the kernel's verifier, attach nothing, and exit 0 only if all are accepted",
		embedded: embeddedListed, embeddedHelp: "load every program into the kernel's verifier and exit",
		set: func(o *options, _ string) error { o.verify = true; return nil }},
	{long: "dry-run", group: groupModes,
		help:     "load the programs and attach every probe, then detach and exit: BEGIN runs, nothing is printed",
		embedded: embeddedListed, embeddedHelp: "load and attach every probe, then detach and exit",
		set: func(o *options, _ string) error { o.dryRun = true; return nil }},
	{long: "probe-filter", arg: "REGEX", group: groupModes,
		help: "run only the probes whose name (as probe prints it) REGEX matches; BEGIN and END always run",
		set:  setProbeFilter},
	{long: "mode", arg: "MODE", kind: argWords, values: []string{"bench", "test"}, group: groupModes,
		help: "bench: run the bench: probes and print how long each takes; test: run the test: probes and print which pass",
		set:  func(o *options, v string) error { return o.setMode("mode", v) }},
	{long: "bench", group: groupModes, help: "the same as --mode bench",
		set: func(o *options, _ string) error { return o.setMode("bench", "bench") }},
	{long: "test", group: groupModes, help: "the same as --mode test",
		set: func(o *options, _ string) error { return o.setMode("test", "test") }},
	{short: 'd', long: "debug", arg: "STAGE[,STAGE]", kind: argWordList, values: append(debugStages[:len(debugStages):len(debugStages)], "all"), group: groupModes,
		help:     "print stages instead of running: " + strings.Join(debugStages, ", ") + ", or all",
		embedded: embeddedListed, embeddedHelp: "print the program's instructions instead of running it: asm is the one stage",
		set: (*options).addDebugStages},
	{long: "emit-elf", arg: "FILE", kind: argFile, group: groupModes,
		help:     "write the compiled script as an ELF object that hawk FILE runs, here or on another host",
		embedded: embeddedRefused,
		set:      func(o *options, v string) error { o.emitELF = v; return nil }},
	{long: "aot", arg: "FILE", kind: argFile, group: groupModes,
		help:     "write the compiled script as an executable FILE that runs it, here or on another host, with no hawk",
		embedded: embeddedRefused,
		set:      func(o *options, v string) error { o.aot = v; return nil }},
	{long: "repl", group: groupModes,
		help:     "open the interactive session (REPL), even when stdin is not a terminal; a program given is its first entry",
		embedded: embeddedRefused,
		set:      func(o *options, _ string) error { o.repl = true; return nil }},
}

// shortOption returns the row of the option -c, or nil.
func shortOption(c byte) *optionSpec {
	for i := range optionTable {
		if optionTable[i].short == c && c != 0 {
			return &optionTable[i]
		}
	}
	return nil
}

// longOption returns the row of the option --name, or nil.
func longOption(name string) *optionSpec {
	for i := range optionTable {
		if optionTable[i].long == name && name != "" {
			return &optionTable[i]
		}
	}
	return nil
}

// spelling is how an error names the option: -c, or --long when it has
// no short spelling or was given long.
func (s *optionSpec) spelling(long bool) string {
	if s.short != 0 && !long {
		return "-" + string(s.short)
	}
	return "--" + s.long
}

// apply sets the option s to value and records it given, making any
// error a usage error.
func (o *options) apply(s *optionSpec, value string) error {
	o.given = append(o.given, s)
	err := s.set(o, value)
	var u *usageError
	if err != nil && !errors.As(err, &u) {
		return &usageError{msg: err.Error()}
	}
	return err
}

// missingValue is the error for the option given last with no value.
func (s *optionSpec) missingValue(long bool) error {
	what := "a value"
	if long && s.kind == argFile {
		what = "a file"
	}
	return &usageError{msg: fmt.Sprintf("option %s needs %s", s.spelling(long), what)}
}

func setCommand(o *options, v string) error {
	o.command = v
	if strings.TrimSpace(v) == "" {
		return fmt.Errorf("-c needs a command")
	}
	return nil
}

func setWarnings(o *options, _ string) error {
	if o.helperErrors {
		// bpftrace v0.26 removed -kk: -k now reports both.
		return fmt.Errorf("-kk was removed in bpftrace v0.26: use a single -k")
	}
	o.helperErrors = true
	return nil
}

func setProbeFilter(o *options, v string) error {
	re, err := regexp.Compile(v)
	if err != nil {
		return fmt.Errorf("Invalid --probe-filter regex '%s': %v", v, err)
	}
	o.probeFilter = re
	return nil
}

func setFormat(o *options, v string) (err error) {
	o.format, err = output.ParseFormat(v)
	return err
}

func setBuffer(o *options, v string) (err error) {
	o.buffer, err = output.ParseBufferMode(v)
	return err
}
