package lang

import (
	"strings"
	"testing"
)

// TestPreprocess: items inside false conditionals are dropped.
func TestPreprocess(t *testing.T) {
	for _, tc := range []struct {
		script string
		probes string // the first attach point of each probe kept
	}{
		{"#ifndef BPFTRACE_HAVE_BTF\nBEGIN { }\n#endif\nEND { }", "END"},
		{"#ifdef BPFTRACE_HAVE_BTF\nBEGIN { }\n#else\ninterval:s:1 { }\n#endif\nEND { }", "BEGIN END"},
		{"#define MINE 1\n#ifdef MINE\nBEGIN { }\n#endif", "BEGIN"},
		{"#ifdef OTHER\nBEGIN { }\n#elif defined(BPFTRACE_HAVE_BTF)\nEND { }\n#else\ninterval:s:1 { }\n#endif", "END"},
		{"#if 0\nBEGIN { }\n#if 1\ninterval:s:1 { }\n#endif\n#endif\nEND { }", "END"},
		{"#if 1\nBEGIN { }\n#endif\n#!/usr/bin/env bpftrace\nEND { }", "BEGIN END"},
	} {
		prog, err := Parse(NewSource("-e", tc.script))
		if err != nil {
			t.Errorf("%q: %v", tc.script, err)
			continue
		}
		var got []string
		for _, p := range prog.Probes {
			got = append(got, p.Points[0].Raw)
		}
		if strings.Join(got, " ") != tc.probes {
			t.Errorf("%q: probes %q, want %q", tc.script, got, tc.probes)
		}
	}
}
