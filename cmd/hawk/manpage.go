package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/hawktrace/hawk"
)

// groupTitles are the man page's subsection titles of the option table's
// paragraphs (optionSpec.group).
var groupTitles = []string{
	groupGeneral: "General",
	groupProcess: "Processes",
	groupOutput:  "Output",
	groupHeaders: "Headers",
	groupSafety:  "Safety and kernel features",
	groupModes:   "Modes and compiled output",
}

// manDescription is the man page's DESCRIPTION, paragraphs separated by
// blank lines; argumentsNote follows it.
const manDescription = `hawk runs bpftrace programs. It reads a script written in bpftrace's
language (from FILE, from stdin, or given with -e), checks it, compiles it
into eBPF programs itself, loads them into the kernel, attaches them to
their probes, and prints what the script prints and its maps at exit, as
bpftrace does.

Tracing needs root, or the capabilities CAP_BPF and CAP_PERFMON (or
CAP_SYS_ADMIN). hawk runs until the script calls exit(), the command of -c
or the process of -p ends, or Ctrl-C (SIGINT) or SIGTERM stops it.

hawk completion bash|zsh|fish prints the completion script of that shell,
made from the same table of options as this page.`

// manExitStatus is the man page's EXIT STATUS.
const manExitStatus = `0, or the code the script gives exit(); 1 for a mistake in the script or
the command line, or a failed attach; 2 for a verifier refusal and for
faults of hawk's own.`

// writeManPage writes hawk's man page, hawk.1, in roff (man macros): the
// synopses, the options of optionTable by paragraph, envVars and
// examples, so that it says what --help says.
func writeManPage(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, ".TH HAWK 1 %s %s \"User Commands\"\n", roffQuote(manDate()), roffQuote("hawk "+hawk.Version))
	// No hyphenation, ragged right: option and variable names stay whole.
	b.WriteString(".nh\n.ad l\n")
	b.WriteString(".SH NAME\nhawk \\- run bpftrace programs, compiled to eBPF by hawk itself\n")
	b.WriteString(".SH SYNOPSIS\n")
	for i, s := range synopses {
		if i > 0 {
			b.WriteString(".br\n")
		}
		b.WriteString(manSynopsis(s.line) + "\n")
	}
	b.WriteString(".SH DESCRIPTION\n")
	writeRoffParagraphs(&b, manDescription+"\n\n"+argumentsNote)
	b.WriteString(".SH OPTIONS\n")
	group := -1
	for _, s := range optionTable {
		if s.hidden {
			continue
		}
		if s.group != group {
			group = s.group
			fmt.Fprintf(&b, ".SS %s\n", roffText(groupTitles[group]))
		}
		b.WriteString(".TP\n" + s.manLabel() + "\n" + roffText(s.help) + "\n")
	}
	b.WriteString(".SH ENVIRONMENT\n")
	for _, e := range envVars {
		fmt.Fprintf(&b, ".TP\n\\fB%s\\fR\n%s\n", roffText(e.name), roffText(e.help))
	}
	b.WriteString(".SH EXIT STATUS\n")
	writeRoffParagraphs(&b, manExitStatus)
	b.WriteString(".SH EXAMPLES\n")
	for i, e := range examples {
		if i > 0 {
			b.WriteString(".PP\n") // a paragraph right after .SH is one too many
		}
		fmt.Fprintf(&b, "%s:\n.PP\n.RS 4\n.nf\n\\fB%s\\fR\n.fi\n.RE\n", roffText(capitalize(e.does)), roffText(e.command))
	}
	b.WriteString(".SH SEE ALSO\n\\fBbpftrace\\fR(8), \\fBbpf\\fR(2), \\fBperf_event_open\\fR(2)\n.PP\n" +
		"The language reference, spec.md, in hawk's sources.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// manLabel is the option's tag in the man page: its spellings in bold,
// its value in italics.
func (s *optionSpec) manLabel() string {
	var names []string
	if s.short != 0 {
		names = append(names, `\fB`+roffText("-"+string(s.short))+`\fR`)
	}
	if s.long != "" {
		names = append(names, `\fB`+roffText("--"+s.long)+`\fR`)
	}
	l := strings.Join(names, ", ")
	if s.arg != "" {
		l += ` \fI` + roffText(s.arg) + `\fR`
	}
	if s.operand != "" {
		l += " " + roffText(s.operand)
	}
	return l
}

// manSynopsis sets a synopsis line: hawk and the options in bold, the
// rest as it is.
func manSynopsis(line string) string {
	words := strings.Fields(line)
	for i, w := range words {
		if i == 0 || strings.HasPrefix(w, "-") && len(w) > 1 || w == "completion" {
			words[i] = `\fB` + roffText(w) + `\fR`
		} else {
			words[i] = roffText(w)
		}
	}
	return strings.Join(words, " ")
}

// writeRoffParagraphs writes text, whose paragraphs are separated by
// blank lines, as roff paragraphs.
func writeRoffParagraphs(b *strings.Builder, text string) {
	for i, p := range strings.Split(text, "\n\n") {
		if i > 0 {
			b.WriteString(".PP\n")
		}
		b.WriteString(roffText(strings.Join(strings.Fields(p), " ")) + "\n")
	}
}

// roffText escapes text for roff: backslashes and minus signs, and a
// period or quote that would start a line (a request).
func roffText(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = strings.ReplaceAll(s, "-", `\-`)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

// roffQuote is s as one quoted argument of a roff request.
func roffQuote(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	return `"` + strings.ReplaceAll(s, `"`, `\(dq`) + `"`
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// manDate is the date of the commit hawk was built from, as the man page
// gives it: the Makefile's stamp, or the go tool's, or "".
func manDate() string {
	date := commitDate
	if info, ok := debug.ReadBuildInfo(); ok && date == "" {
		for _, s := range info.Settings {
			if s.Key == "vcs.time" {
				date = s.Value
			}
		}
	}
	if date == "" {
		// A build that recorded no commit (go test's): the executable's
		// own date, so that the page always has one.
		if exe, err := os.Executable(); err == nil {
			if st, err := os.Stat(exe); err == nil {
				date = st.ModTime().UTC().Format(time.DateOnly)
			}
		}
	}
	if len(date) >= 10 {
		return date[:10]
	}
	return date
}

// runMan is the hidden subcommand `hawk man`: it prints the man page.
func runMan(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintf(stderr, "hawk: man takes no arguments\n")
		return exitUser
	}
	if err := writeManPage(stdout); err != nil {
		fmt.Fprintf(stderr, "hawk: error: %v\n", err)
		return exitUser
	}
	return exitOK
}
