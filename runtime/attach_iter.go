package runtime

import (
	"fmt"
	"io"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"

	"github.com/hawktrace/hawk/codegen"
)

// attachIter attaches an iter program; iterate runs it.
func attachIter(prog *ebpf.Program, ap *codegen.AttachMeta, _ target) (io.Closer, error) {
	return link.AttachIter(link.IterOptions{Program: prog})
}

// iterate runs the script's iterator: reading it calls the program on
// every object, which sends what it prints through the ring buffer.
func (s *Session) iterate() error {
	for _, a := range s.attachedNow() {
		it, ok := a.link.(*link.Iter)
		if !ok {
			continue
		}
		rd, err := it.Open()
		if err != nil {
			return fmt.Errorf("running %s: %w", a.point.Raw, err)
		}
		_, err = io.Copy(io.Discard, rd)
		rd.Close()
		if err != nil {
			return fmt.Errorf("running %s: %w", a.point.Raw, err)
		}
	}
	return nil
}

// attachedNow returns the attachments as they are.
func (s *Session) attachedNow() []attachment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]attachment(nil), s.attached...)
}
