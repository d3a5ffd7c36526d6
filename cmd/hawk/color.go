package main

import (
	"bytes"
	"fmt"
	"io"

	"github.com/hawktrace/hawk/internal/lazyre"
)

// colorEnv chooses whether hawk colors its messages: auto (the default:
// when stdout and stderr are both terminals), always or never, as
// bpftrace's BPFTRACE_COLOR does.
const colorEnv = "BPFTRACE_COLOR"

// ANSI colors of the severities: bpftrace's red errors and yellow
// warnings.
const (
	colorRed    = "\x1b[31m"
	colorYellow = "\x1b[33m"
	colorReset  = "\x1b[0m"
)

// colorStderr returns what hawk's messages are written to: stderr, or
// stderr behind a colorWriter when the value of BPFTRACE_COLOR (value, set
// when the variable is) asks for color. An unknown value warns, and counts
// as auto.
func colorStderr(value string, set bool, stdout, stderr io.Writer) io.Writer {
	on := isTerminal(stdout) && isTerminal(stderr)
	switch {
	case !set || value == "auto":
	case value == "always":
		on = true
	case value == "never":
		on = false
	default:
		fmt.Fprintf(stderr, "hawk: warning: %s must be auto, always or never, not %q: taking auto\n", colorEnv, value)
	}
	if !on {
		return stderr
	}
	return &colorWriter{w: stderr, bol: true}
}

// severity finds a message's severity word at the start of a line, after
// its position or "hawk:" when it has one: "-e:1:9: error:", "hawk:
// warning:", "-e:1:37-41: WARNING:".
var severity = lazyre.New(`^((?:[^\s:]+(?::[\d-]+)*: )?)(error|warning|ERROR|WARNING):`)

// colorWriter colors the severity of each message line written through it.
type colorWriter struct {
	w   io.Writer
	bol bool // the next byte starts a line
}

func (c *colorWriter) Write(p []byte) (int, error) {
	var out []byte
	for rest := p; len(rest) > 0; {
		line, after, found := bytes.Cut(rest, []byte("\n"))
		if c.bol {
			line = colorLine(line)
		}
		out = append(out, line...)
		if found {
			out = append(out, '\n')
		}
		c.bol, rest = found, after
	}
	if _, err := c.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// colorLine colors the severity word of a message line, if it has one.
func colorLine(line []byte) []byte {
	m := severity.FindSubmatchIndex(line)
	if m == nil {
		return line
	}
	color := colorYellow
	if word := string(line[m[4]:m[5]]); word == "error" || word == "ERROR" {
		color = colorRed
	}
	var b bytes.Buffer
	b.Write(line[:m[4]])
	b.WriteString(color)
	b.Write(line[m[4]:m[5]])
	b.WriteString(colorReset)
	b.Write(line[m[5]:])
	return b.Bytes()
}
