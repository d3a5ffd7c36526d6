package runtime

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/cilium/ebpf/perf"

	"github.com/hawktrace/hawk/codegen"
)

// skbWriter receives the packets skboutput() sends through its perf event
// array and writes them to their pcap files.
type skbWriter struct {
	rd    *perf.Reader
	done  chan struct{}
	mu    sync.Mutex
	files map[string]*pcapFile
	s     *Session
}

// skbPages is the size of skboutput's buffer on each CPU, in pages.
const skbPages = 64

// startSkbOutput starts receiving packets when the script calls
// skboutput(); it returns nil when it does not.
func (s *Session) startSkbOutput() (*skbWriter, error) {
	if s.man.SkbMap == "" {
		return nil, nil
	}
	m := s.coll.Maps[s.man.SkbMap]
	rd, err := perf.NewReader(m, skbPages*os.Getpagesize())
	if err != nil {
		return nil, fmt.Errorf("opening skboutput's buffers: %w", err)
	}
	w := &skbWriter{rd: rd, done: make(chan struct{}), files: map[string]*pcapFile{}, s: s}
	go w.run()
	return w, nil
}

// run writes packets until the reader closes.
func (w *skbWriter) run() {
	defer close(w.done)
	for {
		rec, err := w.rd.Read()
		if errors.Is(err, perf.ErrClosed) || errors.Is(err, perf.ErrFlushed) {
			return // closed, or drained (close)
		}
		if err != nil || rec.LostSamples > 0 || len(rec.RawSample) < codegen.SkbOutputHeaderSize {
			continue
		}
		id := binary.NativeEndian.Uint64(rec.RawSample)
		ns := binary.NativeEndian.Uint64(rec.RawSample[8:])
		if id >= uint64(len(w.s.man.Skboutputs)) {
			continue
		}
		meta := w.s.man.Skboutputs[id]
		pkt := rec.RawSample[codegen.SkbOutputHeaderSize:]
		if n := binary.NativeEndian.Uint64(rec.RawSample[16:]); n < uint64(len(pkt)) {
			pkt = pkt[:n]
		}
		if meta.Offset >= uint64(len(pkt)) {
			continue // nothing to write, as in bpftrace
		}
		if err := w.write(meta.Path, ns, pkt[meta.Offset:]); err != nil {
			w.s.warnf("skboutput: %v", err)
		}
	}
}

// write appends a packet to the pcap file path, creating it first.
func (w *skbWriter) write(path string, ns uint64, pkt []byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	f, ok := w.files[path]
	if !ok {
		var err error
		if f, err = createPcap(path); err != nil {
			return err
		}
		w.files[path] = f
	}
	return f.write(ns, pkt)
}

// close writes the packets still in the buffers, then stops receiving
// and closes the pcap files.
func (w *skbWriter) close() {
	if w == nil {
		return
	}
	w.rd.Flush()
	<-w.done
	w.rd.Close()
	for _, f := range w.files {
		f.close()
	}
}

// pcapFile is a pcap file of raw IP packets (LINKTYPE_RAW), as bpftrace
// writes them.
type pcapFile struct {
	f *os.File
	b *bufio.Writer
}

const (
	pcapMagic   = 0xa1b2c3d4
	pcapSnaplen = 65535
	linktypeRaw = 101
)

func createPcap(path string) (*pcapFile, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	p := &pcapFile{f: f, b: bufio.NewWriter(f)}
	var hdr [24]byte
	le := binary.LittleEndian
	le.PutUint32(hdr[0:], pcapMagic)
	le.PutUint16(hdr[4:], 2)
	le.PutUint16(hdr[6:], 4)
	le.PutUint32(hdr[16:], pcapSnaplen)
	le.PutUint32(hdr[20:], linktypeRaw)
	p.b.Write(hdr[:])
	return p, nil
}

// write appends a packet seen at ns on the boot clock.
func (p *pcapFile) write(ns uint64, pkt []byte) error {
	t := wallTime(ns)
	var hdr [16]byte
	le := binary.LittleEndian
	le.PutUint32(hdr[0:], uint32(t.Unix()))
	le.PutUint32(hdr[4:], uint32(t.Nanosecond()/1000))
	le.PutUint32(hdr[8:], uint32(len(pkt)))
	le.PutUint32(hdr[12:], uint32(len(pkt)))
	p.b.Write(hdr[:])
	_, err := p.b.Write(pkt)
	return err
}

func (p *pcapFile) close() {
	p.b.Flush()
	p.f.Close()
}
