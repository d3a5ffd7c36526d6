package lang

import (
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"
)

// posByCounting is Source.Pos as it was: the line by counting newlines,
// the column by counting runes from the line's start.
func posByCounting(text string, off int) (line, col int) {
	start := strings.LastIndexByte(text[:off], '\n') + 1
	return strings.Count(text[:off], "\n") + 1, utf8.RuneCountInString(text[start:off]) + 1
}

// TestSourcePos compares Pos at every offset of random texts, with long
// lines of ASCII, of other UTF-8, of bytes that are not UTF-8, and of
// carriage returns, to counting from the line's start.
func TestSourcePos(t *testing.T) {
	pieces := []string{"a", "@x = 1; ", "é", "日本", "\xff", "\xe6\x97", "\r\n", "\n", "\t", "🦅", strings.Repeat("z", 300)}
	rng := rand.New(rand.NewSource(1))
	for range 100 {
		var b strings.Builder
		for n := rng.Intn(200); n > 0; n-- {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		text := b.String()
		src := NewSource("t", text)
		for off := 0; off <= len(text); off++ {
			p := src.Pos(off)
			line, col := posByCounting(text, off)
			if p.Line != line || p.Column != col || p.Offset != off {
				t.Fatalf("%q at %d: got %d:%d, want %d:%d", text, off, p.Line, p.Column, line, col)
			}
		}
	}
}

// TestSourcePosLongLine asks the position of every fourth offset of a
// 256 KB line, ASCII and not, and checks that Pos decodes at most markStep
// bytes of the line for any offset. Counting the line's runes from its
// start at each took minutes per thousand offsets of a 4 MB line (40,000
// statements on one line took 11.6 s to compile, 200,000 more than
// 100 s); Pos must not depend on the line's length.
func TestSourcePosLongLine(t *testing.T) {
	for _, stmt := range []string{"@a = 1; ", `@é = "日"; `} {
		text := "BEGIN { " + strings.Repeat(stmt, 256<<10/len(stmt)) + "}\n"
		src := NewSource("long", text)
		col := 1
		off := 0
		for i := 0; off < len(text); i++ {
			if from := src.countFrom(off, 0); off-from.off > markStep {
				t.Fatalf("%q at %d: Pos decodes %d bytes, from %d", stmt, off, off-from.off, from.off)
			}
			if i%4 == 0 {
				if p := src.Pos(off); p.Line != 1 || p.Column != col {
					t.Fatalf("%q at %d: got %d:%d, want 1:%d", stmt, off, p.Line, p.Column, col)
				}
			}
			if text[off] == '\n' {
				break
			}
			_, n := utf8.DecodeRuneInString(text[off:])
			off += n
			col++
		}
	}
}

// TestSourceByteOrderMark: a UTF-8 byte-order mark starting a script is
// not part of it (it was lexed into the first attach point: unknown probe
// type "\ufeffBEGIN"); columns count from what follows it, which is where
// an editor shows the caret.
func TestSourceByteOrderMark(t *testing.T) {
	src := NewSource("bom.bt", "\ufeffBEGIN { @x = nsec; }\n")
	if src.Text != "BEGIN { @x = nsec; }\n" {
		t.Fatalf("text %q", src.Text)
	}
	got := compileErr("bom.bt", "\ufeffBEGIN { @x = nsec; }\n")
	want := "bom.bt:1:14: error: unknown identifier \"nsec\"\n    BEGIN { @x = nsec; }\n                 ^~~~\nhint: did you mean \"nsecs\"?"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := compileErr("ok.bt", "\ufeffBEGIN { exit(); }"); got != "" {
		t.Errorf("a script after a byte-order mark: %s", got)
	}
	// Only at the start: elsewhere U+FEFF is a character of the text.
	if got := compileErr("mid.bt", "BEGIN { exit(); }\n\ufeffEND { }"); !strings.Contains(got, `unknown probe type "\ufeffEND"`) {
		t.Errorf("a byte-order mark inside the text: %s", got)
	}
}

// BenchmarkSourcePos asks positions along a 1 MB line, ASCII and not:
// the time per position must not grow with the line.
func BenchmarkSourcePos(b *testing.B) {
	for _, stmt := range []string{"@a = 1; ", `@é = "日"; `} {
		text := strings.Repeat(stmt, 1<<20/len(stmt))
		src := NewSource("long", text)
		b.Run(stmt, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				src.Pos(i * 7919 % len(text))
			}
		})
	}
}
