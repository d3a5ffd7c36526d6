package repl

import (
	"fmt"
	"strings"

	"github.com/hawktrace/hawk/lang"
)

// helpOn runs `.help NAME...`: what lang's tables say of each builtin,
// function or probe kind named, or of a command (.watch).
func (r *REPL) helpOn(names []string) error {
	var lines []string
	for _, name := range names {
		if cmd, ok := strings.CutPrefix(name, "."); ok {
			c, err := findCommand(cmd)
			if err != nil {
				return err
			}
			lines = append(lines, fmt.Sprintf(".%s %s", c.name, c.usage), "    "+c.help)
			continue
		}
		docs := lang.DocsOf(name)
		if len(docs) == 0 {
			return fmt.Errorf("no builtin, function or probe kind is named %q (Tab after .help lists the names)", name)
		}
		for _, d := range docs {
			lines = append(lines, fmt.Sprintf("%s %s: %s", d.Kind, d.Name, d.Sig), "    "+d.Text)
		}
	}
	fmt.Fprint(r.cfg.Stderr, strings.Join(lines, "\n")+"\n")
	return nil
}

// helpNames lists what .help takes: every builtin's, function's and
// probe kind's name, and the commands.
func helpNames() []string {
	var names []string
	for _, d := range lang.Docs() {
		names = append(names, d.Name)
	}
	for _, c := range commands {
		names = append(names, "."+c.name)
	}
	return names
}
