package runtime

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"

	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/internal/lazyre"
	"github.com/hawktrace/hawk/lang"
)

// LoadError is a program the kernel refused, explained in terms of the
// script: which probe, which line, and the verifier's last words.
type LoadError struct {
	Program string // the probe's attach points
	Source  *codegen.Source
	// Script is the script's text, when known: the message then starts
	// at Source's line and column, with the line and a caret under the
	// statement, as the checker's do (Positioned).
	Script  *lang.Source
	Reason  string   // the verifier's last lines
	Log     []string // the whole verifier log, for -v
	Verbose bool
	Err     error
}

// Positioned reports whether the message starts with the script's
// file:line:col, as a diagnostic does, rather than needing a prefix.
func (e *LoadError) Positioned() bool { return e.at() != nil }

// at is the diagnostic that points at the statement the verifier stopped
// at, or nil when the script's text or the statement's span is unknown.
func (e *LoadError) at() *lang.Diagnostic {
	if e.Script == nil || e.Source == nil || !e.Source.Pos.IsValid() || e.Source.End <= e.Source.Pos.Offset {
		return nil
	}
	src := e.Script.File(e.Source.Pos.Filename)
	if src.Name != e.Source.Pos.Filename || e.Source.End > len(src.Text) {
		return nil
	}
	return &lang.Diagnostic{Src: src, Start: e.Source.Pos.Offset, End: e.Source.End,
		Msg: "the kernel refused the program for " + e.Program}
}

func (e *LoadError) Error() string {
	var b strings.Builder
	if d := e.at(); d != nil {
		b.WriteString(d.Error())
	} else {
		fmt.Fprintf(&b, "the kernel refused the program for %s", e.Program)
		if e.Source != nil {
			fmt.Fprintf(&b, "\n  at %s", e.Source)
		}
	}
	if e.Verbose && len(e.Log) > 0 {
		b.WriteString("\nverifier log:\n  " + strings.Join(e.Log, "\n  "))
	} else if e.Reason != "" {
		b.WriteString("\n  verifier: " + e.Reason)
		b.WriteString("\n  (run with -v for the full verifier log)")
	} else if e.at() != nil {
		fmt.Fprintf(&b, "\n  %v", e.Err)
	} else {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

func (e *LoadError) Unwrap() error { return e.Err }

// UnsupportedError is a probe kind this kernel refuses outright, said in
// one line.
type UnsupportedError struct {
	Msg string
	Err error
	// At places the message where the script writes the attach point,
	// when known.
	At *lang.Diagnostic
}

// Positioned reports whether the message starts with the script's
// file:line:col, as a diagnostic does, rather than needing a prefix.
func (e *UnsupportedError) Positioned() bool { return e.At != nil }

func (e *UnsupportedError) Error() string {
	if e.At == nil {
		return e.Msg
	}
	d := *e.At
	d.Msg = e.Msg
	return d.Error()
}
func (e *UnsupportedError) Unwrap() error { return e.Err }

var (
	insnLine  = lazyre.New(`^(\d+): \(`)
	stateLine = lazyre.New(`^\d+: `)
	// regsLine is a line of register and stack states ("R0=10 R1=0x8
	// fp-8=..."), which the verifier prints at a jump or a call.
	regsLine = lazyre.New(`^R\d+(_\w+)?=`)
)

// loadError finds the script line of the instruction the verifier stopped
// at: the last instruction its log names.
func loadError(out *codegen.Output, err error, verbose bool) error {
	var prog *codegen.ProgramMeta
	for _, p := range out.Manifest.Programs {
		if strings.Contains(err.Error(), "program "+p.Name+":") {
			prog = p
		}
	}
	if prog == nil {
		return err
	}
	var ve *ebpf.VerifierError
	isVerifier := errors.As(err, &ve)
	if (!isVerifier || len(ve.Log) == 0) && errors.Is(err, unix.EPERM) && (prog.Kind == lang.ProbeFentry || prog.Kind == lang.ProbeFexit) {
		return &UnsupportedError{Err: err, At: pointDiagnostic(out.Src, prog.Points[0], ""), Msg: fmt.Sprintf("this kernel does not allow %s programs: loading the one for %s fails with EPERM before its verifier runs (a kernel without fentry/fexit support; kprobe:%s probes the same function where kprobes exist)",
			prog.Kind, prog.Text, lang.FuncName(&lang.AttachPoint{Args: prog.Points[0].Args}))}
	}
	if !isVerifier {
		return &LoadError{Program: prog.Text, Err: err}
	}
	le := &LoadError{Log: ve.Log, Verbose: verbose, Err: err, Program: prog.Text, Script: out.Src}
	failed := -1
	for _, line := range ve.Log {
		if m := insnLine.FindStringSubmatch(line); m != nil {
			failed, _ = strconv.Atoi(m[1])
		}
	}
	if failed >= 0 {
		le.Source = sourceAt(out.Spec.Programs[prog.Name].Instructions, failed)
	}
	le.Reason = verifierReason(ve.Log)
	return le
}

// verifierReason is what the last lines of a verifier log say of why it
// refused the program: at most two, without the statistics, the
// instructions and register states, and the source lines and notes on
// BTF arguments the verifier echoes. The kernel may print its last words
// on the line of the instruction it stopped at, after the instruction
// ("824: (15) if r0 == 0x0 goto pc+5 BPF program is too large. ..."):
// then they are taken from there.
func verifierReason(log []string) string {
	var reason []string
	last := true // no line that says why has been seen yet
	for i := len(log) - 1; i >= 0 && len(reason) < 2; i-- {
		line := strings.TrimSpace(log[i])
		if line == "" || strings.HasPrefix(line, "processed ") {
			continue
		}
		if m := gluedReason.FindStringSubmatch(line); m != nil && last {
			reason = append([]string{m[1]}, reason...)
			break
		}
		last = false
		if strings.HasPrefix(line, ";") || strings.HasPrefix(line, "arg#") || stateLine.MatchString(line) || regsLine.MatchString(line) {
			continue
		}
		reason = append([]string{line}, reason...)
	}
	return strings.Join(reason, "; ")
}

// gluedReason finds the verifier's last words printed after the
// instruction it stopped at: instructions are written in lower case and
// the verifier's messages that follow one start with a capital.
var gluedReason = lazyre.New(`^\d+: \([0-9a-f]{2}\) [^A-Z;]*? ([A-Z][^;]*)$`)

// sourceAt returns the source of the statement raw instruction off belongs to.
func sourceAt(insns asm.Instructions, off int) *codegen.Source {
	var src *codegen.Source
	iter := insns.Iterate()
	for iter.Next() && int(iter.Offset) <= off {
		if s, ok := iter.Ins.Source().(*codegen.Source); ok {
			src = s
		}
	}
	return src
}
