package codegen_test

import "testing"

// TestLicense: every program carries the license setting, GPL unless the
// script's config says otherwise.
func TestLicense(t *testing.T) {
	for _, tc := range []struct{ script, want string }{
		{`BEGIN { exit(); } i:ms:1 { @ = 1; }`, "GPL"},
		{`config = { license = "Dual MIT/GPL" } BEGIN { exit(); } i:ms:1 { @ = 1; }`, "Dual MIT/GPL"},
	} {
		out := compile(t, "license.bt", tc.script)
		for name, p := range out.Spec.Programs {
			if p.License != tc.want {
				t.Errorf("%s: program %s has license %q, want %q", tc.script, name, p.License, tc.want)
			}
		}
	}
}
