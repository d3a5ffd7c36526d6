package lang

// checkIterTarget checks that the kernel has the iterator an iter probe
// names: its BTF declares the iterator's context, struct bpf_iter__NAME,
// whose members ctx reads.
func (c *checker) checkIterTarget(ap *AttachPoint) {
	if _, err := c.env.KernelType("struct bpf_iter__" + ap.Args[0]); err != nil {
		c.errorf(ap, "unknown iterator %q: the kernel has no struct bpf_iter__%s", ap.Args[0], ap.Args[0]).Hint =
			"hawk -l 'iter:*' lists the kernel's iterators"
	}
}
