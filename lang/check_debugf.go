package lang

// checkDebugf checks debugf(fmt, args...), which writes to the kernel's
// trace buffer (/sys/kernel/debug/tracing/trace) through
// bpf_trace_printk: at most 3 arguments, and only the conversions the
// kernel's helper formats, as bpftrace allows them: %d %u %x %p of
// integers (with l or ll) and %s of strings.
func (c *checker) checkDebugf(call *Call) *Type {
	if t := c.checkPrintf(call); t.IsInvalid() {
		return t
	}
	format := c.info.Formats[call]
	if format == nil || len(format.Verbs) != len(call.Args)-1 {
		return Void // checkPrintf said what is wrong
	}
	if n := len(call.Args) - 1; n > maxDebugfArgs {
		c.extraArgs(call, maxDebugfArgs+1, "debugf() takes at most %d arguments after the format, as the kernel's bpf_trace_printk does; not %d", maxDebugfArgs, n)
		return Void
	}
	for i, v := range format.Verbs {
		bad := ""
		switch {
		case v.Conv != 'd' && v.Conv != 'u' && v.Conv != 'x' && v.Conv != 'p' && v.Conv != 's':
			bad = "debugf takes only the conversions %d, %u, %x, %p and %s"
		case v.Length != "" && v.Length != "l" && v.Length != "ll":
			bad = "debugf takes only the length modifiers l and ll"
		case v.Prec >= 0 || v.RawAs != 0 || v.Flags != "" && v.Conv == 's':
			bad = "debugf takes no precision, and no flags for %s"
		case v.Conv == 'p' && (v.Length != "" || v.Width >= 0 || v.Flags != ""):
			bad = "debugf's %p takes no width, flags or length"
		}
		if bad != "" {
			start, end := c.formatSpan(call.Args[0], v.Start, v.End)
			c.errorSpan(start, end, "%s is not for debugf: %s", v.Spec, bad)
			continue
		}
		if t := c.info.TypeOf(call.Args[i+1]); v.Conv != 's' && t.Kind == KindString {
			c.errorf(call.Args[i+1], "%s expects an integer, not %s", v.Spec, t)
		}
	}
	c.errorf(call, "debugf() writes to the kernel's trace buffer, which every tracer shares: use it for debugging, not in production (see bpf_trace_printk in bpf-helpers(7))").Severity = Warning
	return Void
}

// maxDebugfArgs is how many values bpf_trace_printk formats.
const maxDebugfArgs = 3
