package runtime

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
)

// attachIter attaches an iter program; iterate runs it. iter:NAME:PIN
// pins the iterator instead: reading the pin runs it.
func attachIter(prog *ebpf.Program, ap *codegen.AttachMeta, _ target) (io.Closer, error) {
	l, err := link.AttachIter(link.IterOptions{Program: prog})
	if err != nil {
		return nil, err
	}
	if pin := iterPin(ap); pin != "" {
		if err := l.Pin(pin); err != nil {
			l.Close()
			return nil, fmt.Errorf("pinning the iterator at %s: %w", pin, err)
		}
	}
	return l, nil
}

// iterPin is where an iter attach point pins its iterator, or "".
func iterPin(ap *codegen.AttachMeta) string {
	return lang.IterPin(&lang.AttachPoint{Kind: ap.Kind, Args: ap.Args})
}

// iterate runs the script's iterator: reading it calls the program on
// every object, which sends what it prints through the ring buffer. A
// pinned iterator is not run: hawk says where it is, and ends.
func (s *Session) iterate() error {
	for _, a := range s.attachedNow() {
		it, ok := a.link.(*link.Iter)
		if !ok {
			continue
		}
		if pin := iterPin(a.point); pin != "" {
			s.w.Printf([]byte("Program pinned to " + filepath.Clean(pin) + "\n"))
			continue
		}
		rd, err := it.Open()
		if err != nil {
			return fmt.Errorf("running %s: %w", a.point.Raw, err)
		}
		_, err = io.Copy(printfWriter{s}, rd)
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

// printfWriter writes what an iteration prints (its printf calls write
// into it, bpf_seq_printf) as printf output.
type printfWriter struct{ s *Session }

func (w printfWriter) Write(b []byte) (int, error) {
	w.s.w.Printf(b)
	return len(b), nil
}
