package lang

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

// TestFilterProbes: the filter keeps the attach points whose probe name
// it finds a match in, and BEGIN and END; probes left without attach
// points go; a filter that leaves nothing but BEGIN and END of a script
// that had more is ErrNoProbesToAttach.
func TestFilterProbes(t *testing.T) {
	const script = `BEGIN { } i:ms:100 { } interval:ms:200, t:syscalls:sys_enter_read { } k:vfs_read { } END { }`
	for _, tc := range []struct {
		filter string
		want   string // the probes left, their attach points by name
		err    bool
	}{
		{":200", "BEGIN | interval:ms:200 | END", false},
		{"ms:(100|200)", "BEGIN | interval:ms:100 | interval:ms:200 | END", false},
		{"^kprobe:vfs", "BEGIN | kprobe:vfs_read | END", false},
		{"sys_enter|:100", "BEGIN | interval:ms:100 | tracepoint:syscalls:sys_enter_read | END", false},
		{"nothing", "BEGIN | END", true},
	} {
		prog, err := ParseFiles(NewSource("-e", script))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Check(prog, testEnv{}, Config{}); err != nil {
			t.Fatal(err)
		}
		err = FilterProbes(prog, regexp.MustCompile(tc.filter))
		var probes []string
		for _, p := range prog.Probes {
			var names []string
			for _, ap := range p.Points {
				names = append(names, ProbeName(ap))
			}
			probes = append(probes, strings.Join(names, ","))
		}
		if got := strings.Join(probes, " | "); got != tc.want || errors.Is(err, ErrNoProbesToAttach) != tc.err {
			t.Errorf("%s: %s, error %v; want %s, error %v", tc.filter, got, err, tc.want, tc.err)
		}
	}
}
