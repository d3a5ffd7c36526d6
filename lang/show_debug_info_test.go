package lang

import (
	"strings"
	"testing"
)

// TestShowDebugInfo: show_debug_info is on by default, as in bpftrace
// built with blazesym; the config block and BPFTRACE_SHOW_DEBUG_INFO (which
// wins) turn it off, and config() reads it.
func TestShowDebugInfo(t *testing.T) {
	for _, tc := range []struct {
		script  string
		environ []string
		want    bool
		wantErr string
	}{
		{"BEGIN { }", nil, true, ""},
		{"config = { show_debug_info = 0 } BEGIN { }", nil, false, ""},
		{"config = { show_debug_info = false } BEGIN { }", []string{"BPFTRACE_SHOW_DEBUG_INFO=1"}, true, ""},
		{"BEGIN { }", []string{"BPFTRACE_SHOW_DEBUG_INFO=0"}, false, ""},
		{"BEGIN { if (config.show_debug_info) { exit(); } }", nil, true, ""},
		{"BEGIN { }", []string{"BPFTRACE_SHOW_DEBUG_INFO=maybe"}, false, `config variable show_debug_info expects true, false, 1 or 0, not "maybe"`},
	} {
		prog, err := Parse(NewSource("-e", tc.script))
		if err != nil {
			t.Fatal(err)
		}
		info, err := Check(prog, testEnv{}, Config{Environ: tc.environ})
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s %q: error %v, want %q", tc.script, tc.environ, err, tc.wantErr)
			}
			continue
		}
		if err != nil || info.Settings.ShowDebugInfo != tc.want {
			t.Errorf("%s %q: error %v, show_debug_info %v, want %v", tc.script, tc.environ, err, info.Settings.ShowDebugInfo, tc.want)
		}
	}
}
