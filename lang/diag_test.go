package lang

import "testing"

// compileErr parses and checks text as the hawk command does and returns
// the rendered diagnostics.
func compileErr(name, text string) string {
	prog, err := ParseFiles(NewSource(name, text))
	if prog != nil {
		_, cerr := Check(prog, testEnv{}, Config{})
		err = Merge(err, cerr)
	}
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestDiagnosticsVerbatim pins the full text of representative errors:
// position, message, source line, caret span and hint.
func TestDiagnosticsVerbatim(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"-e", `BEGIN { @x = nsec; }`, `-e:1:14: error: unknown identifier "nsec"
    BEGIN { @x = nsec; }
                 ^~~~
hint: did you mean "nsecs"?`},
		{"trace.bt", "BEGIN {\n\t@start[tid] = nsec;\n}", `trace.bt:2:16: error: unknown identifier "nsec"
    	@start[tid] = nsec;
    	              ^~~~
hint: did you mean "nsecs"?`},
		{"-e", `BEGIN { printf("%d %q\n", 1); }`, `-e:1:20: error: unknown printf conversion "%q"
    BEGIN { printf("%d %q\n", 1); }
                       ^~`},
		{"-e", `BEGIN { @x = ; }`, `-e:1:14: error: expected an expression, found ";"
    BEGIN { @x = ; }
                 ^`},
		{"-e", `BEGIN { @x = 1`, `-e:1:15: error: unexpected end of input: missing '}'
    BEGIN { @x = 1
                  ^`},
		{"-e", `BEGIN { /* never closed }`, `-e:1:9: error: unexpected '/*': the comment is never closed
    BEGIN { /* never closed }
            ^~`},
		{"-e", `BEGIN { printf("oops); }`, `-e:1:16: error: the string is never closed
    BEGIN { printf("oops); }
                   ^`},
		{"-e", `BEGIN { prntf("x"); }`, `-e:1:9: error: unknown function "prntf"
    BEGIN { prntf("x"); }
            ^~~~~
hint: did you mean "printf"?`},
		{"-e", `tracepont:syscalls:sys_enter_openat { }`, `-e:1:1: error: unknown probe type "tracepont"
    tracepont:syscalls:sys_enter_openat { }
    ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
hint: did you mean "tracepoint"?`},
		{"-e", `BEGIN { exit(); } }`, `-e:1:19: error: unexpected character "}"
    BEGIN { exit(); } }
                      ^`},
		{"-e", ``, `-e:1:1: error: the script has no probes
    
    ^`},
		{"-e", `BEGIN { $x = "é" + 1; }`, `-e:1:18: error: operator + cannot be applied to string[3] and int8
    BEGIN { $x = "é" + 1; }
                     ^`},
	} {
		if got := compileErr(tc.name, tc.text); got != tc.want {
			t.Errorf("%s\ngot:\n%s\nwant:\n%s", tc.text, got, tc.want)
		}
	}
}
