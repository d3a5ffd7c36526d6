package lang

import (
	"maps"
	"strings"
	"testing"
)

// TestStdlibParses: every file of the standard library parses and
// defines macros, and no two files define one name.
func TestStdlibParses(t *testing.T) {
	if len(stdlibFiles) == 0 {
		t.Fatal("no standard library files embedded")
	}
	seen := map[string]string{}
	for _, f := range stdlibFiles {
		text, _ := stdlibFS.ReadFile(f)
		prog, err := Parse(NewSource(f, string(text)))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(prog.Macros) == 0 || len(prog.Macros) != len(prog.Items) {
			t.Errorf("%s: %d macros among %d items; a library file holds macros only", f, len(prog.Macros), len(prog.Items))
		}
		for _, m := range prog.Macros {
			if other, ok := seen[m.Name]; ok && other != f {
				t.Errorf("macro %s is in %s and %s", m.Name, other, f)
			}
			seen[m.Name] = f
		}
	}
	if got := strings.Join(StdlibMacros(), " "); got != "assert is_err" {
		t.Errorf("StdlibMacros() = %q", got)
	}
}

// macroNames lists a program's macros, with the file each comes from.
func macroNames(prog *Program) string {
	var names []string
	for _, m := range prog.Macros {
		names = append(names, m.Start().Filename+":"+m.Name)
	}
	return strings.Join(names, " ")
}

// TestStdlibUse: a script gets the library's macros it calls, unless it
// defines one of the name; import "stdlib" and import "stdlib/base.bt"
// bring the file once; the parts of bpftrace's library hawk has built in
// import as nothing; other stdlib paths are errors.
func TestStdlibUse(t *testing.T) {
	for _, tc := range []struct{ script, macros string }{
		{`BEGIN { exit(); }`, ""},
		{`BEGIN { assert(1, "x"); }`, "stdlib/base.bt:assert stdlib/base.bt:is_err"},
		{`macro assert(a, b) { a } BEGIN { assert(1, "x"); is_err(0); }`, "-e:assert stdlib/base.bt:is_err"},
		{`macro f(x) { is_err(x) } BEGIN { f(0); }`, "-e:f stdlib/base.bt:assert stdlib/base.bt:is_err"},
		{`import "stdlib"; import "stdlib/base.bt"; BEGIN { assert(1, "x"); }`, "stdlib/base.bt:assert stdlib/base.bt:is_err"},
		{`import "stdlib/strings"; import "stdlib/process/process.bpf.c"; BEGIN { }`, ""},
	} {
		prog, err := ParseFiles(NewSource("-e", tc.script))
		if err != nil {
			t.Errorf("%s: %v", tc.script, err)
			continue
		}
		if got := macroNames(prog); got != tc.macros {
			t.Errorf("%s: macros %q, want %q", tc.script, got, tc.macros)
		}
	}
	_, err := ParseFiles(NewSource("-e", `import "stdlib/nope.bt"; BEGIN { }`))
	if err == nil || !strings.Contains(err.Error(), `cannot import "stdlib/nope.bt": hawk's standard library has no such file`) {
		t.Errorf("import of a file the library lacks: %v", err)
	}
}

// TestStdlibAssertPosition: assert's errorf is at stdlib/base.bt:6:5, as
// bpftrace's is, and its macro expands where the script calls it.
func TestStdlibAssertPosition(t *testing.T) {
	prog, err := ParseFiles(NewSource("-e", `BEGIN { assert(false, "m"); }`))
	if err != nil {
		t.Fatal(err)
	}
	var at string
	expandMacros(prog, new(Diagnostics))
	Inspect(prog.Probes[0], func(n Node) bool {
		if c, ok := n.(*Call); ok && c.Name == "errorf" {
			at = c.Start().String()
		}
		return true
	})
	if at != "stdlib/base.bt:6:5" {
		t.Errorf("assert's errorf is at %q", at)
	}
}

// TestStdlibCombine: the REPL's entries, combined, get the library's
// macros once, also when combined again from the same sources (each
// compile parses every entry again).
func TestStdlibCombine(t *testing.T) {
	a := NewSource("in[1]", `BEGIN { assert(1 == 1, "a"); }`)
	b := NewSource("in[2]", `import "stdlib"; BEGIN { assert(1 == 1, "b"); }`)
	for i := 0; i < 2; i++ {
		pa, err := Parse(a)
		if err != nil {
			t.Fatal(err)
		}
		pb, err := ParseFiles(b)
		if err != nil {
			t.Fatal(err)
		}
		all := Combine(pa, pb)
		if got := macroNames(all); got != "stdlib/base.bt:assert stdlib/base.bt:is_err" {
			t.Errorf("combination %d: macros %q", i+1, got)
		}
		if _, err := Check(all, testEnv{}, Config{}); err != nil {
			t.Errorf("combination %d: %v", i+1, err)
		}
	}
}

// stdlibMacroFiles names every macro the library's files define, and no
// other: each file parsed.
func TestStdlibMacroFiles(t *testing.T) {
	want := map[string]string{}
	for _, f := range stdlibFiles {
		lib := parseStdlib(f, nil)
		if lib == nil {
			t.Fatalf("%s does not parse", f)
		}
		for _, m := range lib.Macros {
			want[m.Name] = f
		}
	}
	if !maps.Equal(stdlibMacroFiles, want) {
		t.Errorf("stdlibMacroFiles is %v; the library defines %v", stdlibMacroFiles, want)
	}
}
