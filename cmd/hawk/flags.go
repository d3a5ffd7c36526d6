package main

import (
	"fmt"
	"strconv"
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
	debug        string            // -d ast|asm
	format       output.Format     // -f text|json
	outFile      string            // -o FILE
	buffer       output.BufferMode // -B line|full|none
	unsafe       bool              // --unsafe: allow system() and signal()
	helperErrors bool              // -k: warn of map reads that find nothing
	pid          int               // -p PID
	command      string            // -c CMD
	list         bool              // -l [PATTERN]
	pattern      string
	dryRun       bool   // --dry-run: attach, then exit
	info         bool   // --info: what the kernel supports
	emitELF      string // --emit-elf FILE
	repl         bool   // --repl, or no program and a terminal
	// replIfTerminal is set when no program was given: the REPL opens if
	// stdin is a terminal.
	replIfTerminal bool
	help           bool
	version        bool
	// includeDirs (-I DIR) are searched for #include'd headers first;
	// includes (--include FILE) are read as if #include'd.
	includeDirs, includes []string
}

const usage = `USAGE:
    hawk [options] FILE [args...]
    hawk [options] - [args...]        (the program is read from stdin)
    hawk [options] -e 'PROGRAM' [args...]
    hawk [--repl]                     (interactive: with no program, on a terminal)

OPTIONS:
    -e PROGRAM     run PROGRAM
    -q             quiet: do not print "Attached N probes"
    -v             verbose: print each program's id, size and verifier work,
                   and the verifier's whole log when it refuses a program
    -d STAGE       print a stage instead of running: ast, asm
    -f FORMAT      output format: text (default) or json (one object a line)
    -o FILE        write the output to FILE instead of stdout
    -B MODE        output buffering: line, full or none (default: written
                   out as soon as no more events are waiting)
    -p PID         trace process PID: uprobes, usdt, perf events and
                   watchpoints attach to it, other probes see only it,
                   and hawk exits when it does
    -c 'CMD ARGS'  run CMD once the probes are attached, exit when it
                   does; cpid is its pid
    -l [PATTERN]   list the probes matching PATTERN (all kernel probes
                   when none); -lv also prints their arguments
    -k             warn of map reads that find no entry, once for each
                   place in the script
    --unsafe       allow actions that change the system: system(), signal()
    --verify       load every program into the kernel's verifier, attach
                   nothing, and exit 0 only if all are accepted
    --dry-run      load and attach every probe, then detach and exit
    --info         print what this kernel supports, probed, one line each
    --usdt-file-activation  accepted, as bpftrace's: usdt semaphores are
                   always counted up in every process that maps the file
    --repl         open the interactive session (REPL), even when stdin is
                   not a terminal; a program given is its first entry
    --emit-elf FILE  write the compiled script as an ELF object that
                   hawk FILE runs, here or on another host
    -I DIR         search DIR for #include'd headers, before the system's
                   directories (may be given more than once)
    --include FILE read the header FILE as if the script began with
                   #include "FILE" (may be given more than once)
    -h, --help     show this help
    -V, --version  print hawk's version

Arguments after the program are its positional parameters $1, $2, ...
After --, --NAME=VALUE (or --NAME) is a program option that the program
reads with getopt("NAME", DEFAULT); -- --help lists them.

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
		o.debug = value
	case 'f':
		o.format, err = output.ParseFormat(value)
	case 'o':
		o.outFile = value
	case 'B':
		o.buffer, err = output.ParseBufferMode(value)
	case 'p':
		o.pid, err = strconv.Atoi(value)
		if err != nil || o.pid <= 0 {
			err = fmt.Errorf("-p needs a process id, not %q", value)
		}
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

// parseArgs reads the command line the way getopt_long does for bpftrace:
// options may come before or after the file; `--` ends them.
func parseArgs(args []string) (*options, error) {
	o := &options{}
	var rest []string
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
			if name == "emit-elf" || name == "include" {
				if !hasValue {
					if i+1 >= len(args) {
						return nil, &usageError{msg: "option --" + name + " needs a file"}
					}
					i++
					value = args[i]
				}
				if name == "include" {
					o.includes = append(o.includes, value)
				} else {
					o.emitELF = value
				}
				continue
			}
			switch name {
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
				return nil, &usageError{msg: fmt.Sprintf("unknown option %q", a), synopsis: true}
			}
			if hasValue {
				return nil, &usageError{msg: fmt.Sprintf("option --%s takes no value (%q)", name, value)}
			}
			continue
		}
		// Short options, possibly combined: -qv, -e PROG, -ePROG.
		for j := 1; j < len(a); j++ {
			c := a[j]
			switch c {
			case 'q':
				o.quiet = true
			case 'v':
				o.verbose = true
			case 'h':
				o.help = true
			case 'V':
				o.version = true
			case 'l':
				o.list = true
			case 'k':
				o.helperErrors = true
			case 'e', 'd', 'f', 'o', 'B', 'p', 'c', 'I':
				value := a[j+1:]
				if value == "" {
					if i+1 >= len(args) {
						return nil, &usageError{msg: fmt.Sprintf("option -%c needs a value", c)}
					}
					i++
					value = args[i]
				}
				if err := o.setValue(c, value); err != nil {
					return nil, err
				}
				j = len(a)
			default:
				return nil, &usageError{msg: fmt.Sprintf("unknown option -%c", c), synopsis: true}
			}
		}
	}
	if o.help || o.version || o.info {
		return o, nil
	}
	if o.list {
		if o.hasProg {
			return nil, &usageError{msg: "-l lists probes: it takes a pattern, not a program"}
		}
		if len(rest) > 1 {
			return nil, &usageError{msg: "-l takes one pattern"}
		}
		if len(rest) == 1 {
			o.pattern = rest[0]
		}
		return o, nil
	}
	if o.pid != 0 && o.command != "" {
		return nil, &usageError{msg: "-p and -c cannot be used together"}
	}
	if (o.repl || !o.hasProg && len(rest) == 0) && len(o.options) > 0 {
		return nil, &usageError{msg: "program options (-- --NAME=VALUE) need a program: the REPL takes none"}
	}
	if o.repl && (o.pid != 0 || o.command != "" || o.emitELF != "" || o.debug != "" || o.verify || o.dryRun) {
		return nil, &usageError{msg: "--repl takes none of -p, -c, -d, --verify, --dry-run, --emit-elf"}
	}
	if !o.hasProg {
		if len(rest) == 0 && (o.repl || o.pid == 0 && o.command == "" && o.emitELF == "" && o.debug == "" && !o.verify && !o.dryRun) {
			o.replIfTerminal = !o.repl
			return o, nil
		}
		if len(rest) == 0 {
			return nil, &usageError{msg: noProgram}
		}
		o.file, rest = rest[0], rest[1:]
	}
	o.params = rest
	switch o.debug {
	case "", "ast", "asm":
	default:
		return nil, &usageError{msg: fmt.Sprintf("unknown debug stage %q (stages: ast, asm)", o.debug)}
	}
	return o, nil
}
