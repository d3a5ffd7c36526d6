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
		fmt.Fprintf(w, "%s: %s\n%v", p.Name, strings.Join(texts[p.Name], " "), out.Spec.Programs[p.Name].Instructions)
		texts[p.Name] = nil
	}
}
