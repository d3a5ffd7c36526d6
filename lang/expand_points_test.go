package lang

import (
	"fmt"
	"strings"
	"testing"
)

func TestExpandAttachPoints(t *testing.T) {
	for _, tc := range []struct {
		probe  string
		params []string
		want   string // the attach points after expansion, or the error
	}{
		{"tracepoint:syscalls:sys_enter_*", nil, "tracepoint:syscalls:sys_enter_openat tracepoint:syscalls:sys_enter_read"},
		{"t:*:sched_s*", nil, "tracepoint:sched:sched_switch"},
		{"t:sys*:sys_?xit_openat", nil, "tracepoint:syscalls:sys_exit_openat"},
		{"t:syscalls:$1", []string{"sys_enter_read"}, "t:syscalls:sys_enter_read"},
		{"t:syscalls:sys_enter_$1*", []string{"open"}, "tracepoint:syscalls:sys_enter_openat"},
		// A parameter may give the probe type, or all of the attach point.
		{"$1", []string{"t:syscalls:sys_enter_read"}, "t:syscalls:sys_enter_read"},
		{"BEG$1", []string{"IN"}, "BEGIN"},
		{"$1:$2", []string{"i", "ms:5"}, "i:ms:5"},
		{"$1", []string{"nosuch:x"}, `error: unknown probe type "nosuch"`},
		{"BEG$1", nil, `error: unknown probe type "BEG$1": positional parameter $1 is not given`},
		{"$1", []string{"i:ms:0"}, "error: the interval count must be a positive integer"},
		// Listed twice: attached once.
		{"t:syscalls:sys_enter_read, t:syscalls:sys_enter_re*", nil, "t:syscalls:sys_enter_read"},
		{"t:syscalls:nothing*", nil, "error: no tracepoint matches syscalls:nothing*"},
		{"t:syscalls:[", nil, "error: bad pattern"},
	} {
		prog, err := Parse(NewSource("-e", tc.probe+" { }"))
		if err != nil {
			t.Fatalf("%s: %v", tc.probe, err)
		}
		var diags Diagnostics
		expandAttachPoints(prog, testEnv{}, tc.params, "error", &diags)
		var got string
		if len(diags) > 0 {
			got = diags.Error()
		} else {
			var names []string
			for _, ap := range prog.Probes[0].Points {
				names = append(names, ap.Raw)
			}
			got = strings.Join(names, " ")
		}
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.probe, got, tc.want)
		}
	}
}

// TestMissingProbes: missing_probes = warn or ignore drops tracepoints
// that do not exist, and probes left with none.
func TestMissingProbes(t *testing.T) {
	script := `config = { missing_probes = %s }
t:syscalls:sys_enter_read, t:syscalls:nosuch { }
t:nosuch:nosuch, t:x:y* { }
END { }`
	for _, tc := range []struct {
		setting, probes, warnings string
	}{
		{"warn", "t:syscalls:sys_enter_read END", "tracepoint syscalls:nosuch not found; skipped (missing_probes = warn)"},
		{"ignore", "t:syscalls:sys_enter_read END", ""},
	} {
		prog, err := Parse(NewSource("-e", fmt.Sprintf(script, tc.setting)))
		if err != nil {
			t.Fatal(err)
		}
		info, err := Check(prog, testEnv{}, Config{})
		if err != nil {
			t.Fatalf("%s: %v", tc.setting, err)
		}
		var names []string
		for _, p := range prog.Probes {
			for _, ap := range p.Points {
				names = append(names, ap.Raw)
			}
		}
		if got := strings.Join(names, " "); got != tc.probes {
			t.Errorf("%s: probes %q, want %q", tc.setting, got, tc.probes)
		}
		if got := info.Warnings.Error(); !strings.Contains(got, tc.warnings) || (tc.warnings == "") != (len(info.Warnings) == 0) {
			t.Errorf("%s: warnings %q, want %q", tc.setting, got, tc.warnings)
		}
	}
	prog, _ := Parse(NewSource("-e", "t:syscalls:nosuch { }"))
	if _, err := Check(prog, testEnv{}, Config{}); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("missing_probes = error: %v", err)
	}
}
