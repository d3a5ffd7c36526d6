package lang

import (
	"strings"
	"testing"
)

// TestLegacyStrlen: BPFTRACE_STRLEN, bpftrace 0.17's spelling, sets
// max_strlen; BPFTRACE_MAX_STRLEN wins over it, whatever their order.
func TestLegacyStrlen(t *testing.T) {
	for _, tc := range []struct {
		environ []string
		want    int
		wantErr string
	}{
		{[]string{"BPFTRACE_STRLEN=32"}, 32, ""},
		{[]string{"BPFTRACE_STRLEN=32", "BPFTRACE_MAX_STRLEN=48"}, 48, ""},
		{[]string{"BPFTRACE_MAX_STRLEN=48", "BPFTRACE_STRLEN=32"}, 48, ""},
		{[]string{"BPFTRACE_STRLEN=1"}, 0, "environment variable BPFTRACE_STRLEN: config variable max_strlen expects an integer of at least 2, not \"1\""},
	} {
		prog, err := Parse(NewSource("-e", "BEGIN { }"))
		if err != nil {
			t.Fatal(err)
		}
		info, err := Check(prog, testEnv{}, Config{Environ: tc.environ})
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%q: error %v, want %q", tc.environ, err, tc.wantErr)
			}
			continue
		}
		if err != nil || info.Settings.MaxStrlen != tc.want {
			t.Errorf("%q: error %v, max_strlen %d, want %d", tc.environ, err, info.Settings.MaxStrlen, tc.want)
		}
	}
}
