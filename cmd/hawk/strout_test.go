package main

import (
	"testing"
)

// stroutConstructs are the cases of strings and output details that follow
// bpftrace: execve's argv, truncated strings, char arrays, printf's length
// modifiers, probe names, strftime's %f.
func stroutConstructs(e testEnv) []construct {
	return []construct{
		{
			// argv is `const char *const *`: element N is a user pointer,
			// read before the string it points to.
			name:    "execve_argv_elements",
			script:  `tracepoint:syscalls:sys_enter_execve /curtask->real_parent->tgid == $1/ { printf("%s|%s|%s\n", str(args.argv[0]), str(args.argv[1]), str(args.argv[2], 4)); exit(); }`,
			args:    []string{e.pid},
			trigger: []string{"/bin/true", "hawk-strout", "marker"},
			out:     "/bin/true|hawk-strout|mar\n",
		},
		{
			// str() reads max_strlen characters and a NUL: one that fills
			// its string[8] prints cut, with the trailer, in print, printf,
			// a variable, map keys and values.
			name:    "str_truncated_trailer",
			script:  `config = { max_strlen = 8 } tracepoint:syscalls:sys_enter_execve /curtask->real_parent->tgid == $1/ { print(str(args.filename)); $s = str(args.filename); printf("%s|%s|%s|%s\n", $s, str(args.argv[1]), str(args.filename, 3), str(args.filename, 100)); @[str(args.filename)] = str(args.filename); exit(); }`,
			args:    []string{e.pid},
			trigger: []string{"/bin/true", "strout", "marker"},
			out:     "/bin/tru..\n/bin/tru..|strout|/b|/bin/tru..\n",
			maps:    "@[/bin/tru..]: /bin/tru..\n",
		},
		{
			// Seven characters and the NUL fit: nothing was cut.
			name:    "str_fits_no_trailer",
			script:  `config = { max_strlen = 8; str_trunc_trailer = "~" } tracepoint:syscalls:sys_enter_execve /curtask->real_parent->tgid == $1/ { printf("%s|%s|%s\n", str(args.argv[1]), str(args.argv[2]), str(args.filename)); exit(); }`,
			args:    []string{e.pid},
			trigger: []string{"/bin/true", "seven77", "eight888"},
			out:     "seven77|eight888~|/bin/tru~\n",
		},
		{
			// A char array without a NUL is all its characters: no trailer,
			// also as a map key and value, and compared whole.
			name:    "char_array_without_nul",
			script:  `struct F { char s[5]; } tracepoint:syscalls:sys_enter_execve /curtask->real_parent->tgid == $1/ { $a = ((struct F *)args.filename).s; printf("%s %s|%d %d %d\n", $a, $a, $a == "/bin/", $a == "/bin/x", $a == "/bin"); @[$a] = $a; exit(); }`,
			args:    []string{e.pid},
			trigger: []string{"/bin/true", "strout", "marker"},
			out:     "/bin/ /bin/|1 0 0\n",
			maps:    "@[/bin/]: /bin/\n",
		},
		{
			// begin and end are named as written; other kinds by their
			// full names.
			name:   "probe_names_as_written",
			script: `begin { printf("%s|", probe); } BEGIN { printf("%s|", probe); } i:ms:10 { printf("%s|", probe); exit(); } end { printf("%s|", probe); } END { printf("%s\n", probe); }`,
			out:    "begin|BEGIN|interval:ms:10|end|END\n",
		},
		{
			// Values held in 8-byte words sit 8-aligned in a tuple: the
			// verifier refuses a misaligned word on the stack.
			name:   "tuple_aligns_word_values",
			script: `BEGIN { $t = (1, ntop(0x0100007f), (int8)2, strftime("%Y", 0), (int8)3, username, (int8)4, ksym(1), (int8)5, usym(1)); print(($t.0, $t.1, $t.2, $t.4, $t.6, $t.7, $t.8, $t.9)); @[(int8)1, ntop(0x0100007f)] = 1; exit(); }`,
			out:    "(1, 127.0.0.1, 2, 3, 4, 0x1, 5, 0x1)\n",
			maps:   "@[1, 127.0.0.1]: 1\n",
		},
		{
			// cat() prints max_cat_bytes of the file at most.
			name:   "cat_max_bytes",
			script: `config = { max_cat_bytes = 3 } BEGIN { cat("/proc/%s/comm", "self"); printf("|\n"); exit(); }`,
			out:    "haw|\n",
		},
		{
			// A literal ends at its first NUL, in printf as in print.
			name:   "literal_with_nul",
			script: `BEGIN { printf("[%s|%s]\n", "a\0b", "x"); print("c\0d"); $s = "a\0b"; $h = "hello\0world"; $n = "wo\0rld"; printf("%d %d %d %d %d\n", $s == "a", $s == "a\0c", strcontains($h, $n), strcontains("hello world", $n), strcontains($h, "world")); exit(); }`,
			out:    "[a|x]\nc\n1 1 0 1 0\n",
		},
		{
			// A buffer takes its length word too in a tuple, a map key
			// with others, and a histogram's key.
			name:   "buffer_in_tuples_and_keys",
			script: `BEGIN { $t = (1, buf("ab", 2), 3); print($t); @k[1, buf("ok", 2)] = 1; @h[buf("ok_key", 7)] = hist(1); @m[buf("ok_key", 7), 1] = count(); exit(); }`,
			out:    "(1, ab, 3)\n",
			maps:   "@h[ok_key\\x00]:\n[1]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n\n@k[1, ok]: 1\n@m[ok_key\\x00, 1]: 1\n",
		},
		{
			name:   "printf_int_widths",
			script: `BEGIN { $x = 0x12345678abcdef; printf("%hhx %hx %x %jx %lx|%hhx|%d %ld|%gr %gr|100%\n", $x, $x, $x, $x, $x, 0x1ff, 1m, 1m, 0xcc0, 0x101); exit(); }`,
			out:    "ef cdef 78abcdef 12345678abcdef 12345678abcdef|ff|-129542144 60000000000|GFP_KERNEL GFP_DMA|__GFP_ZERO|100%\n",
		},
	}
}

// TestStroutJSON checks values that print as text but are numbers in JSON.
func TestStroutJSON(t *testing.T) {
	cmd := hawkCmd(t, "-q", "-f", "json", "-e", `BEGIN { @p = (int16 *)0x32; print((1, (uint8 *)0x10)); exit(); }`)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type": "value", "data": [1,16]}` + "\n" + `{"type": "map", "data": {"@p": 50}}` + "\n"
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// TestStroutConstructs runs stroutConstructs on the kernel and compares
// what hawk prints, exactly.
func TestStroutConstructs(t *testing.T) {
	env := newTestEnv(t)
	runConstructs(t, stroutConstructs(env))
}
