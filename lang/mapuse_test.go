package lang

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMapUses(t *testing.T) {
	c := checkText(`
macro reset(@m) { clear(@m) }
tracepoint:syscalls:sys_enter_openat {
	@opens[comm, pid] = count();
	@files[args.filename] = count();
	$k = tid;
	@mixed[$k, pid % 4, str(args.filename)] = sum(1);
	@bytes = count();
	$t = (1, 2);
	@tuple[$t] = count();
	@inc[cpu]++;
	@deleted[pid] = 1;
	delete(@deleted[pid]);
	@zeroed[comm] = count();
	@cleared[comm] = count();
	@read[pid] = 1;
}
interval:s:1 { zero(@zeroed); reset(@cleared); }
`)
	if c.err != nil {
		t.Fatal(c.err)
	}
	got := MapUses(c.prog, c.info)
	want := map[string]*MapUse{
		"@opens":   {KeyNames: []string{"comm", "pid"}},
		"@files":   {KeyNames: []string{"filename"}},
		"@mixed":   {KeyNames: []string{"k", "", ""}},
		"@bytes":   {},
		"@tuple":   {},
		"@inc":     {KeyNames: []string{"cpu"}},
		"@deleted": {KeyNames: []string{"pid"}, Reset: true},
		"@zeroed":  {KeyNames: []string{"comm"}, Reset: true},
		"@cleared": {KeyNames: []string{"comm"}, Reset: true},
		"@read":    {KeyNames: []string{"pid"}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("MapUses (-want +got):\n%s", d)
	}
}

// The first assignment names the keys, even after a read that wrote other
// expressions.
func TestMapUsesFirstAssignment(t *testing.T) {
	c := checkText(`BEGIN { if (@m[1] == 0) { @m[pid] = 1; } @m[tid] = 2; }`)
	if c.err != nil {
		t.Fatal(c.err)
	}
	if got := MapUses(c.prog, c.info)["@m"].KeyNames; !cmp.Equal(got, []string{"pid"}) {
		t.Errorf("KeyNames = %q, want [pid]", got)
	}
}
