package runtime

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"syscall"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/internal/childproc"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/output"
)

// defaultCatBytes is how much of a file cat() prints unless max_cat_bytes
// says otherwise, as bpftrace's default.
const defaultCatBytes = 10240

// formatted handles the event of a printf-like call: printf prints the
// text; cat prints the file it names, system runs it as a shell command
// and prints what it writes, unless stop is closed first; errorf and warnf
// report it, located in the script.
func (s *Session) formatted(meta *codegen.PrintfMeta, text []byte, stop <-chan struct{}) {
	switch meta.Func {
	case lang.FuncCat:
		s.cat(string(text))
	case lang.FuncSystem:
		s.system(string(text), stop)
	case lang.FuncErrorf, lang.FuncWarnf:
		d := output.Diagnostic{Severity: output.Warning, Msg: string(text),
			File: meta.Pos.Filename, Line: meta.Pos.Line, Col: meta.Pos.Column}
		if meta.End.Line == meta.Pos.Line {
			d.ECol = meta.End.Column
		}
		if meta.Func == lang.FuncErrorf {
			d.Severity = output.Error
		}
		s.w.Diagnostic(d)
		for _, site := range meta.Expanded {
			e := output.Diagnostic{Severity: d.Severity, Msg: "expanded from",
				File: site.Pos.Filename, Line: site.Pos.Line, Col: site.Pos.Column}
			if site.End.Line == site.Pos.Line {
				e.ECol = site.End.Column
				e.Context = []string{site.Line, output.Marker(site.Line, site.Pos.Column, site.End.Column-site.Pos.Column)}
			}
			s.w.Diagnostic(e)
		}
	default:
		s.w.Printf(text)
	}
}

// cat prints up to max_cat_bytes of a file.
func (s *Session) cat(path string) {
	f, err := os.Open(path)
	if err != nil {
		s.w.Flush()
		s.warnf("ERROR: failed to open file '%s' (%s)", path, errnoText(err))
		return
	}
	defer f.Close()
	limit := int64(defaultCatBytes)
	if s.man != nil && s.man.MaxCatBytes > 0 {
		limit = int64(s.man.MaxCatBytes)
	}
	b, err := io.ReadAll(io.LimitReader(f, limit))
	if err != nil {
		s.w.Flush()
		s.warnf("ERROR: failed to read file '%s' (%s)", path, errnoText(err))
	}
	s.w.Message(output.MessageCat, string(b))
}

// system runs a command with sh -c, waits for it, and prints what it
// wrote to its standard output; what it writes to its standard error goes
// to hawk's. When stop is closed first, the command and every process it
// started (its process group) are killed, and nothing is printed.
func (s *Session) system(command string, stop <-chan struct{}) {
	cmd := exec.Command("/bin/sh", "-c", command)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = s.stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	s.w.Flush()
	// The command dies with hawk, as bpftrace's does.
	if err := childproc.Start(cmd); err != nil {
		s.warnf("ERROR: system(%q): %v", command, err)
		return
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-stop:
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
		return
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		s.warnf("ERROR: system(%q): %v", command, err)
		return
	}
	s.w.Message(output.MessageSystem, out.String())
}

// errnoText is the C library's text for the errno behind err.
func errnoText(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		t := errno.Error()
		return string(t[0]-'a'+'A') + t[1:]
	}
	return err.Error()
}
