package repl

import (
	"context"
	"os"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/runtime"
)

// TestIncludes: the session's entries see the headers of --include and
// the directories of -I, as a script does.
func TestIncludes(t *testing.T) {
	kerneltest.Require(t)
	if _, err := os.Stat("/usr/include/stdint.h"); err != nil {
		kerneltest.Missing(t, "no /usr/include/stdint.h: install libc6-dev")
	}
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/mine.h", []byte("#define MINE 7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := &session{t: t, in: &feeder{lines: make(chan string), prompts: make(chan string)},
		stdout: &kerneltest.Buffer{}, stderr: &kerneltest.Buffer{}, done: make(chan error, 1)}
	s.r = New(Config{Stdout: s.stdout, Stderr: s.stderr, Runtime: runtime.Options{},
		Includes: []string{"stdint.h", "mine.h"}, IncludeDirs: []string{dir}})
	go func() { s.done <- s.r.Run(context.Background(), s.in) }()
	<-s.in.prompts
	t.Cleanup(s.quit)
	s.send(`BEGIN { printf("%d %d\n", UINT8_MAX, MINE); }`)
	s.waitOut(`255 7\n`)
}
