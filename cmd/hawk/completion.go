package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/hawktrace/hawk/lang"
)

// subcommands are what hawk runs when its first argument names one
// instead of a script: `hawk completion SHELL`, and `hawk man`, which
// prints the man page (make install writes it). A script of one of these
// names runs as ./completion or with -- first.
var subcommands = map[string]func(args []string, stdout, stderr io.Writer) int{
	"completion": runCompletion,
	"man":        runMan,
}

// completionShells are the shells `hawk completion` writes a script for.
var completionShells = []string{"bash", "fish", "zsh"}

// completionWriter returns what writes shell's completion script, or nil.
func completionWriter(shell string) func(b *strings.Builder) {
	switch shell {
	case "bash":
		return writeBashCompletion
	case "zsh":
		return writeZshCompletion
	case "fish":
		return writeFishCompletion
	}
	return nil
}

// runCompletion is `hawk completion SHELL`: it prints the completion
// script of SHELL, made from optionTable.
func runCompletion(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 || completionWriter(args[0]) == nil {
		fmt.Fprintf(stderr, "hawk: completion takes one shell: %s\nRun 'hawk -h' for help.\n", strings.Join(completionShells, ", "))
		return exitUser
	}
	var b strings.Builder
	completionWriter(args[0])(&b)
	if _, err := io.WriteString(stdout, b.String()); err != nil {
		fmt.Fprintf(stderr, "hawk: error: %v\n", err)
		return exitUser
	}
	return exitOK
}

// visibleOptions are the rows of optionTable that help shows.
func visibleOptions() []*optionSpec {
	var rows []*optionSpec
	for i := range optionTable {
		if !optionTable[i].hidden {
			rows = append(rows, &optionTable[i])
		}
	}
	return rows
}

// spellings are the ways to write the option: -p, --pid.
func (s *optionSpec) spellings() []string {
	var names []string
	if s.short != 0 {
		names = append(names, "-"+string(s.short))
	}
	if s.long != "" {
		names = append(names, "--"+s.long)
	}
	return names
}

// summary is the option's help cut to its first clause, for the shells
// that show a line beside each option.
func (s *optionSpec) summary() string {
	h := s.help
	for _, sep := range []string{"; ", ": ", " (", ", "} {
		if i := strings.Index(h, sep); i > 0 {
			h = h[:i]
		}
	}
	if len(h) > 60 {
		if i := strings.LastIndex(h[:60], " "); i > 0 {
			h = h[:i]
		}
	}
	return h
}

// probeKindWords are what -l completes: the probe kinds, as patterns
// begin (tracepoint:, uprobe:, ...).
func probeKindWords() []string {
	var words []string
	for _, k := range lang.ProbeKinds() {
		name := k.String()
		if name != "BEGIN" && name != "END" {
			name += ":"
		}
		words = append(words, name)
	}
	return words
}
