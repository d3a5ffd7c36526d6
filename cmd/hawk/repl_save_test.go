package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// saveSession is a session typed an entry at a time: a config block,
// a #define, a map declared, a macro and a struct, each alone, then a
// BEGIN, an interval and an END probe, and .save.
const saveSession = `config = { max_strlen = 5 }
#define LIMIT 3
let @m = hash(100);
macro twice(x) { x * 2 }
struct P { int a; long b; }
BEGIN { @m["begin"] = twice(21); printf("begin %d %s %d\n", LIMIT, str("abcdefgh"), sizeof(struct P)); }
interval:ms:100 {
  @n = count(); @m["tick"] = twice((int64)@n);
  printf("tick %d\n", (int64)@n);
  if ((int64)@n == 5) { exit(); }
}
END { printf("end %d\n", (int64)@n); }
.save FILE
`

// TestREPLSaveRoundTrip: `hawk FILE` runs a script .save wrote to the
// output the session printed for the same events, up to its exit().
func TestREPLSaveRoundTrip(t *testing.T) {
	file := filepath.Join(t.TempDir(), "saved.bt")
	cmd := hawkCmd(t, "--repl")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr kerneltest.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	io.WriteString(stdin, strings.Replace(saveSession, "FILE", file, 1))
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(stderr.String(), "exit() was called"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the session never exited:\n%s", stderr.String())
		}
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("hawk --repl: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "saved 3 probes to "+file+"\n") || strings.Contains(stderr.String(), "error") {
		t.Fatalf("the session's messages:\n%s", stderr.String())
	}
	script, _ := os.ReadFile(file)
	run := hawkCmd(t, file)
	out, err := run.Output()
	if err != nil {
		t.Fatalf("hawk %s: %v\n%s", file, err, script)
	}
	want := "begin 3 abcd 16\ntick 1\ntick 2\ntick 3\ntick 4\ntick 5\nend 5\n\n\n@m[tick]: 10\n@m[begin]: 42\n@n: 5\n"
	if string(out) != want {
		t.Errorf("hawk %s printed\n%s\nwant\n%s\nthe script:\n%s", file, out, want, script)
	}
	// The session printed the same, then the maps again when it ended.
	if !strings.HasPrefix(stdout.String(), want) {
		t.Errorf("the session printed\n%s\nwant first\n%s", stdout.String(), want)
	}
}
