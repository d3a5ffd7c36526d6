package main

import (
	"slices"
	"strings"
	"testing"
)

// TestEmbeddedArgs: an executable that --aot wrote takes the flags of a
// run and program options, and refuses a program, positional parameters
// and what only compiling reads.
func TestEmbeddedArgs(t *testing.T) {
	obj := []byte("object")
	o, err := parseEmbeddedArgs([]string{"-q", "-f", "json", "-o", "out", "-c", "ls", "--", "--aa=1", "--bb"}, obj)
	if err != nil {
		t.Fatal(err)
	}
	if !o.quiet || o.outFile != "out" || o.command != "ls" || !slices.Equal(o.options, []string{"aa=1", "bb"}) || string(o.embedded) != "object" || o.replIfTerminal {
		t.Errorf("parsed %+v", o)
	}
	if o, err := parseEmbeddedArgs(nil, obj); err != nil || o.replIfTerminal || o.file != "" {
		t.Errorf("no arguments: %+v, %v", o, err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"pos"}, "positional parameters (pos) were fixed when the program was compiled (hawk --aot)"},
		{[]string{"--", "--aa", "pos"}, "positional parameters (pos)"},
		{[]string{"-e", "BEGIN {}"}, "-e: this executable runs the program compiled into it (hawk --aot)"},
		{[]string{"-k", "--unsafe", "-I", "dir"}, "-k, --unsafe, -I: this executable"},
		{[]string{"--aot", "x"}, "--aot: this executable"},
		{[]string{"-l"}, "-l: this executable"},
		{[]string{"-d", "ast"}, `unknown debug stage "ast"`},
		{[]string{"-p", "1", "-c", "ls"}, "-p and -c cannot be used together"},
		{[]string{"--nope"}, `unknown option "--nope"`},
	} {
		if _, err := parseEmbeddedArgs(c.args, obj); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.args, err, c.want)
		}
	}
}
