package main

import (
	"fmt"
	"strings"

	"github.com/hawktrace/hawk/runtime/output"
)

// options are hawk's command line, spelled as bpftrace spells it.
type options struct {
	program string // -e
	hasProg bool
	file    string // FILE, or "-" for stdin
	params  []string
	// options are the program's named options, given after `--` as
	// --name=value or --name: "name=value" or "name" (getopt()).
	options      []string
	quiet        bool
	verbose      bool
	verify       bool              // --verify: load the programs, attach nothing
	debug        string            // -d: the stages, comma-separated (wants)
	format       output.Format     // -f text|json
	outFile      string            // -o FILE
	buffer       output.BufferMode // -B line|full|none
	unsafe       bool              // --unsafe: allow system() and signal()
	helperErrors bool              // -k: warn of map reads that find nothing, failed reads
	noWarnings   bool              // --no-warnings
	pid          int               // -p PID
	command      string            // -c CMD
	list         bool              // -l [PATTERN]
	pattern      string
	dryRun       bool   // --dry-run: attach, then exit
	info         bool   // --info: what the kernel supports
	emitELF      string // --emit-elf FILE
	aot          string // --aot FILE
	// embedded is the object an executable that --aot wrote carries: the
	// program it runs (parseEmbeddedArgs).
	embedded []byte
	repl     bool // --repl, or no program and a terminal
	// replIfTerminal is set when no program was given: the REPL opens if
	// stdin is a terminal.
	replIfTerminal bool
	help           bool
	version        bool
	// includeDirs (-I DIR) are searched for #include'd headers first;
	// includes (--include FILE) are read as if #include'd.
	includeDirs, includes []string
	// noFeature are the kernel features --no-feature turned off.
	noFeature []string
	probeOptions
	metricsOptions
}

const usage = `USAGE:
    hawk [options] FILE [args...]
    hawk [options] - [args...]        (the program is read from stdin)
    hawk [options] -e 'PROGRAM' [args...]
    hawk -l [PATTERN | FILE | -e 'PROGRAM']
    hawk [--repl]                     (interactive: with no program, on a terminal)

OPTIONS:
    -e PROGRAM     run PROGRAM
    -l, --list [PATTERN | FILE]
                   list the probes matching PATTERN (all kernel probes
                   when none), or those the program (FILE or -e) attaches
                   to; -lv also prints their arguments, and
                   -lv 'struct NAME' the kernel's definition of a type
    -v, --verbose  print each program's id, size and verifier work, and
                   the verifier's whole log when it refuses a program
    -q, --quiet    do not print "Attached N probes"
    -h, --help     show this help
    -V, --version  print hawk's version, commit and build date
    --info         print what this kernel supports, probed, one line each

    -p, --pid PID  trace process PID: uprobes, usdt, perf events and
                   watchpoints attach to it, other probes see only it,
                   and hawk exits when it does
    -c, --cmd 'CMD ARGS'
                   run CMD once the probes are attached, exit when it
                   does; cpid is its pid. CMD ARGS are split into words
                   as a shell would, quotes and backslashes included

    -o, --output FILE
                   write the output to FILE instead of stdout
    -f, --format FORMAT
                   output format: text (default) or json (one object a line)
    -B MODE        output buffering: line, full or none (default: written
                   out as soon as no more events are waiting)
    -k, --warnings warn of map reads that find no entry and of memory
                   reads that fail, once for each place in the script

    -I DIR         search DIR for #include'd headers, before the system's
                   directories (may be given more than once)
    --include FILE read the header FILE as if the script began with
                   #include "FILE" (may be given more than once)

    --unsafe       allow actions that change the system: system(), signal()
    --no-warnings  print no warnings: neither the compiler's nor warnf()'s
                   nor those found at run time
    --usdt-file-activation  accepted, as bpftrace's: usdt semaphores are
                   always counted up in every process that maps the file
    --no-feature FEATURE[,FEATURE]
                   do not use these kernel features: kprobe_multi,
                   kprobe_session, uprobe_multi

    --verify       load every program into the kernel's verifier, attach
                   nothing, and exit 0 only if all are accepted
    --dry-run      load the programs and attach every probe, then detach
                   and exit: BEGIN runs, nothing is printed
    --metrics ADDR serve the script's maps as Prometheus metrics at
                   http://ADDR/metrics while it runs (ADDR: host:port,
                   or :port for every address of the host)
    --probe-filter REGEX
                   run only the probes whose name (as probe prints it)
                   REGEX matches; BEGIN and END always run
    --mode MODE    bench: run the bench: probes and print how long each
                   takes; test: run the test: probes and print which pass
    --bench, --test  the same as --mode bench, --mode test
    -d, --debug STAGE[,STAGE]
                   print stages instead of running: ast, asm, or all
    --emit-elf FILE  write the compiled script as an ELF object that
                   hawk FILE runs, here or on another host
    --aot FILE     write the compiled script as an executable FILE that
                   runs it, here or on another host, with no hawk
    --repl         open the interactive session (REPL), even when stdin is
                   not a terminal; a program given is its first entry

Arguments after the program are its positional parameters $1, $2, ...
After --, --NAME=VALUE (or --NAME) is a program option that the program
reads with getopt("NAME", DEFAULT); -- --help lists them.

ENVIRONMENT:
    BPFTRACE_NAME=VALUE
                   sets config variable NAME, as the script's config block
                   does, and wins over it: BPFTRACE_MAX_STRLEN,
                   BPFTRACE_MAX_MAP_KEYS, BPFTRACE_STACK_MODE,
                   BPFTRACE_PERF_RB_PAGES, BPFTRACE_MISSING_PROBES,
                   BPFTRACE_PRINT_MAPS_ON_EXIT, BPFTRACE_STR_TRUNC_TRAILER,
                   BPFTRACE_MAX_CAT_BYTES, BPFTRACE_LICENSE, ...
    BPFTRACE_STRLEN
                   bpftrace 0.17's name of BPFTRACE_MAX_STRLEN
    BPFTRACE_COLOR auto (default), always or never: color the words
                   "error" and "warning" of hawk's messages; auto colors
                   them when stdout and stderr are both terminals
    HAWK_HISTORY   the REPL's history file (default ~/.hawk_history)

EXAMPLES:
    hawk -e 'BEGIN { printf("hello\n"); exit(); }'
    hawk -e 'tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }'
    hawk -l 'tracepoint:sched:*'
    hawk -c 'ls /' -e 'tracepoint:syscalls:sys_enter_openat /pid == cpid/ { @ = count(); }'
`

// noProgram is the usage error when hawk is given no program and its
// input is not a terminal.
const noProgram = "no program given: use -e 'PROGRAM', a FILE, - for stdin, or --repl"

// usageError is a mistake on the command line. An unknown option also
// shows the synopsis of the usage (synopsis).
type usageError struct {
	msg      string
	synopsis bool
}

// synopsis is usage's first part: the ways to run hawk.
func synopsis() string {
	s, _, _ := strings.Cut(usage, "\n\n")
	return s + "\n"
}

func (e *usageError) Error() string { return e.msg }

// setValue sets the option -c that takes a value.
func (o *options) setValue(c byte, value string) error {
	var err error
	switch c {
	case 'e':
		o.program, o.hasProg = value, true
	case 'd':
		err = o.addDebugStages(value)
	case 'f':
		o.format, err = output.ParseFormat(value)
	case 'o':
		o.outFile = value
	case 'B':
		o.buffer, err = output.ParseBufferMode(value)
	case 'p':
		o.pid, err = parsePid(value)
	case 'I':
		o.includeDirs = append(o.includeDirs, value)
	case 'c':
		o.command = value
		if strings.TrimSpace(value) == "" {
			err = fmt.Errorf("-c needs a command")
		}
	}
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	return nil
}

// setFlag sets the option -c that takes no value.
func (o *options) setFlag(c byte) error {
	switch c {
	case 'q':
		o.quiet = true
	case 'v':
		o.verbose = true
	case 'l':
		o.list = true
	case 'k':
		if o.helperErrors {
			// bpftrace v0.26 removed -kk: -k now reports both.
			return &usageError{msg: "-kk was removed in bpftrace v0.26: use a single -k"}
		}
		o.helperErrors = true
	}
	return nil
}

// parseArgs reads the command line the way getopt_long does for bpftrace:
// options may come before or after the file; `--` ends them.
func parseArgs(args []string) (*options, error) {
	o, rest, err := scanArgs(args)
	if err != nil {
		return nil, err
	}
	return o, o.settle(rest)
}

// scanArgs reads the options of a command line, and what is not an
// option: the file and the positional parameters.
func scanArgs(args []string) (o *options, rest []string, err error) {
	o = &options{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			// After `--`, --name[=value] is a program option (getopt());
			// anything else is a positional parameter.
			for _, a := range args[i+1:] {
				if len(a) > 2 && strings.HasPrefix(a, "--") {
					o.options = append(o.options, a[2:])
				} else {
					rest = append(rest, a)
				}
			}
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			rest = append(rest, a)
			continue
		}
		if strings.HasPrefix(a, "--") {
			name, value, hasValue := strings.Cut(a[2:], "=")
			if ok, err := o.parseProbeOption(name, value, hasValue, args, &i); ok {
				if err != nil {
					return nil, nil, err
				}
				continue
			}
			if ok, err := o.parseMetricsOption(name, value, hasValue, args, &i); ok {
				if err != nil {
					return nil, nil, err
				}
				continue
			}
			if c, ok := longValued[name]; ok {
				if !hasValue {
					if i+1 >= len(args) {
						return nil, nil, &usageError{msg: "option --" + name + " needs a value"}
					}
					i++
					value = args[i]
				}
				if err := o.setValue(c, value); err != nil {
					return nil, nil, err
				}
				continue
			}
			if name == "no-feature" {
				if !hasValue {
					if i+1 >= len(args) {
						return nil, nil, &usageError{msg: "option --no-feature needs a value"}
					}
					i++
					value = args[i]
				}
				if err := o.addNoFeatures(value); err != nil {
					return nil, nil, &usageError{msg: err.Error()}
				}
				continue
			}
			if c, ok := longFlags[name]; ok && !hasValue {
				if err := o.setFlag(c); err != nil {
					return nil, nil, err
				}
				continue
			}
			if name == "emit-elf" || name == "include" || name == "aot" {
				if !hasValue {
					if i+1 >= len(args) {
						return nil, nil, &usageError{msg: "option --" + name + " needs a file"}
					}
					i++
					value = args[i]
				}
				switch name {
				case "include":
					o.includes = append(o.includes, value)
				case "aot":
					o.aot = value
				default:
					o.emitELF = value
				}
				continue
			}
			switch name {
			case "no-warnings":
				o.noWarnings = true
			case "help":
				o.help = true
			case "version":
				o.version = true
			case "verify":
				o.verify = true
			case "unsafe":
				o.unsafe = true
			case "dry-run":
				o.dryRun = true
			case "info":
				o.info = true
			case "repl":
				o.repl = true
			case "usdt-file-activation":
				// Always so: the kernel counts a usdt probe's semaphore up
				// in every process that maps its file (-p: in that one).
			default:
				return nil, nil, &usageError{msg: fmt.Sprintf("unknown option %q", a), synopsis: true}
			}
			if hasValue {
				return nil, nil, &usageError{msg: fmt.Sprintf("option --%s takes no value (%q)", name, value)}
			}
			continue
		}
		// Short options, possibly combined: -qv, -e PROG, -ePROG.
		for j := 1; j < len(a); j++ {
			c := a[j]
			switch c {
			case 'q', 'v', 'l', 'k':
				if err := o.setFlag(c); err != nil {
					return nil, nil, err
				}
			case 'h':
				o.help = true
			case 'V':
				o.version = true
			case 'e', 'd', 'f', 'o', 'B', 'p', 'c', 'I':
				value := a[j+1:]
				if value == "" {
					if i+1 >= len(args) {
						return nil, nil, &usageError{msg: fmt.Sprintf("option -%c needs a value", c)}
					}
					i++
					value = args[i]
				}
				if err := o.setValue(c, value); err != nil {
					return nil, nil, err
				}
				j = len(a)
			default:
				return nil, nil, &usageError{msg: fmt.Sprintf("unknown option -%c", c), synopsis: true}
			}
		}
	}
	return o, rest, nil
}

// settle checks the options scanArgs read, and takes the file and the
// positional parameters from rest.
func (o *options) settle(rest []string) error {
	if o.help || o.version || o.info {
		return nil
	}
	if o.list {
		return o.listArgs(rest)
	}
	if o.pid != 0 && o.command != "" {
		return &usageError{msg: "-p and -c cannot be used together"}
	}
	if err := o.checkAOT(); err != nil {
		return err
	}
	if err := o.checkMetrics(); err != nil {
		return err
	}
	if (o.repl || !o.hasProg && len(rest) == 0) && len(o.options) > 0 {
		return &usageError{msg: "program options (-- --NAME=VALUE) need a program: the REPL takes none"}
	}
	if o.repl && (o.pid != 0 || o.command != "" || o.emitELF != "" || o.debug != "" || o.verify || o.dryRun) {
		return &usageError{msg: "--repl takes none of -p, -c, -d, --verify, --dry-run, --emit-elf"}
	}
	if !o.hasProg {
		if len(rest) == 0 && (o.repl || o.pid == 0 && o.command == "" && o.emitELF == "" && o.aot == "" && o.debug == "" && !o.verify && !o.dryRun) {
			o.replIfTerminal = !o.repl
			return nil
		}
		if len(rest) == 0 {
			return &usageError{msg: noProgram}
		}
		o.file, rest = rest[0], rest[1:]
	}
	o.params = rest
	return nil
}
