package codegen

import (
	"fmt"
	"io"
)

// Fprint writes each program's instructions under the script lines they
// came from: what `hawk -d asm` prints.
func Fprint(w io.Writer, out *Output) {
	for i, p := range out.Manifest.Programs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if p.User != nil {
			fprintUser(w, out.Manifest, p)
			continue
		}
		fmt.Fprintf(w, "%s: %s\n%v", p.Name, p.Text, out.Spec.Programs[p.Name].Instructions)
	}
}

// fprintUser lists a block that runs in user space: what each record it
// sends does, under the script line that sends it.
func fprintUser(w io.Writer, man *Manifest, p *ProgramMeta) {
	fmt.Fprintf(w, "%s: %s\n\truns in user space, no program\n", p.Name, p.Text)
	last := ""
	for _, r := range p.User.Records {
		if r.Source != last {
			fmt.Fprintf(w, "\t  ; %s\n", r.Source)
			last = r.Source
		}
		fmt.Fprintf(w, "\t%s\n", describeRecord(man, r.Data))
	}
	for _, st := range p.User.State {
		fmt.Fprintf(w, "\tstate +%d = %#x\n", st.Offset, getSized(st.Data))
	}
}
