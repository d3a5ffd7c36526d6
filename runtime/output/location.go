package output

import (
	"strings"

	"github.com/hawktrace/hawk/lang"
)

// ProgramFileName is the file name bpftrace's run-time messages give a
// program written on the command line (-e): "stdin". hawk's own
// compile-time diagnostics call it "-e"; the messages a running script
// prints (errorf, warnf, helper errors, run-time warnings) follow
// bpftrace's format, its file name included, so that tools reading
// bpftrace's output read hawk's.
const ProgramFileName = "stdin"

// fileName is the name a diagnostic gives the script file it points into.
func fileName(file string) string {
	if file == "-e" {
		return ProgramFileName
	}
	return file
}

// Marker is the line under a source line that marks a run-time message's
// construct, as bpftrace draws it: '~' under every column of it (hawk's
// compile-time diagnostics start theirs with '^'). Tabs before it are
// copied so that it lines up.
func Marker(line string, col, width int) string {
	return strings.Replace(lang.Marker(line, col, width), "^", "~", 1)
}
