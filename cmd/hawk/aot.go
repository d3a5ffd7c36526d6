package main

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/codegen/object"
	"github.com/hawktrace/hawk/internal/aot"
	"github.com/hawktrace/hawk/internal/outfile"
	"github.com/hawktrace/hawk/runtime/output"
)

// checkAOT refuses what cannot go with --aot: the options of a run, which
// the executable takes when it runs, and other outputs. bpftrace refuses
// -k too. An object (--emit-elf) takes its program options when it runs
// too.
func (o *options) checkAOT() error {
	if o.emitELF != "" && len(o.options) > 0 {
		return &usageError{msg: "cannot use program options (-- --NAME=VALUE) with --emit-elf: give them to hawk FILE when it runs the object"}
	}
	if o.aot == "" {
		return nil
	}
	for _, c := range []struct {
		given bool
		name  string
	}{
		{o.helperErrors, "-k"}, {o.emitELF != "", "--emit-elf"}, {o.debug != "", "-d"}, {o.verify, "--verify"},
		{o.dryRun, "--dry-run"}, {o.repl, "--repl"},
	} {
		if c.given {
			return &usageError{msg: fmt.Sprintf("cannot use %s with --aot", c.name)}
		}
	}
	for _, c := range []struct {
		given bool
		name  string
	}{
		{o.pid != 0, "-p"}, {o.command != "", "-c"}, {len(o.dwarfPids) > 0, "--dwarf-pid"}, {o.outFile != "", "-o"}, {o.format != output.FormatText, "-f"},
		{o.buffer != output.BufferAuto, "-B"}, {len(o.options) > 0, "program options (-- --NAME=VALUE)"},
	} {
		if c.given {
			return &usageError{msg: fmt.Sprintf("cannot use %s with --aot: give them to the executable when it runs", c.name)}
		}
	}
	return nil
}

// writeAOT writes the executable --aot asks for: a copy of hawk's own
// executable carrying the compiled script (package aot), mode 0755. It
// never writes over the files in keep (outfile.Create).
func writeAOT(path string, out *codegen.Output, keep ...string) error {
	var obj bytes.Buffer
	if err := object.Write(&obj, out); err != nil {
		return err
	}
	exe, err := os.Open("/proc/self/exe")
	if err != nil {
		return fmt.Errorf("reading hawk's executable: %w", err)
	}
	defer exe.Close()
	st, err := exe.Stat()
	if err != nil {
		return fmt.Errorf("reading hawk's executable: %w", err)
	}
	f, err := outfile.Create(path, 0o755, append(keep, "/proc/self/exe")...)
	if err != nil {
		return err
	}
	err = aot.Write(f, exe, st.Size(), obj.Bytes())
	if err == nil {
		// A file that existed keeps its mode: make it executable.
		err = f.Chmod(0o755)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// embeddedUsage is the help of an executable that --aot wrote, named
// name: the options of optionTable that it takes and lists.
func embeddedUsage(name string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `USAGE:
    %s [options] [-- --NAME=VALUE ...]

Runs the bpftrace program compiled into it by hawk --aot. After --,
--NAME=VALUE (or --NAME) is a program option that the program reads with
getopt("NAME", DEFAULT); -- --help lists them.

OPTIONS:
`, name)
	for _, s := range optionTable {
		if s.embedded != embeddedListed {
			continue
		}
		help := s.embeddedHelp
		if help == "" {
			help = s.help
		}
		writeHelpItem(&b, s.label(), help)
	}
	return b.String()
}

// parseEmbeddedArgs reads the command line of an executable that --aot
// wrote, which runs the object obj: the options of a run and program
// options, but no program, no positional parameter (they were fixed when
// the program was compiled, and bpftrace's AOT takes none either) and
// nothing that only compiling reads.
func parseEmbeddedArgs(args []string, obj []byte) (*options, error) {
	o, rest, err := scanArgs(args)
	if err != nil {
		return nil, err
	}
	o.embedded = obj
	if o.help || o.version {
		return o, nil
	}
	var refused []string
	for _, s := range o.given {
		if name := s.spelling(false); s.embedded == embeddedRefused && !slices.Contains(refused, name) {
			refused = append(refused, name)
		}
	}
	if len(refused) > 0 {
		return nil, &usageError{msg: fmt.Sprintf("%s: this executable runs the program compiled into it (hawk --aot)", strings.Join(refused, ", "))}
	}
	if len(rest) > 0 {
		return nil, &usageError{msg: fmt.Sprintf("positional parameters (%s) were fixed when the program was compiled (hawk --aot): give program options instead (-- --NAME=VALUE)", strings.Join(rest, " "))}
	}
	if o.pid != 0 && o.command != "" {
		return nil, &usageError{msg: "-p and -c cannot be used together"}
	}
	if o.debug != "" && o.debug != "asm" {
		return nil, &usageError{msg: fmt.Sprintf("unknown debug stage %q (a compiled program has only asm)", o.debug)}
	}
	return o, nil
}
