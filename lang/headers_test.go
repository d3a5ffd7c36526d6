package lang

import (
	"strings"
	"testing"
)

// checkWithIncludes checks text with testdata/include on the search path.
func checkWithIncludes(t *testing.T, text string, cfg Config) (*Info, error) {
	t.Helper()
	cfg.IncludeDirs = append(cfg.IncludeDirs, "testdata/include")
	prog, err := ParseFiles(NewSource("t.bt", text))
	if err != nil {
		t.Fatal(err)
	}
	return Check(prog, testEnv{}, cfg)
}

// TestHeaderConstants: a name resolves to the value of its macro in the
// headers the script includes (and in those they include), and a
// #define of the script may use them.
func TestHeaderConstants(t *testing.T) {
	for _, cfg := range []Config{{}, {Includes: []string{"proto.h"}}} {
		text := "#include <proto.h>\n#define BOTH (PROTO_MASK + 1)\nBEGIN { @a = PROTO_MASK; @b = BOTH; @c = FAMILY_INET; }"
		if len(cfg.Includes) > 0 {
			text = strings.Replace(text, "#include <proto.h>\n", "", 1)
		}
		info, err := checkWithIncludes(t, text, cfg)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]uint64{}
		for e, c := range info.Consts {
			if id, ok := e.(*Ident); ok {
				got[id.Name] = c.Int
			}
		}
		if got["PROTO_MASK"] != 66 || got["BOTH"] != 67 || got["FAMILY_INET"] != 2 {
			t.Errorf("%+v: constants %v", cfg, got)
		}
	}
}

// TestHeaderErrors: a mistake in a header is reported at the script's
// #include, naming the header's line.
func TestHeaderErrors(t *testing.T) {
	for _, tc := range []struct {
		text string
		cfg  Config
		want string
	}{
		{"#include <broken.h>\nBEGIN { }", Config{}, "t.bt:1:1: error: testdata/include/broken.h:2: #error \"broken.h needs WANTED\""},
		{"#define WANTED\n#include <broken.h>\nBEGIN { }", Config{}, ""},
		{"#include \"nope.h\"\nBEGIN { }", Config{}, "t.bt:1:1: error: header \"nope.h\" not found (searched: testdata/include, "},
		{"BEGIN { }", Config{Includes: []string{"nope.h"}}, "t.bt:1:1: error: --include nope.h: header \"nope.h\" not found"},
		// net/sock.h is the kernel's own, never installed: the built-in
		// table stands in for it.
		{"#include <net/sock.h>\nBEGIN { @ = AF_INET; }", Config{}, ""},
		// A header of the table that is found but fails is reported.
		{"#include <linux/sched.h>\nBEGIN { }", Config{},
			"t.bt:1:1: error: header <no/such/header.h> not found (searched: testdata/include, "},
	} {
		_, err := checkWithIncludes(t, tc.text, tc.cfg)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v", tc.text, err)
		case tc.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.want)):
			t.Errorf("%q: error %v, want %q", tc.text, err, tc.want)
		}
	}
}
