package lang

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFiles creates files (path -> text) under a new directory that only
// its owner may write, and returns the directory.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// probeNames lists a program's probes as their first attach points.
func probeNames(prog *Program) string {
	var names []string
	for _, p := range prog.Probes {
		names = append(names, p.Points[0].Raw)
	}
	return strings.Join(names, " ")
}

func TestImportMerges(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"main.bt": `import "lib";
import "lib/a.bt";
import "./lib/../lib/b.bt";
interval:s:1 { @x = twice!(ANSWER); exit(); }`,
		"lib/a.bt": `#define ANSWER 21
BEGIN { }`,
		"lib/b.bt": `import "a.bt";
macro twice(x) { x * 2 }
END { }`,
		"lib/notes.txt": `not a script`,
	})
	prog, err := ParseFiles(NewSource(filepath.Join(dir, "main.bt"), readTestFile(t, dir, "main.bt")))
	if err != nil {
		t.Fatal(err)
	}
	// a.bt once, before b.bt (which imports it), before main's probes.
	if got, want := probeNames(prog), "BEGIN END interval:s:1"; got != want {
		t.Errorf("probes: got %q, want %q", got, want)
	}
	if len(prog.Macros) != 1 || len(prog.Directives) != 1 {
		t.Errorf("got %d macros and %d directives, want 1 and 1", len(prog.Macros), len(prog.Directives))
	}
	info, err := Check(prog, testEnv{}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if v := info.Maps["@x"].Value; v == nil || !v.IsInteger() {
		t.Errorf("@x: %v", v)
	}
}

func readTestFile(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestImportErrors checks that each mistake is reported in the file that
// holds it, with its line and caret.
func TestImportErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []string // substrings of the rendered diagnostics
	}{
		{"missing", map[string]string{"main.bt": `import "nope.bt"; BEGIN { }`},
			[]string{"main.bt:1:1: error: cannot import \"nope.bt\": no such file or directory", `^~~~~~~~~~~~~~~~`}},
		{"config in import", map[string]string{"main.bt": `import "lib.bt"; BEGIN { }`, "lib.bt": "BEGIN { }\nconfig = { max_strlen = 8 }"},
			[]string{"lib.bt:2:1: error: an imported script cannot have a config block"}},
		{"error in import", map[string]string{"main.bt": `import "lib.bt"; BEGIN { }`, "lib.bt": "BEGIN {\n  @x = nsec;\n}"},
			[]string{"lib.bt:2:8: error: unknown identifier \"nsec\"", "      @x = nsec;\n           ^~~~"}},
		{"printf error in import", map[string]string{"main.bt": `import "lib.bt"; BEGIN { }`, "lib.bt": "// a library\nBEGIN { printf(\"%d %q\\n\", 1); }"},
			[]string{"lib.bt:2:20: error: unknown printf conversion \"%q\"", "    BEGIN { printf(\"%d %q\\n\", 1); }\n                       ^~"}},
		{"hint quoting imported text", map[string]string{"main.bt": `import "lib.bt"; BEGIN { }`, "lib.bt": "BEGIN {\n  $x = count();\n}"},
			[]string{"lib.bt:2:8: error", "@x = count()"}},
		{"syntax error in import", map[string]string{"main.bt": `import "lib.bt"; BEGIN { }`, "lib.bt": "BEGIN { @x = ; }"},
			[]string{"lib.bt:1:14: error: expected an expression"}},
		{"bpf c", map[string]string{"main.bt": `import "x.bpf.c"; BEGIN { }`, "x.bpf.c": "int f(void) { return 0; }"},
			[]string{"cannot import", "x.bpf.c: hawk compiles no C"}},
		{"other file", map[string]string{"main.bt": `import "x.py"; BEGIN { }`, "x.py": "pass"},
			[]string{"imports are .bt scripts, .h headers or directories of them"}},
		{"import after probe", map[string]string{"main.bt": "BEGIN { }\nimport \"lib.bt\";", "lib.bt": "END { }"},
			[]string{"main.bt:2:1: error: imports must come before probes, macros and map declarations"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, tc.files)
			prog, err := ParseFiles(NewSource(filepath.Join(dir, "main.bt"), tc.files["main.bt"]))
			if err == nil && prog != nil {
				_, err = Check(prog, testEnv{}, Config{})
			}
			if err == nil {
				t.Fatal("no error")
			}
			got := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in:\n%s", w, got)
				}
			}
		})
	}
}

func TestImportRefusesWorldWritableDirectory(t *testing.T) {
	dir := writeFiles(t, map[string]string{"main.bt": `import "open/lib.bt"; BEGIN { }`, "open/lib.bt": "END { }"})
	if err := os.Chmod(filepath.Join(dir, "open"), 0o777); err != nil {
		t.Fatal(err)
	}
	_, err := ParseFiles(NewSource(filepath.Join(dir, "main.bt"), `import "open/lib.bt"; BEGIN { }`))
	if err == nil || !strings.Contains(err.Error(), "is writable by every user") {
		t.Fatalf("got %v", err)
	}
}

// TestImportRelativeToWorkingDirectory: -e programs import from the
// working directory.
func TestImportRelativeToWorkingDirectory(t *testing.T) {
	dir := writeFiles(t, map[string]string{"lib.bt": "END { }"})
	t.Chdir(dir)
	prog, err := ParseFiles(NewSource("-e", `import "lib.bt"; BEGIN { }`))
	if err != nil {
		t.Fatal(err)
	}
	if got := probeNames(prog); got != "END BEGIN" {
		t.Errorf("got %q", got)
	}
}
