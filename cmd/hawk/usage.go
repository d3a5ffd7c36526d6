package main

import (
	"strings"
)

// synopses are the ways to run hawk, each with what it means ("" when
// the line says it all): the usage's synopsis and the man page's.
var synopses = []struct{ line, note string }{
	{"hawk [options] FILE [args...]", ""},
	{"hawk [options] - [args...]", "the program is read from stdin"},
	{"hawk [options] -e 'PROGRAM' [args...]", ""},
	{"hawk -l [PATTERN | FILE | -e 'PROGRAM']", ""},
	{"hawk [--repl]", "interactive: with no program, on a terminal"},
	{"hawk completion bash|zsh|fish", "print the shell's completion script"},
}

// argumentsNote says how hawk reads what follows the program: --help's
// paragraph after the options, and the man page's.
const argumentsNote = `Arguments after the program are its positional parameters $1, $2, ...
After --, --NAME=VALUE (or --NAME) is a program option that the program
reads with getopt("NAME", DEFAULT); -- --help lists them.`

// An envVar is an environment variable hawk reads, with what it does.
type envVar struct{ name, help string }

// envVars are the environment variables hawk reads, as --help and the
// man page list them.
var envVars = []envVar{
	{"BPFTRACE_NAME=VALUE", "sets config variable NAME, as the script's config block does, and wins over it: " +
		"BPFTRACE_MAX_STRLEN, BPFTRACE_MAX_MAP_KEYS, BPFTRACE_STACK_MODE, BPFTRACE_PERF_RB_PAGES, " +
		"BPFTRACE_MISSING_PROBES, BPFTRACE_PRINT_MAPS_ON_EXIT, BPFTRACE_STR_TRUNC_TRAILER, " +
		"BPFTRACE_MAX_CAT_BYTES, BPFTRACE_LICENSE, ..."},
	{"BPFTRACE_STRLEN", "bpftrace 0.17's name of BPFTRACE_MAX_STRLEN"},
	{"BPFTRACE_COLOR", `auto (default), always or never: color the words "error" and "warning" of hawk's messages; ` +
		"auto colors them when stdout and stderr are both terminals"},
	{"HAWK_HISTORY", "the REPL's history file (default ~/.hawk_history)"},
}

// An example is a command line, with what it does.
type example struct{ command, does string }

// examples are the command lines --help and the man page show.
var examples = []example{
	{`hawk -e 'BEGIN { printf("hello\n"); exit(); }'`, "print hello and exit"},
	{`hawk -e 'tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }'`,
		"count the files each command opens, until Ctrl-C prints the counts"},
	{`hawk -l 'tracepoint:sched:*'`, "list the scheduler's tracepoints"},
	{`hawk -c 'ls /' -e 'tracepoint:syscalls:sys_enter_openat /pid == cpid/ { @ = count(); }'`,
		"count the files ls opens"},
}

// Columns of --help: options are indented by optIndent and their help
// starts at helpColumn, wrapped before helpWidth.
const (
	optIndent  = 4
	helpColumn = 19
	helpWidth  = 74
)

// synopsis is the usage's first part: the ways to run hawk.
func synopsis() string {
	var b strings.Builder
	b.WriteString("USAGE:\n")
	for _, s := range synopses {
		line := "    " + s.line
		if s.note != "" {
			line += strings.Repeat(" ", max(1, 38-len(line))) + "(" + s.note + ")"
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// usage is what --help prints: the synopsis, then optionTable's options
// in their paragraphs, the arguments, envVars and examples.
func usage() string {
	var b strings.Builder
	b.WriteString(synopsis())
	b.WriteString("\nOPTIONS:")
	group := -1
	for _, s := range optionTable {
		if s.hidden {
			continue
		}
		if s.group != group {
			b.WriteString("\n")
			group = s.group
		}
		writeHelpItem(&b, s.label(), s.help)
	}
	b.WriteString("\n" + argumentsNote + "\n\nENVIRONMENT:\n")
	for _, e := range envVars {
		writeHelpItem(&b, e.name, e.help)
	}
	b.WriteString("\nEXAMPLES:\n")
	for _, e := range examples {
		b.WriteString("    " + e.command + "\n")
	}
	return b.String()
}

// label is how help names the option: "-p, --pid PID", "-B MODE",
// "--include FILE", "-l, --list [PATTERN | FILE]".
func (s *optionSpec) label() string {
	var names []string
	if s.short != 0 {
		names = append(names, "-"+string(s.short))
	}
	if s.long != "" {
		names = append(names, "--"+s.long)
	}
	l := strings.Join(names, ", ")
	if s.arg != "" {
		l += " " + s.arg
	}
	if s.operand != "" {
		l += " " + s.operand
	}
	return l
}

// writeHelpItem writes one item of --help: its label, indented, and its
// help wrapped at helpColumn, beside the label when there is room and
// on the next line when not.
func writeHelpItem(b *strings.Builder, label, help string) {
	line := strings.Repeat(" ", optIndent) + label
	if len(line) <= helpColumn-1 {
		line += strings.Repeat(" ", helpColumn-len(line))
	} else {
		b.WriteString(line + "\n")
		line = strings.Repeat(" ", helpColumn)
	}
	start := true
	for _, w := range strings.Fields(help) {
		if !start && len(line)+1+len(w) > helpWidth {
			b.WriteString(line + "\n")
			line, start = strings.Repeat(" ", helpColumn), true
		}
		if !start {
			line += " "
		}
		line += w
		start = false
	}
	b.WriteString(line + "\n")
}
