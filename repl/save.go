package repl

import (
	"fmt"
	"strings"

	"github.com/hawktrace/hawk/internal/outfile"
	"github.com/hawktrace/hawk/lang"
)

// save writes the BEGIN probes typed, then the probes attached, after the
// declarations typed in the session (config, macros, structs, map
// declarations, #define), as a script that `hawk FILE` runs to the
// output the session printed: its BEGIN probes ran when typed, and run
// first in the script. Statements typed bare (`@x = 1`, `@x`) are left
// out: they are the session's, run once.
func (r *REPL) save(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: .save FILE.bt")
	}
	text, n, err := r.script()
	if err != nil {
		return err
	}
	if err := writeFile(args[0], text); err != nil {
		return err
	}
	r.errorf("saved %d probe%s to %s", n, plural(n), args[0])
	return nil
}

// writeFile writes text to path, following no symbolic link another user
// planted in a sticky directory (outfile.Create).
func writeFile(path, text string) error {
	f, err := outfile.Create(path, 0o666)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// script is the session's declarations, BEGIN probes and probes
// attached, as a script, and how many probes it has.
func (r *REPL) script() (string, int, error) {
	var b strings.Builder
	b.WriteString("// Saved from a hawk REPL session.\n")
	for _, e := range r.entries {
		if e.stmts {
			continue
		}
		prog, err := e.parse()
		if err != nil {
			return "", 0, err
		}
		for _, it := range prog.Items {
			if _, ok := it.(*lang.Probe); ok {
				continue
			}
			if d, ok := it.(*lang.Directive); ok {
				fmt.Fprintf(&b, "%s\n", d.Text)
				continue
			}
			fmt.Fprintf(&b, "%s\n", e.src.For(it).Snippet(it.Start().Offset, it.End().Offset))
		}
	}
	for _, body := range r.begins {
		fmt.Fprintf(&b, "\n%s\n", body)
	}
	n := len(r.begins)
	for _, p := range r.probes {
		if p.unit.Attached(p.index) {
			fmt.Fprintf(&b, "\n%s\n", p.body)
			n++
		}
	}
	return b.String(), n, nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
