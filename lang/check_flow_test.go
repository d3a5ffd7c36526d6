package lang

import "testing"

// TestUnreachableWarning: the first statement after one that always
// leaves (return, break, continue, exit(), an if-else leaving both ways)
// gets a warning, as bpftrace gives; nothing else does.
func TestUnreachableWarning(t *testing.T) {
	for _, tc := range []struct{ script, want string }{
		{"i:ms:100 { @++; exit(); @++ }",
			"-e:1:25: warning: unreachable statement\n    i:ms:100 { @++; exit(); @++ }\n                            ^~~"},
		{"BEGIN { return; @x = 1; @y = 2 }",
			"-e:1:17: warning: unreachable statement\n    BEGIN { return; @x = 1; @y = 2 }\n                    ^~~~~~"},
		{"BEGIN { if (nsecs) { exit(); } else { return; } @x = 1 }",
			"-e:1:49: warning: unreachable statement\n    BEGIN { if (nsecs) { exit(); } else { return; } @x = 1 }\n                                                    ^~~~~~"},
		{"BEGIN { while (1) { break; @x = 1 } }",
			"-e:1:28: warning: unreachable statement\n    BEGIN { while (1) { break; @x = 1 } }\n                               ^~~~~~"},
		{"BEGIN { $v = { exit(); 1 }; }", ""},
		{"BEGIN { if (nsecs) { exit(); } @x = 1 }", ""},
		{"BEGIN { if (nsecs) { exit(); } else if (pid) { return; } @x = 1 }", ""},
		{"BEGIN { @x = 1; exit(); }", ""},
	} {
		c := checkText(tc.script)
		if c.err != nil {
			t.Errorf("%s: %v", tc.script, c.err)
			continue
		}
		if got := c.info.Warnings.Error(); got != tc.want {
			t.Errorf("%s: warnings\n%s\nwant\n%s", tc.script, got, tc.want)
		}
	}
}
