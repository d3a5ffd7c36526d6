package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestREPLCompleteTypes: Tab completes a struct member the kernel's BTF
// gives curtask, a tracepoint's args in the probe being typed over two
// lines, and a uprobe's functions in a library named short.
func TestREPLCompleteTypes(t *testing.T) {
	term := startTerminal(t, "HAWK_HISTORY="+filepath.Join(t.TempDir(), "history"))
	term.keys("curtask->real_par", "Tab")
	term.waitScreen("the member completed", func(s string) bool { return lastLine(s) == "hawk> curtask->real_parent" })
	term.keys("C-u", "curtask->real_parent->tg", "Tab")
	term.waitScreen("the member of the member", func(s string) bool { return lastLine(s) == "hawk> curtask->real_parent->tgid" })
	term.keys("C-c")
	term.waitScreen("a fresh prompt", func(s string) bool { return lastLine(s) == "hawk>" })

	term.keys("tracepoint:syscalls:sys_enter_openat {", "Enter")
	term.waitScreen("the continuation prompt", func(s string) bool { return lastLine(s) == "..." })
	term.keys(`  @[str(args.filen`, "Tab")
	term.waitScreen("the tracepoint's field", func(s string) bool { return lastLine(s) == "...     @[str(args.filename" })
	term.keys("C-c")
	term.waitScreen("a fresh prompt", func(s string) bool { return lastLine(s) == "hawk>" })

	term.keys("uprobe:libc:malloc_usa", "Tab")
	term.waitScreen("the library's function", func(s string) bool { return lastLine(s) == "hawk> uprobe:libc:malloc_usable_size" })
}

// TestREPLSignatureTab: the first Tab completes a function's name with
// its '(', the second shows its signature above the line typed, which
// stays as it was.
func TestREPLSignatureTab(t *testing.T) {
	term := startTerminal(t, "HAWK_HISTORY="+filepath.Join(t.TempDir(), "history"))
	term.keys("BEGIN { @h = hi", "Tab")
	term.waitScreen("the function's name", func(s string) bool { return lastLine(s) == "hawk> BEGIN { @h = hist(" })
	term.keys("Tab")
	s := term.waitFor(`hist_t hist\(int64 n \[, int64 k\]\)\s+a power-of-2 histogram`)
	s = term.waitScreen("the line typed below the signature", func(s string) bool { return lastLine(s) == "hawk> BEGIN { @h = hist(" })
	if strings.Count(s, "hist_t hist(") != 1 {
		t.Errorf("the signature is shown %d times:\n%s", strings.Count(s, "hist_t hist("), s)
	}
	// The entry goes on from where it was.
	term.keys(`2); printf("went on\n"); }`, "Enter")
	term.waitFor(`\nwent on\n`)
}

// TestREPLHelpName: .help NAME shows a function's signature and what it
// does.
func TestREPLHelpName(t *testing.T) {
	term := startTerminal(t, "HAWK_HISTORY="+filepath.Join(t.TempDir(), "history"))
	term.keys(".help printf", "Enter")
	term.waitFor(`function printf: void printf\(string fmt, \.\.\.\)\n    prints the values formatted by fmt`)
	term.keys(".help uprobe", "Enter")
	term.waitFor(`probe uprobe: uprobe:BINARY:FUNCTION\[\+OFFSET\] \(alias u\)\n`)
}
