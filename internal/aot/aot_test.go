package aot

import (
	"bytes"
	"strings"
	"testing"
)

// TestRoundTrip: Find gives back the object Write appended, and nothing
// for the plain executable.
func TestRoundTrip(t *testing.T) {
	exe := []byte("\x7fELF plain executable bytes")
	if obj, err := Find(bytes.NewReader(exe), int64(len(exe))); obj != nil || err != nil {
		t.Fatalf("plain executable: object %q, error %v", obj, err)
	}
	obj := []byte("\x7fELF the object")
	var out bytes.Buffer
	if err := Write(&out, bytes.NewReader(exe), int64(len(exe)), obj); err != nil {
		t.Fatal(err)
	}
	b := out.Bytes()
	if !bytes.HasPrefix(b, exe) || len(b) != len(exe)+len(obj)+TrailerSize || !strings.HasSuffix(out.String(), Magic) {
		t.Fatalf("written %q", b)
	}
	got, err := Find(bytes.NewReader(b), int64(len(b)))
	if err != nil || !bytes.Equal(got, obj) {
		t.Fatalf("Find: %q, %v; want %q", got, err, obj)
	}
	// An executable that carries an object gives a copy without it: the
	// new object replaces the old.
	var again bytes.Buffer
	obj2 := []byte("another")
	if err := Write(&again, bytes.NewReader(b), int64(len(b)), obj2); err != nil {
		t.Fatal(err)
	}
	if want := string(exe) + string(obj2); !strings.HasPrefix(again.String(), want) || again.Len() != len(want)+TrailerSize {
		t.Errorf("rewritten %q", again.Bytes())
	}
}

// TestCorrupt: a trailer whose length runs past the file's start, or is
// zero, is an error, not a crash or a plain executable.
func TestCorrupt(t *testing.T) {
	for _, length := range []string{"\xff\x00\x00\x00\x00\x00\x00\x00", "\x00\x00\x00\x00\x00\x00\x00\x00", "\xff\xff\xff\xff\xff\xff\xff\xff"} {
		b := []byte("exe" + length + Magic)
		if obj, err := Find(bytes.NewReader(b), int64(len(b))); err == nil || obj != nil {
			t.Errorf("length %x: object %q, error %v", length, obj, err)
		}
	}
	// Shorter than a trailer: plain.
	if obj, err := Find(bytes.NewReader([]byte("x")), 1); obj != nil || err != nil {
		t.Errorf("tiny file: %q, %v", obj, err)
	}
}

// BenchmarkSelf measures what every start of hawk pays to look for an
// object (a few microseconds: an open, a stat, a read).
func BenchmarkSelf(b *testing.B) {
	for b.Loop() {
		if obj, err := Self(); obj != nil || err != nil {
			b.Fatal(obj, err)
		}
	}
}
