package listing

import (
	"bytes"
	"github.com/hawktrace/hawk/internal/golden"
	"path/filepath"
	"strings"
	"testing"
)

// list runs List and returns its output.
func list(t *testing.T, pattern string, verbose bool) (string, error) {
	t.Helper()
	var b bytes.Buffer
	err := List(&b, pattern, Options{Verbose: verbose})
	return b.String(), err
}

// TestGolden checks listings that do not depend on the kernel against
// testdata/NAME.golden.
func TestGolden(t *testing.T) {
	tests := []struct{ name, pattern string }{
		{"software", "software:*"},
		{"software_alias", "s:cpu*"},
		{"hardware", "h:*"},
		{"perf_wildcard_provider", "*ware:*"},
		{"perf_bare_event", "software:cpu-clock,hardware:cycles:"},
		{"list_with_gaps", " software:cpu-clock: ,, hardware:cycles: ,"},
		{"interval", "interval:*"},
		{"profile", "p:h*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := list(t, tt.pattern, false)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", tt.name+".golden"), got)
		})
	}
}

func TestErrors(t *testing.T) {
	tests := []struct{ pattern, err string }{
		{"bogus:*", `unknown probe type "bogus" in "bogus:*"`},
		{"uprobe:", "names no binary"},
		{"usdt:", "names no binary"},
		{"uprobe:/no/such/binary:*", "/no/such/binary"},
		{"software:*,bogus:x", `unknown probe type "bogus"`},
	}
	for _, tt := range tests {
		_, err := list(t, tt.pattern, false)
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("List(%q) = %v, want an error with %q", tt.pattern, err, tt.err)
		}
	}
	// Lines before the bad pattern are written.
	out, _ := list(t, "software:cpu-clock:,bogus:x", false)
	if out != "software:cpu-clock:\n" {
		t.Errorf("output before an error = %q", out)
	}
}

// TestNothing checks patterns that match nothing: no output, no error.
func TestNothing(t *testing.T) {
	for _, pattern := range []string{"software:no-such-event", "hardware:x*", "begin:", "END:", "interval:days"} {
		out, err := list(t, pattern, true)
		if out != "" || err != nil {
			t.Errorf("List(%q) = %q, %v; want nothing", pattern, out, err)
		}
	}
}

func TestFindKind(t *testing.T) {
	tests := []struct{ spelling, want string }{
		{"kprobe", "kprobe"}, {"k", "kprobe"}, {"kr", "kretprobe"},
		{"t", "tracepoint"}, {"rt", "rawtracepoint"},
		{"f", "fentry"}, {"kfunc", "fentry"}, {"fr", "fexit"}, {"kretfunc", "fexit"},
		{"s", "software"}, {"h", "hardware"}, {"it", "iter"},
		{"u", "uprobe"}, {"ur", "uretprobe"}, {"U", "usdt"},
		{"i", "interval"}, {"p", "profile"},
	}
	for _, tt := range tests {
		k := findKind(tt.spelling)
		if k == nil || k.name != tt.want {
			t.Errorf("findKind(%q) = %v, want %s", tt.spelling, k, tt.want)
		}
	}
	for i := 1; i < len(kinds); i++ {
		if kinds[i-1].name >= kinds[i].name {
			t.Errorf("kinds are not sorted: %s before %s", kinds[i-1].name, kinds[i].name)
		}
	}
}
