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
		fmt.Fprintf(w, "%s: %s\n%v", p.Name, p.Text, out.Spec.Programs[p.Name].Instructions)
	}
}
