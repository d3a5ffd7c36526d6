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
	pprof        string // --pprof FILE: the stack counts as a pprof profile
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
	// dwarfPids are the processes whose binaries dw_ustack unwinds
	// (--dwarf-pid PID, given any number of times), besides -p's and -c's.
	dwarfPids []int
	probeOptions
	metricsOptions
	// given are the rows of optionTable the command line gave, in order.
	given []*optionSpec
}

// noProgram is the usage error when hawk is given no program and its
// input is not a terminal.
const noProgram = "no program given: use -e 'PROGRAM', a FILE, - for stdin, or --repl"

// usageError is a mistake on the command line. An unknown option also
// shows the synopsis of the usage (synopsis).
type usageError struct {
	msg      string
	synopsis bool
}

func (e *usageError) Error() string { return e.msg }

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
			spec := longOption(name)
			switch {
			case spec == nil:
				return nil, nil, &usageError{msg: fmt.Sprintf("unknown option %q", a), synopsis: true}
			case spec.arg == "" && hasValue:
				return nil, nil, &usageError{msg: fmt.Sprintf("option --%s takes no value (%q)", name, value)}
			case spec.arg != "" && !hasValue:
				if i+1 >= len(args) {
					return nil, nil, spec.missingValue(true)
				}
				i++
				value = args[i]
			}
			if err := o.apply(spec, value); err != nil {
				return nil, nil, err
			}
			continue
		}
		// Short options, possibly combined: -qv, -e PROG, -ePROG.
		for j := 1; j < len(a); j++ {
			spec := shortOption(a[j])
			if spec == nil {
				return nil, nil, &usageError{msg: fmt.Sprintf("unknown option -%c", a[j]), synopsis: true}
			}
			value := ""
			if spec.arg != "" {
				value = a[j+1:]
				if value == "" {
					if i+1 >= len(args) {
						return nil, nil, spec.missingValue(false)
					}
					i++
					value = args[i]
				}
				j = len(a)
			}
			if err := o.apply(spec, value); err != nil {
				return nil, nil, err
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
