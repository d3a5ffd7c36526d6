package main

import "testing"

// TestReg: reg() reads the registers of the probe's context: the first
// argument is in di, the second in si, the return value in ax, and pc
// is ip.
func TestReg(t *testing.T) {
	prog := aggrProgram(t)
	checkConstruct(t, construct{
		script: `uprobe:` + prog + `:aggregates { printf("%d %d %d %d\n", reg("di") == arg0, reg("si") == arg1, reg("pc") == reg("ip"), reg("ip") > 0); }
uretprobe:` + prog + `:aggregates { printf("%d\n", reg("ax") == retval); exit(); }`,
		args: []string{"-c", prog},
		out:  "1 1 1 1\n1\n",
	})
}
