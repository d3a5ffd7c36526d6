package main

import (
	"strings"
	"testing"
)

func TestParseArgs(t *testing.T) {
	for _, tc := range []struct {
		args    string
		want    options
		wantErr string
	}{
		{args: "-e BEGIN{}", want: options{program: "BEGIN{}", hasProg: true}},
		{args: "-eBEGIN{} 1 two", want: options{program: "BEGIN{}", hasProg: true, params: []string{"1", "two"}}},
		{args: "-q -v -e x", want: options{program: "x", hasProg: true, quiet: true, verbose: true}},
		{args: "-qve x", want: options{program: "x", hasProg: true, quiet: true, verbose: true}},
		{args: "script.bt 5 -q", want: options{file: "script.bt", params: []string{"5"}, quiet: true}},
		{args: "- a b", want: options{file: "-", params: []string{"a", "b"}}},
		{args: "script.bt -- -q", want: options{file: "script.bt", params: []string{"-q"}}},
		{args: "-d asm -e x", want: options{program: "x", hasProg: true, debug: "asm"}},
		{args: "--version", want: options{version: true}},
		{args: "-V", want: options{version: true}},
		{args: "-h", want: options{help: true}},
		{args: "--help", want: options{help: true}},
		{args: "", want: options{replIfTerminal: true}},
		{args: "--repl", want: options{repl: true}},
		{args: "--repl -e x", want: options{repl: true, program: "x", hasProg: true}},
		{args: "--repl s.bt", want: options{repl: true, file: "s.bt"}},
		{args: "-p 1", wantErr: "no program given"},
		{args: "--repl -p 1", wantErr: "--repl takes none of"},
		{args: "-e", wantErr: "option -e needs a value"},
		{args: "-x", wantErr: "unknown option -x"},
		{args: "--nope", wantErr: `unknown option "--nope"`},
		{args: "-d ir -e x", wantErr: `unknown debug stage "ir"`},
	} {
		o, err := parseArgs(strings.Fields(tc.args))
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%q: error %v, want %q", tc.args, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.args, err)
			continue
		}
		if o.program != tc.want.program || o.hasProg != tc.want.hasProg || o.file != tc.want.file ||
			strings.Join(o.params, " ") != strings.Join(tc.want.params, " ") || o.quiet != tc.want.quiet ||
			o.verbose != tc.want.verbose || o.debug != tc.want.debug || o.help != tc.want.help || o.version != tc.want.version ||
			o.repl != tc.want.repl || o.replIfTerminal != tc.want.replIfTerminal {
			t.Errorf("%q: got %+v, want %+v", tc.args, *o, tc.want)
		}
	}
}
