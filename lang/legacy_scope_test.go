package lang

import (
	"sort"
	"strings"
	"testing"
)

func TestProbeScoped(t *testing.T) {
	for _, tc := range []struct {
		body string
		want string // names needing 0.17's probe scope, sorted
	}{
		// Block scoping finds every variable: nothing changes.
		{`$a = 1; if ($a) { $b = 2; $a = $b; }`, ""},
		{`if (1) { $x = 1; } else { $x = "s"; }`, ""},
		{`let $x; if (1) { $x = 1; } print($x);`, ""},
		{`for ($i : 0..3) { $s = $i; }`, ""},
		// 0.17 scripts: assigned in both branches, read after.
		{`if (1) { $x = 1; } else { $x = 2; } print($x);`, "$x"},
		{`while (0) { $y = 1; } print($y); if (1) { $z = 1; } $w = $z;`, "$y $z"},
		// Read inside a block expression, assigned in a sibling block.
		{`if (1) { $v = 1; } $u = { $v + 1 };`, "$v"},
		// Never assigned anywhere: the checker reports it instead.
		{`print($nowhere);`, ""},
	} {
		prog, err := Parse(NewSource("-e", "BEGIN { "+tc.body+" }"))
		if err != nil {
			t.Fatalf("%s: %v", tc.body, err)
		}
		var names []string
		for n := range probeScoped(prog.Probes[0].Body, nil) {
			names = append(names, n)
		}
		sort.Strings(names)
		if got := strings.Join(names, " "); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.body, got, tc.want)
		}
	}
}

// TestProbeScopedChecks: a 0.17 script (tcpdrop.bt's shape) checks, and
// its branches share one variable.
func TestProbeScopedChecks(t *testing.T) {
	prog, err := Parse(NewSource("-e", `BEGIN {
	if (pid > 1) { $addr = "a"; } else { $addr = "bb"; }
	printf("%s\n", $addr);
}`))
	if err != nil {
		t.Fatal(err)
	}
	info, err := Check(prog, testEnv{}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	vars := map[*VarInfo]bool{}
	for _, v := range info.Vars {
		if v.Name == "$addr" {
			vars[v] = true
		}
	}
	if len(vars) != 1 {
		t.Errorf("$addr is %d variables, want 1", len(vars))
	}
}
