package lang

// checkJumpValue checks the value of `return EXPR;`, which the probe's
// program returns to the kernel, as in bpftrace: an integer (a test:
// probe fails with a value other than 0). break and continue take none.
func (c *checker) checkJumpValue(j *JumpStmt) {
	if j.Value == nil {
		return
	}
	if j.Kind != "return" {
		c.errorf(j.Value, "%s takes no value", j.Kind)
		return
	}
	t := c.expr(j.Value)
	if !t.IsInvalid() && !t.IsInteger() {
		d := c.errorf(j.Value, "a probe returns an integer, not %s", t)
		d.Hint = "return EXPR; gives the value the probe's program returns to the kernel"
	}
}
