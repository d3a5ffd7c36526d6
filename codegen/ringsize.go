package codegen

// MinRingbufSize is the event ring buffer's size for a script whose
// programs send no record but exit()'s: one page (the runtime rounds it
// up to the kernel's page size). An exit() that finds no room is not lost
// (the state map's exit word), and printing maps needs no record.
const MinRingbufSize = 4096

// sizeRingbuf sizes the event ring buffer to what the programs send,
// unless the caller or perf_rb_pages chose a size: DefaultRingbufSize for
// a script whose programs send records, MinRingbufSize for one that only
// counts, aggregates or exits. Creating 1 MiB costs start-up time, 1 MiB
// of locked kernel memory and 2 MiB of hawk's RSS that such scripts never
// use.
func (c *compiler) sizeRingbuf() {
	switch {
	case c.opts.RingbufSize > 0:
	case c.records:
		c.opts.RingbufSize = DefaultRingbufSize
	default:
		c.opts.RingbufSize = MinRingbufSize
	}
}
