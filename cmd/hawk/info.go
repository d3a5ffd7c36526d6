package main

import "runtime/debug"

// infoMemoryLimit bounds the heap of hawk --info, which collects no
// garbage below it.
const infoMemoryLimit = 256 << 20

// noCollectionsForInfo turns the garbage collector off for hawk --info,
// up to infoMemoryLimit: --info allocates a few megabytes once (the
// kernel BTF's index and types, for the probes that attach to BTF), and
// a collection kept more memory than it freed, its workers' threads and
// mark bits among it (peak RSS 18.3 -> 17.3 MiB, median of 8 runs,
// alternated; issue 16).
func noCollectionsForInfo() {
	debug.SetMemoryLimit(infoMemoryLimit)
	debug.SetGCPercent(-1)
}
