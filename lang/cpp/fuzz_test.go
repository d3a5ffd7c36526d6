package cpp

import (
	"strings"
	"testing"
	"time"
)

// FuzzPreprocess reads any text as a header, then evaluates each name it
// defines: no input may panic or hang.
func FuzzPreprocess(f *testing.F) {
	for _, seed := range []string{
		"#define A (1 << 3)\n#if A > 4\n#define B A\n#endif\n",
		"#define F(x, ...) x ## __VA_ARGS__ #x\n#define G F(1, 2, 3)\n",
		"enum { X = 1, Y, Z = X + Y };\n#define W (Z ? X : Y)\n",
		"#if defined(A) && __has_include(<x.h>)\n#elif 1 / 0\n#else\n#endif\n",
		"#define C ((unsigned char)-1 + sizeof(long *))\n#define D 'a' + '\\n'\n",
		"#define S \"a\" \"b\"\n#define E(a) E(a)\n#define H E(1)\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p := New(Options{SystemDirs: []string{"testdata/sys"}, Timeout: 2 * time.Second, MaxBytes: 1 << 20})
		p.run(splitFile("fuzz.h", text), -1)
		for name := range p.macros {
			p.Int(name)
			p.String(name)
		}
		for _, line := range strings.Split(text, "\n") {
			p.Directive(line, "testdata")
		}
	})
}
