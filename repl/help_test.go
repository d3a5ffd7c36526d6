package repl

import (
	"strings"
	"testing"

	"github.com/hawktrace/hawk/lang"
)

// TestHelpName: .help NAME shows what lang's tables say of a builtin, a
// function, a probe kind (by an alias too) or a command; every name
// lang documents has its help.
func TestHelpName(t *testing.T) {
	tests := []struct{ line, want string }{
		{".help printf", "function printf: void printf(string fmt, ...)\n    prints the values formatted by fmt, a string constant, as printf(3) does\n"},
		{".help pid", "builtin pid: uint32 pid\n    process id\n"},
		{".help t", "probe tracepoint: tracepoint:CATEGORY:NAME (alias t)\n    when the kernel tracepoint fires; args holds its fields\n"},
		{".help __builtin_signal_num", "function __builtin_signal_num: uint32 __builtin_signal_num(string name)\n"},
		{".help .watch", ".watch @map... [interval] [delta|rate] [top N]\n"},
		{".help comm", "builtin comm: string[16] comm\n    thread name\nfunction comm: string comm([int32 pid])\n"},
		{".help nope", "hawk: error: .help: no builtin, function or probe kind is named \"nope\""},
	}
	for _, tt := range tests {
		var out strings.Builder
		r := &REPL{cfg: Config{Stderr: &out}}
		r.Line(tt.line)
		if !strings.Contains(out.String(), tt.want) {
			t.Errorf("%s printed\n%s\nwant it to hold\n%s", tt.line, out.String(), tt.want)
		}
	}
	for _, d := range lang.Docs() {
		var out strings.Builder
		r := &REPL{cfg: Config{Stderr: &out}}
		r.Line(".help " + d.Name)
		if !strings.Contains(out.String(), d.Kind.String()+" "+d.Name+": "+d.Sig+"\n    "+d.Text+"\n") {
			t.Errorf(".help %s printed %q", d.Name, out.String())
		}
	}
	// Tab after .help completes the names.
	r := &REPL{}
	if _, got, _ := r.Complete(".help print", len(".help print")); strings.Join(got, " ") != "print printf" {
		t.Errorf(".help print completes to %q", got)
	}
}
