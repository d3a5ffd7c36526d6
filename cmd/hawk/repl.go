package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/peterh/liner"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/repl"
	"github.com/hawktrace/hawk/runtime"
)

// replHint is the line a session on a terminal begins with: what to type,
// where help is, how to leave.
const replHint = "hawk %s: type probes and expressions; .help for help; .quit or Ctrl-D leaves\n"

// runREPL runs the interactive session: with a line editor, completion
// and history on a terminal, reading plain lines otherwise. A program
// given with --repl (-e or a file) is its first entry.
func runREPL(o *options, stdin io.Reader, stdout, stderr io.Writer) int {
	out, closeOut, err := openOutput(o, stdout, scriptFiles(o, nil)...)
	if err != nil {
		fmt.Fprintf(stderr, "hawk: error: -o: %v\n", err)
		return exitUser
	}
	defer closeOut()
	terminal := isTerminal(stdin) && isTerminal(stdout)
	cfg := repl.Config{
		Stdout: out, Stderr: stderr,
		Runtime: runtime.Options{Format: o.format, Buffer: o.buffer, Verbose: o.verbose},
		Environ: os.Environ(), Unsafe: o.unsafe, Terminal: terminal && o.outFile == "",
		IncludeDirs: o.includeDirs, Includes: o.includes,
	}
	var in repl.LineReader = &plainReader{sc: bufio.NewScanner(stdin)}
	var editor *termReader
	if terminal {
		con := &console{}
		if o.outFile == "" {
			cfg.Stdout = con.writer(cfg.Stdout)
		}
		cfg.Stderr = con.writer(stderr)
		editor = newTermReader(con)
		defer editor.close()
		in = editor
		// .watch reads Enter where the line editor reads its keys.
		cfg.Input = editor.input
	}
	r := repl.New(cfg)
	if editor != nil {
		editor.line.SetWordCompleter(r.Complete)
		fmt.Fprintf(stderr, replHint, hawk.Version)
	}

	// Ctrl-C stops what runs (.watch); at the prompt the editor sees it as
	// a key, and the REPL hears whether the line was empty (keyWatch).
	// SIGTERM ends the session as .quit does.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		for sig := range sigs {
			if sig == syscall.SIGTERM {
				r.Stop()
				if editor != nil {
					editor.close()
				}
				os.Exit(exitOK)
			}
			r.Interrupt()
		}
	}()
	signal.Ignore(syscall.SIGPIPE)

	if o.hasProg || o.file != "" {
		if err := r.Load(o.file, o.program); err != nil {
			fmt.Fprintf(stderr, "hawk: %v\n", err)
		}
	}
	if err := r.Run(ctx, in); err != nil {
		fmt.Fprintf(stderr, "hawk: error: %v\n", err)
		return exitInternal
	}
	return exitOK
}

// plainReader reads lines without editing, prompts or history: input
// that is not a terminal.
type plainReader struct{ sc *bufio.Scanner }

func (p *plainReader) Prompt(string) (string, error) {
	if p.sc.Scan() {
		return p.sc.Text(), nil
	}
	if err := p.sc.Err(); err != nil {
		return "", err
	}
	return "", io.EOF
}

// termReader edits lines on the terminal with liner, keeping history in
// the user's config directory.
type termReader struct {
	line    *liner.State
	con     *console
	keys    *keyWatch // nil if the pipe it needs could not be made
	input   *os.File  // what liner reads: the keyWatch's pipe, or os.Stdin
	history string
	once    sync.Once
}

func newTermReader(con *console) *termReader {
	t := &termReader{con: con, history: historyFile()}
	// liner reads os.Stdin as it is when it starts: the keys go through
	// a keyWatch on their way (the terminal's modes are still set on
	// file descriptor 0).
	stdin := os.Stdin
	t.input = stdin
	if r, k, err := watchKeys(stdin); err == nil {
		os.Stdin, t.keys, t.input = r, k, r
	}
	t.line = liner.NewLiner()
	os.Stdin = stdin
	t.line.SetCtrlCAborts(true)
	t.line.SetTabCompletionStyle(liner.TabPrints)
	if f, err := os.Open(t.history); err == nil {
		t.line.ReadHistory(f)
		f.Close()
	}
	return t
}

func (t *termReader) Prompt(prompt string) (string, error) {
	t.con.setPrompting(true)
	s, err := t.line.Prompt(prompt)
	t.con.setPrompting(false)
	switch {
	case errors.Is(err, liner.ErrPromptAborted) && t.keys != nil && t.keys.emptyAtCtrlC():
		return "", repl.ErrInterruptedEmpty
	case errors.Is(err, liner.ErrPromptAborted):
		return "", repl.ErrInterrupted
	case err != nil:
		return "", err
	}
	return s, nil
}

// AddHistory keeps an entry or a command in the history: the REPL gives
// each once it ends, an entry typed over lines as one line.
func (t *termReader) AddHistory(entry string) { t.line.AppendHistory(entry) }

// close saves the history and gives the terminal back as it was.
func (t *termReader) close() { t.once.Do(t.save) }

func (t *termReader) save() {
	if t.history != "" {
		if err := os.MkdirAll(filepath.Dir(t.history), 0o700); err == nil {
			if f, err := os.OpenFile(t.history, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600); err == nil {
				t.line.WriteHistory(f)
				f.Close()
			}
		}
	}
	t.line.Close()
}

// historyFile is where the REPL keeps its history: $HAWK_HISTORY, else
// hawk/history in the user's config directory (~/.config), else
// ~/.hawk_history.
func historyFile() string {
	if f := os.Getenv("HAWK_HISTORY"); f != "" {
		return f
	}
	if dir, err := os.UserConfigDir(); err == nil {
		return filepath.Join(dir, "hawk", "history")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".hawk_history")
	}
	return ""
}
