package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"

	"github.com/hawktrace/hawk/internal/childproc"
)

// holdScript keeps the command from running until hawk writes a line to
// the pipe on fd 3, then executes it in the shell's place: the command's
// pid is the one hawk attached for, and a single-threaded shell does
// little before it (a read and an execve) that the probes could see. When
// hawk ends first the pipe ends with no line, and the shell exits without
// running the command.
const holdScript = `read -r _ <&3 || exit 125; exec 3<&-; exec "$0" "$@"`

// child is the command -c runs.
type child struct {
	cmd  *exec.Cmd
	path string        // the command's binary
	gate *os.File      // hawk's end of the pipe: a line written starts the command
	done chan struct{} // closed once the released command has ended
}

// startChild starts cmdline held before it runs. Words are split as a
// shell would split them, with quotes but no expansion. The command gets
// SIGKILL when hawk ends, even by SIGKILL (childproc).
func startChild(cmdline string) (*child, error) {
	argv, err := splitWords(cmdline)
	if err != nil {
		return nil, err
	}
	if len(argv) == 0 {
		return nil, fmt.Errorf("-c needs a command")
	}
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return nil, fmt.Errorf("-c: %w", err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("/bin/sh", append([]string{"-c", holdScript, path}, argv[1:]...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.ExtraFiles = []*os.File{r}
	err = childproc.Start(cmd)
	r.Close()
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("-c: %w", err)
	}
	return &child{cmd: cmd, path: path, gate: w}, nil
}

// Pid is the command's process id.
func (c *child) Pid() int { return c.cmd.Process.Pid }

// release lets the command run, and reaps it when it ends.
func (c *child) release() {
	c.done = make(chan struct{})
	c.gate.Write([]byte("\n"))
	c.gate.Close()
	go func() {
		c.cmd.Wait()
		close(c.done)
	}()
}

// stop ends the command: one never released is killed before it runs;
// one still running is asked to end (SIGTERM), as bpftrace does when it
// stops first. It waits for the command either way.
func (c *child) stop() {
	if c.done == nil {
		c.cmd.Process.Kill()
		c.gate.Close()
		c.cmd.Wait()
		return
	}
	select {
	case <-c.done:
	default:
		c.cmd.Process.Signal(syscall.SIGTERM)
		<-c.done
	}
}

// splitWords splits a command line into words as a POSIX shell does,
// without expansions: blanks separate them, single quotes keep
// everything, double quotes keep all but a backslash before ", \, $, `
// or a newline, a backslash outside quotes keeps the next character, and
// a backslash before a newline joins the lines.
func splitWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("-c: unterminated ' in %q", s)
			}
			cur.WriteString(s[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`\n", s[i+1]) >= 0 {
					// As in a shell: the backslash quotes these, and
					// a backslash and newline are no characters at all.
					i++
					if s[i] == '\n' {
						continue
					}
				}
				cur.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, fmt.Errorf("-c: unterminated \" in %q", s)
			}
			inWord = true
		case c == '\\' && i+1 < len(s):
			i++
			if s[i] == '\n' { // a line continued
				continue
			}
			cur.WriteByte(s[i])
			inWord = true
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
