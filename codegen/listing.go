package codegen

import (
	"fmt"
	"io"
	"strings"
)

// Fprint writes each program's instructions under the script lines they
// came from: what `hawk -d asm` prints. A dispatcher, which runs several
// programs (ProgramMeta.Func), is written once, under their attach
// points.
func Fprint(w io.Writer, out *Output) {
	texts := map[string][]string{}
	for _, p := range out.Manifest.Programs {
		texts[p.Name] = append(texts[p.Name], p.Text)
	}
	for i, p := range out.Manifest.Programs {
		if texts[p.Name] == nil {
			continue // written
		}
		if i > 0 {
			fmt.Fprintln(w)
		}
		if p.User != nil {
			fprintUser(w, out.Manifest, p)
			continue
		}
		fmt.Fprintf(w, "%s: %s\n%v", p.Name, strings.Join(texts[p.Name], " "), out.Spec.Programs[p.Name].Instructions)
		texts[p.Name] = nil
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
