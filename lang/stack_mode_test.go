package lang

import "testing"

// TestStackModeBuildID: ustack takes build_id, as an argument or from the
// stack_mode setting; kstack refuses it as an argument and, from the
// setting, falls back to raw with a warning, as bpftrace does.
func TestStackModeBuildID(t *testing.T) {
	const warn = "-e:1:52: warning: 'build_id' stack mode can only be used for ustack: kstack falls back to raw\n" +
		"    config = { stack_mode = build_id } BEGIN { @k[1] = kstack; @u[1] = ustack(3); @r[1] = kstack(perf) }\n" +
		"                                                       ^~~~~~"
	for _, tc := range []struct {
		script, expr string
		mode         int64
		warnings     string
	}{
		{"BEGIN { @b[1] = ustack(build_id, 30); }", "ustack(build_id, 30)", StackModeBuildID, ""},
		{"config = { stack_mode = build_id } BEGIN { @k[1] = kstack; @u[1] = ustack(3); @r[1] = kstack(perf) }", "ustack(3)", StackModeBuildID, warn},
		{"config = { stack_mode = build_id } BEGIN { @k[1] = kstack; @u[1] = ustack(3); @r[1] = kstack(perf) }", "kstack", StackModeIndex("raw"), warn},
		{"config = { stack_mode = build_id } BEGIN { @k[1] = kstack; @u[1] = ustack(3); @r[1] = kstack(perf) }", "kstack(perf)", StackModeIndex("perf"), warn},
	} {
		c := checkText(tc.script)
		if c.err != nil {
			t.Errorf("%s: %v", tc.script, c.err)
			continue
		}
		if got := stackTypeOf(c, tc.expr); got == nil || got.Args[1] != tc.mode {
			t.Errorf("%s: %s is %v, want a stack in mode %s", tc.script, tc.expr, got, StackModes[tc.mode])
		}
		if got := c.info.Warnings.Error(); got != tc.warnings {
			t.Errorf("%s: warnings\n%s\nwant\n%s", tc.script, got, tc.warnings)
		}
	}
}

// stackTypeOf returns the stack type of the expression that reads text, or
// nil. (A stack call's type is its rewrite's: the builtin's name.)
func stackTypeOf(c checked, text string) *Type {
	for e, t := range c.info.Types {
		if t.Kind != KindStack {
			continue
		}
		rewritten := false
		for call, id := range c.info.Rewrites {
			if id != e {
				continue
			}
			rewritten = true
			if c.prog.Src.Snippet(call.Start().Offset, call.End().Offset) == text {
				return t
			}
		}
		if !rewritten && c.prog.Src.Snippet(e.Start().Offset, e.End().Offset) == text {
			return t
		}
	}
	return nil
}
