// Package runtime loads a compiled hawk script into the kernel, attaches its
// probes, reads the events its programs send, and prints what they gathered
// the way bpftrace does. It is the only part of hawk that touches the kernel.
//
//	s, err := runtime.Load(out, opts) // maps and programs, verified
//	code, err := s.Run(ctx)           // BEGIN, attach, events, END, maps
//	s.Close()                         // nothing stays in the kernel
package runtime
