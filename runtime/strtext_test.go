package runtime

import (
	"testing"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
)

// TestStrText checks when a string prints bpftrace's truncation trailer:
// only when it fills its whole size without a NUL, and never for a char
// array.
func TestStrText(t *testing.T) {
	s := &Session{man: &codegen.Manifest{StrTruncTrailer: ".."}}
	chars := &lang.Type{Kind: lang.KindString, Size: 5, CharArray: true}
	for _, c := range []struct {
		t    *lang.Type
		b    string
		want string
	}{
		{lang.StringType(8), "/bin/ba\x00", "/bin/ba"},
		{lang.StringType(8), "/bin/bas", "/bin/bas.."},
		{lang.StringType(8), "/bin/bash and more", "/bin/bas.."},
		{lang.StringType(8), "ab\x00cdefg", "ab"},
		{lang.StringType(8), "\x00", ""},
		{chars, "hello", "hello"},
		{chars, "hel\x00o", "hel"},
	} {
		if got := s.strText(c.t, []byte(c.b)); got != c.want {
			t.Errorf("strText(%s, %q) = %q, want %q", c.t, c.b, got, c.want)
		}
	}
	s.man.StrTruncTrailer = ""
	if got := s.strText(lang.StringType(3), []byte("abc")); got != "abc" {
		t.Errorf("with no trailer: %q", got)
	}
}
