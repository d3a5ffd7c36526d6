package runtime

import (
	"encoding/binary"
	"io"
	"testing"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/output"
)

// printfEvent is the record of printf("%s %d %u %s\n", comm, pid, x, str)
// after its header, and its manifest entry.
func printfEvent(t testing.TB) (*codegen.PrintfMeta, []byte) {
	format, ferr := lang.ParseFormat("%s %d %u %s|%-6s|%4d\n")
	if ferr != nil {
		t.Fatal(ferr)
	}
	comm := lang.StringType(16)
	args := append([]byte("some-command\x00\x00\x00\x00"), make([]byte, 0, 64)...)
	args = binary.NativeEndian.AppendUint64(args, 1234567)
	args = binary.NativeEndian.AppendUint64(args, 18446744073709551615)
	args = append(args, "a string of 32 bytes, no NUL in!"...)
	meta := &codegen.PrintfMeta{Format: format, Args: &codegen.Layout{Size: len(args), Parts: []codegen.Part{
		{Type: comm, Offset: 0},
		{Type: lang.Int64, Offset: 16},
		{Type: lang.Uint64, Offset: 24},
		{Type: lang.StringType(32), Offset: 32},
		{Type: comm, Offset: 0},
		{Type: lang.Int64, Offset: 16},
	}}}
	return meta, args
}

// TestPrintfFormatAllocs: formatting a printf record into a reused buffer
// and writing it allocates nothing, in text and in JSON (hawk's CPU per
// event was mostly allocation and formatting).
func TestPrintfFormatAllocs(t *testing.T) {
	meta, args := printfEvent(t)
	s := &Session{man: &codegen.Manifest{StrTruncTrailer: ".."}}
	buf := s.formatPrintf(nil, meta, args)
	want := "some-command 1234567 4294967295 a string of 32 bytes, no NUL in!..|some-command|1234567\n"
	if string(buf) != want {
		t.Fatalf("formatted %q, want %q", buf, want)
	}
	for _, w := range []output.Writer{
		output.NewText(io.Discard, io.Discard, output.BufferAuto),
		output.NewJSON(io.Discard, output.BufferAuto),
	} {
		n := testing.AllocsPerRun(1000, func() {
			buf = s.formatPrintf(buf[:0], meta, args)
			w.Printf(buf)
		})
		if n != 0 {
			t.Errorf("%T: %v allocations per event, want 0", w, n)
		}
	}
}

// BenchmarkPrintfFormat is the user-space cost of one printf record.
func BenchmarkPrintfFormat(b *testing.B) {
	meta, args := printfEvent(b)
	s := &Session{man: &codegen.Manifest{}}
	w := output.NewText(io.Discard, io.Discard, output.BufferAuto)
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf = s.formatPrintf(buf[:0], meta, args)
		w.Printf(buf)
	}
}
