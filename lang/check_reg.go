package lang

import (
	"slices"
	"strings"
)

// Registers are the names reg() reads: x86-64's struct pt_regs, as
// bpftrace names them ("ip", "sp", "ax", ...; "pc" is ip too).
var Registers = []string{"r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8",
	"ax", "cx", "dx", "si", "di", "orig_ax", "ip", "cs", "flags", "sp", "ss", "pc"}

// checkReg checks reg("name"): a register the probe's context holds.
func (c *checker) checkReg(call *Call) *Type {
	if c.expr(call.Args[0]).IsInvalid() {
		return Invalid
	}
	name, ok := call.Args[0].(*StrLit)
	if !ok {
		c.errorf(call.Args[0], "reg takes a register's name, a string literal")
		return Invalid
	}
	if !slices.Contains(Registers, name.Value) {
		d := c.errorf(call.Args[0], "unknown register %q (registers: %s)", name.Value, strings.Join(Registers, ", "))
		didYouMean(d, name.Value, Registers)
		return Invalid
	}
	if !c.pointsKnown() {
		return Invalid
	}
	for _, ap := range c.probe.Points {
		if !hasKind(regsKinds, ap.Kind) {
			c.errorf(call, "reg() reads the registers of kprobes, uprobes, usdt and perf event probes, not of %s", ap.Raw)
			return Invalid
		}
	}
	return Uint64
}
