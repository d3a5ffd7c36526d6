package main

import (
	"os"
	"sync"
)

// keyWatch sits between the terminal and the line editor. liner drops
// the line on Ctrl-C without saying whether it held text, and the REPL
// treats Ctrl-C on an empty line otherwise (it detaches the probes that
// print): keyWatch passes every byte typed on to liner through a pipe
// and notes whether anything was typed on the line being edited when
// Ctrl-C came. Any key counts, even one that leaves the line empty (an
// arrow, a backspace), so Ctrl-C after it only clears the line; Enter
// and Ctrl-C start a new line.
type keyWatch struct {
	mu    sync.Mutex
	typed bool // a key since the line began
	empty bool // nothing was typed when Ctrl-C last came
}

// watchKeys starts passing what in reads to the file it returns.
func watchKeys(in *os.File) (*os.File, *keyWatch, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	k := &keyWatch{}
	go k.forward(in, w)
	return r, k, nil
}

// forward copies in to w until either ends.
func (k *keyWatch) forward(in, w *os.File) {
	defer w.Close()
	buf := make([]byte, 256)
	for {
		n, err := in.Read(buf)
		k.saw(buf[:n])
		if n > 0 {
			if _, err := w.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// saw notes the keys typed.
func (k *keyWatch) saw(keys []byte) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, c := range keys {
		switch c {
		case ctrlC:
			k.empty, k.typed = !k.typed, false
		case '\r', '\n':
			k.typed = false
		default:
			k.typed = true
		}
	}
}

// ctrlC is the byte Ctrl-C sends when the terminal does not make it
// SIGINT, as while liner edits a line.
const ctrlC = 3

// emptyAtCtrlC reports whether nothing was typed on the line when Ctrl-C
// last came.
func (k *keyWatch) emptyAtCtrlC() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.empty
}
