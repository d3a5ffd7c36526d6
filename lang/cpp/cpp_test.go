package cpp

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// testPP is a Preprocessor over testdata/sys alone, never /usr/include.
func testPP(t *testing.T, opts Options, includes ...string) (*Preprocessor, error) {
	t.Helper()
	opts.SystemDirs = []string{"testdata/sys"}
	p := New(opts)
	for _, inc := range includes {
		if err := p.Directive(inc, "testdata"); err != nil {
			return p, err
		}
	}
	return p, nil
}

func TestValues(t *testing.T) {
	p, err := testPP(t, Options{}, "#include <consts.h>", "#define SCRIPT_DEFINE (SUM - 1) // a comment", "#define COMMENTED 3 /* a comment */")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		want int64
		ok   bool
	}{
		{"PLAIN", 42, true},
		{"HEX", 31, true},
		{"OCT", 0755, true},
		{"NEG", -6, true}, // #undef, then defined again
		{"CHAIN", 42, true},
		{"SUM", 104, true},
		{"SCRIPT_DEFINE", 103, true},
		{"COMMENTED", 3, true},
		{"SHIFTED", 1 << 31, true},
		{"WIDE", 1 << 40, true},
		{"ALL_ONES", 0xffffffff, true},
		{"MINUS_ONE_U", 0xffffffff, true},
		{"TERNARY", 1, true},
		{"LOGIC", 1, true},
		{"CAST", 0xff, true},
		{"PTRCAST", 0, true},
		{"TYPEDEF_CAST", 7, true}, // a cast to an unknown typedef is ignored
		{"CHARC", 65, true},
		{"ESCAPED", 10, true},
		{"LONG_SUFFIX", 100, true},
		{"SIZE", 4, true},
		{"PTRSIZE", 8, true},
		{"IOCTL_SET", 1<<30 | 'x'<<8 | 3 | 4<<16, true},
		{"PASTED", 42, true},
		{"VAR_USE", 4, true},
		{"DIV_ZERO_DEAD", 0, true},
		{"UNSIGNED_CMP", 0, true}, // -1 becomes unsigned
		{"SIGNED_CMP", 1, true},
		{"INNER", 7, true},
		{"SIBLING", 8, true},
		{"RED", 0, true}, // a macro naming its own enum constant
		{"GREEN", 5, true},
		{"BLUE", 6, true},
		{"BLACK", 50, true},
		{"WITH_MACRO", 43, true},
		{"NEXT_LINE", 44, true},
		{"__x86_64__", 1, true},
		{"NOT_CONST", 0, false},
		{"FLOAT", 0, false},
		{"STRING", 0, false},
		{"SELF", 0, false},
		{"DIV_ZERO", 0, false},
		{"UNDEFINED_NAME", 0, false},
		{"STR", 0, false}, // function-like, not called
		{"NO_SUCH_MACRO", 0, false},
	}
	p.Directive(`#define JOINED STRING " and " "more\n"`, "")
	for name, want := range map[string]string{"STRING": "text", "JOINED": "text and more\n", "PLAIN": "", "NO_SUCH": ""} {
		if s, ok := p.String(name); s != want || ok != (want != "") {
			t.Errorf("String(%s) = %q, %v; want %q", name, s, ok, want)
		}
	}
	for _, tt := range tests {
		v, ok := p.Int(tt.name)
		if v != tt.want || ok != tt.ok {
			t.Errorf("%s = %d, %v; want %d, %v", tt.name, v, ok, tt.want, tt.ok)
		}
	}
}

func TestConditionals(t *testing.T) {
	p, err := testPP(t, Options{}, "#include <conds.h>")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]int64{"PICKED": 3, "HAS_LEVEL": 1, "UNKNOWN": 0, "PREDEFINED": 1, "HAS_INCLUDE": 1, "IF_ARITH": 1} {
		if v, ok := p.Int(name); !ok || v != want {
			t.Errorf("%s = %d, %v; want %d", name, v, ok, want)
		}
	}
}

func TestGuards(t *testing.T) {
	p, err := testPP(t, Options{}, "#include <guarded.h>", "#include <guarded.h>", `#include "sys/once.h"`, "#include <once.h>")
	if err != nil {
		t.Fatal(err)
	}
	if !p.Defined("GUARDED_SEEN") || p.Defined("GUARDED_TWICE") {
		t.Errorf("the include guard did not keep guarded.h from being read twice")
	}
	if !p.Defined("ONCE_SEEN") || p.Defined("ONCE_TWICE") {
		t.Errorf("#pragma once did not keep once.h from being read twice")
	}
}

func TestSearchPath(t *testing.T) {
	// -I directories come first; #include_next goes on from the
	// directory after the one the header was found in.
	p, err := testPP(t, Options{IncludeDirs: []string{"testdata/user", "testdata/next1", "testdata/next2"}},
		"#include <consts.h>", "#include <lim.h>")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"FROM_USER", "PLAIN", "LIM_FIRST", "LIM_SECOND"} {
		if !p.Defined(name) {
			t.Errorf("%s is not defined", name)
		}
	}
	if got := p.SearchPath(); strings.Join(got, ":") != "testdata/user:testdata/next1:testdata/next2:testdata/sys" {
		t.Errorf("search path %v", got)
	}
	// hawk's own compiler headers come last.
	p, err = testPP(t, Options{}, "#include <limits.h>", "#include <stddef.h>")
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := p.Int("INT_MAX"); v != 1<<31-1 {
		t.Errorf("INT_MAX = %d", v)
	}
	if v, _ := p.Int("ULONG_MAX"); v != -1 {
		t.Errorf("ULONG_MAX = %d", v)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		opts    Options
		include string
		want    string
	}{
		{Options{}, "#include <lol/no.h>", "header <lol/no.h> not found (searched: testdata/sys)"},
		{Options{}, `#include "lol.h"`, `header "lol.h" not found (searched: testdata/sys)`},
		{Options{}, "#include <nested_missing.h>",
			"header <does/not/exist.h> not found (searched: testdata/sys), included from testdata/sys/nested_missing.h:2"},
		{Options{}, "#include <cycle_a.h>", "#include nests more than 200 deep"},
		{Options{MaxDepth: 5}, "#include <cycle_a.h>", "testdata/sys/cycle_a.h:2: #include nests more than 5 deep"},
		{Options{}, "#include <error.h>", `testdata/sys/error.h:2: #error "include <error.h> only with ALLOWED"`},
		{Options{}, "#include <unterminated.h>", "testdata/sys/unterminated.h:1: this conditional has no #endif"},
		{Options{}, "#include", `#include expects <FILE> or "FILE"`},
		{Options{}, "#include </dev/zero>", "header </dev/zero> not found"}, // not a regular file
		{Options{}, "#include <../sys>", "header <../sys> not found"},       // a directory
		{Options{}, "#define", "#define needs a macro name"},
		{Options{}, "#define F(a, 1) a", `unexpected "1" in the parameters of macro F`},
	}
	for _, tt := range tests {
		_, err := testPP(t, tt.opts, tt.include)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.include, err, tt.want)
		}
	}
	_, err := testPP(t, Options{}, "#include <lol.h>")
	var e *Error
	if !errors.As(err, &e) || !e.NotFound || e.From != "" {
		t.Errorf("a missing header: %#v, want a NotFound *Error of the script's line", err)
	}
	_, err = testPP(t, Options{}, "#include <nested_missing.h>")
	if !errors.As(err, &e) || !e.NotFound || e.From != "testdata/sys/nested_missing.h:2" {
		t.Errorf("a missing nested header: %#v, want a NotFound *Error from nested_missing.h:2", err)
	}
}

func TestBudget(t *testing.T) {
	// Including big.h over and over reads more than the budget allows.
	opts := Options{MaxBytes: 2000}
	p, err := testPP(t, opts)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100 && err == nil; i++ {
		err = p.Directive("#include <big.h>", "testdata")
	}
	if err == nil || !strings.Contains(err.Error(), "larger than 2000 bytes") {
		t.Errorf("error %v, want the budget's", err)
	}
	// A macro that doubles itself stops at the expansion limit.
	p, _ = testPP(t, Options{Timeout: 5 * time.Second})
	p.Directive("#define D(x) x x", "")
	p.Directive("#define HUGE "+strings.Repeat("D(", 22)+"1"+strings.Repeat(")", 22), "")
	if _, ok := p.Int("HUGE"); ok {
		t.Errorf("HUGE has a value")
	}
}

func TestLex(t *testing.T) {
	got := fmt.Sprint(spell(lex(`a+=0x1fUL 'x' "s\"t" ... L'y' 1e+5 ##`)))
	if got != `a+=0x1fUL 'x' "s\"t" ... L'y' 1e+5 ##` {
		t.Errorf("lex: %s", got)
	}
	f := splitFile("t.h", "#define A 1 /* a\ncomment */\n#define B \\\n 2 // c\nint x; /* */ #x\n")
	if len(f.lines) != 3 || f.lines[0].rest != "A 1" || f.lines[1].num != 3 || f.lines[1].rest != "B  2" || f.lines[2].dir {
		t.Errorf("lines: %+v", f.lines)
	}
}

// TestLongLived: a Preprocessor kept past its Timeout (hawk caches them
// for the whole process) still gives values: the time limit counts from
// each request.
func TestLongLived(t *testing.T) {
	p, err := testPP(t, Options{Timeout: 20 * time.Millisecond}, "#include <consts.h>")
	if err != nil {
		t.Fatal(err)
	}
	// More than the 1024 steps between two reads of the clock.
	p.Directive("#define LONG (PLAIN"+strings.Repeat(" + 1", 1500)+")", "")
	time.Sleep(50 * time.Millisecond)
	if v, ok := p.Int("LONG"); !ok || v != 42+1500 {
		t.Errorf("LONG = %d, %v", v, ok)
	}
}
