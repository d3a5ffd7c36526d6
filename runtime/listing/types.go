package listing

import (
	"strings"

	"github.com/hawktrace/hawk/runtime/kernel"
)

// typeKinds are the words that start a pattern of kernel types:
// `-l 'struct task_*'`, `-lv 'enum cpu_usage_stat'`.
var typeKinds = []string{"struct ", "union ", "enum "}

// isTypePattern reports whether pattern names kernel types, not probes.
func isTypePattern(pattern string) bool {
	for _, k := range typeKinds {
		if strings.HasPrefix(pattern, k) {
			return true
		}
	}
	return false
}

// listTypes lists the kernel's structs, unions or enums that pattern
// matches ("struct task_*"), sorted: their names, or with -lv each one's C
// definition after "vmlinux: " (hawk reads no module BTF), followed by an
// empty line, as bpftrace prints them.
func (l *lister) listTypes(pattern string) ([]string, error) {
	names, err := l.env.KernelTypeNames()
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, name := range names {
		if !kernel.Match(pattern, name) {
			continue
		}
		if !l.verbose {
			lines = append(lines, name)
			continue
		}
		def, err := l.env.KernelTypeDefinition(name)
		if err != nil {
			return lines, err
		}
		lines = append(lines, strings.Split("vmlinux: "+def, "\n")...)
		lines = append(lines, "")
	}
	return lines, nil
}
