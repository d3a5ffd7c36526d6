package cpp

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Options configure a Preprocessor.
type Options struct {
	// IncludeDirs are searched first, in order (hawk's -I).
	IncludeDirs []string
	// SystemDirs are searched next; nil means DefaultSystemDirs().
	SystemDirs []string
	// MaxDepth is how deep #include may nest (default 200, as GCC's).
	MaxDepth int
	// MaxBytes is how many bytes of headers one Preprocessor may read,
	// counting a header each time it is read (default 64 MiB).
	MaxBytes int64
	// Timeout is how long it may spend in headers (default 10 s).
	Timeout time.Duration
}

// DefaultSystemDirs are the directories a C compiler searches for
// <headers> on this system: /usr/local/include, the multiarch directory of
// the machine hawk was built for, /usr/include.
func DefaultSystemDirs() []string {
	dirs := []string{"/usr/local/include"}
	if m := multiarch[runtime.GOARCH]; m != "" {
		dirs = append(dirs, "/usr/include/"+m)
	}
	return append(dirs, "/usr/include")
}

// multiarch names Debian's multiarch directory of each GOARCH.
var multiarch = map[string]string{
	"amd64": "x86_64-linux-gnu", "arm64": "aarch64-linux-gnu", "386": "i386-linux-gnu",
	"riscv64": "riscv64-linux-gnu", "ppc64le": "powerpc64le-linux-gnu", "s390x": "s390x-linux-gnu",
	"loong64": "loongarch64-linux-gnu", "mips64le": "mips64el-linux-gnuabi64",
}

// Error is a mistake found in a header, or a header that is missing.
type Error struct {
	File string // the header, "" when the mistake is in the script's line
	Line int
	Msg  string
	// NotFound is set when a header could not be found; From is then
	// FILE:LINE of the #include in a header, "" for the script's own.
	NotFound bool
	From     string
}

func (e *Error) Error() string {
	switch {
	case e.From != "":
		return e.Msg + ", included from " + e.From
	case e.File == "":
		return e.Msg
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Preprocessor holds the macros and enum constants of the headers and
// #define lines it has read. Its methods are safe for concurrent use.
type Preprocessor struct {
	mu       sync.Mutex
	opts     Options
	dirs     []string // the whole search path, hawk's own headers last
	userDirs int      // how many of dirs came from IncludeDirs
	macros   map[string]*macro
	enums    map[string]val
	once     map[string]bool // files with #pragma once, by path
	bytes    int64
	steps    int // tokens one expansion has looked at
	work     int // and the tokens it has copied
	depth    int
	start    time.Time
	values   map[string]valueResult
}

// valueResult is a name's value, kept once computed.
type valueResult struct {
	v  int64
	ok bool
}

// New makes a Preprocessor with the predefined macros of a C compiler for
// this machine's Linux.
func New(opts Options) *Preprocessor {
	if opts.SystemDirs == nil {
		opts.SystemDirs = DefaultSystemDirs()
	}
	if opts.MaxDepth == 0 {
		opts.MaxDepth = 200
	}
	if opts.MaxBytes == 0 {
		opts.MaxBytes = 64 << 20
	}
	if opts.Timeout == 0 {
		opts.Timeout = 10 * time.Second
	}
	p := &Preprocessor{opts: opts, macros: map[string]*macro{}, enums: map[string]val{}, once: map[string]bool{},
		values: map[string]valueResult{}}
	p.dirs = append(append(append(p.dirs, opts.IncludeDirs...), opts.SystemDirs...), builtinDir)
	p.userDirs = len(opts.IncludeDirs)
	p.start = time.Now()
	f := splitFile("<predefined>", predefined())
	if err := p.run(f, -1); err != nil {
		panic("cpp: the predefined macros: " + err.Error()) // a bug in predefined.go
	}
	return p
}

// SearchPath is the directories searched for <headers>, in order.
func (p *Preprocessor) SearchPath() []string {
	return append([]string(nil), p.dirs[:len(p.dirs)-1]...)
}

// Directive reads one directive line of a script (#define, #undef,
// #include; others are ignored). A "quoted" include is looked for in dir
// first. The error is an *Error.
func (p *Preprocessor) Directive(text, dir string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.values = map[string]valueResult{}
	p.start = time.Now()
	f := splitFile("", text) // without its comments
	if len(f.lines) == 0 || !f.lines[0].dir {
		return nil
	}
	err := p.directive(&f.lines[0], dir, -1)
	var e *Error
	if err != nil && !errors.As(err, &e) {
		err = &Error{Msg: err.Error()}
	}
	return err
}

// IncludeFile reads a header as if the script began with #include "name"
// (hawk's --include): a relative name is looked for in the working
// directory, then in the search path.
func (p *Preprocessor) IncludeFile(name string) error {
	return p.Directive(fmt.Sprintf("#include %q", name), ".")
}

// find looks for a header. A quoted one is looked for in fromDir first;
// the search starts at p.dirs[from]. It returns the path and the index of
// the directory it was found in (-1 for fromDir or an absolute path).
func (p *Preprocessor) find(name string, angled bool, fromDir string, from int) (string, int, bool) {
	if filepath.IsAbs(name) {
		return name, -1, exists(name)
	}
	if !angled && fromDir != "" && from == 0 {
		if path := filepath.Join(fromDir, name); exists(path) {
			return path, -1, true
		}
	}
	for i := from; i < len(p.dirs); i++ {
		path := filepath.Join(p.dirs[i], name)
		if p.dirs[i] == builtinDir {
			path = builtinDir + "/" + name
		}
		if exists(path) {
			return path, i, true
		}
	}
	return "", 0, false
}

func exists(path string) bool {
	if _, ok := builtinHeader(path); ok {
		return true
	}
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// notFound is the error for a header not found.
func (p *Preprocessor) notFound(spelled string) error {
	return &Error{NotFound: true, Msg: fmt.Sprintf("header %s not found (searched: %s)", spelled, strings.Join(p.SearchPath(), ", "))}
}

// maxSteps bounds the tokens one expansion may look at, and maxWork the
// tokens it may copy in rescanning.
const (
	maxSteps = 1 << 18
	maxWork  = 1 << 24
)

// step counts expansion work, n the tokens left to rescan; too much is an
// error, not a hang.
func (p *Preprocessor) step(n int) error {
	p.steps++
	p.work += n
	if p.steps&1023 == 0 && time.Since(p.start) > p.opts.Timeout {
		return fmt.Errorf("reading the headers took longer than %v", p.opts.Timeout)
	}
	if p.steps > maxSteps || p.work > maxWork {
		return fmt.Errorf("expanding a macro takes more than %d steps", maxSteps)
	}
	return nil
}

// startExpansion starts counting the work of one expansion.
func (p *Preprocessor) startExpansion() {
	p.steps, p.work = 0, 0
}

// include reads the header at path, found in p.dirs[dirIdx].
func (p *Preprocessor) include(path string, dirIdx int) error {
	if p.once[path] {
		return nil
	}
	f, err := readFile(path)
	if err != nil {
		return fmt.Errorf("cannot read %s: %v", path, err)
	}
	if f.guard != "" && p.macros[f.guard] != nil {
		return nil
	}
	if p.depth >= p.opts.MaxDepth {
		return fmt.Errorf("#include nests more than %d deep (does a header include itself?)", p.opts.MaxDepth)
	}
	p.bytes += f.size
	if p.bytes > p.opts.MaxBytes {
		return fmt.Errorf("the headers are larger than %d bytes in all (does a header include itself?)", p.opts.MaxBytes)
	}
	p.depth++
	defer func() { p.depth-- }()
	return p.run(f, dirIdx)
}

// cond is one open conditional of a file.
type cond struct {
	active bool // its current branch is read
	taken  bool // one of its branches was
	outer  bool // the enclosing region is read
	line   int
}

// run reads the lines of f.
func (p *Preprocessor) run(f *file, dirIdx int) error {
	var stack []cond
	var enums enumScanner
	dir := filepath.Dir(f.path)
	active := func() bool { return len(stack) == 0 || stack[len(stack)-1].active }
	at := func(l *line, err error) error {
		var e *Error
		if errors.As(err, &e) {
			if e.File != "" || e.NotFound {
				if e.NotFound && e.From == "" {
					e.From = fmt.Sprintf("%s:%d", f.path, l.num)
				}
				return e
			}
			err = errors.New(e.Msg)
		}
		return &Error{File: f.path, Line: l.num, Msg: err.Error()}
	}
	for i := range f.lines {
		l := &f.lines[i]
		if i&255 == 0 && time.Since(p.start) > p.opts.Timeout {
			return at(l, fmt.Errorf("reading the headers took longer than %v", p.opts.Timeout))
		}
		if !l.dir {
			if active() {
				if err := enums.scan(p, l.toks); err != nil {
					return at(l, err)
				}
			}
			continue
		}
		switch l.name {
		case "if", "ifdef", "ifndef":
			c := cond{outer: active(), line: l.num}
			if c.outer {
				v, err := p.condition(l, dir, dirIdx)
				if err != nil {
					return at(l, err)
				}
				c.active, c.taken = v, v
			}
			stack = append(stack, c)
		case "elif", "elifdef", "elifndef":
			if len(stack) == 0 {
				return at(l, fmt.Errorf("#%s without #if", l.name))
			}
			top := &stack[len(stack)-1]
			top.active = false
			if top.outer && !top.taken {
				v, err := p.condition(l, dir, dirIdx)
				if err != nil {
					return at(l, err)
				}
				top.active, top.taken = v, v
			}
		case "else":
			if len(stack) == 0 {
				return at(l, fmt.Errorf("#else without #if"))
			}
			top := &stack[len(stack)-1]
			top.active, top.taken = top.outer && !top.taken, true
		case "endif":
			if len(stack) == 0 {
				return at(l, fmt.Errorf("#endif without #if"))
			}
			stack = stack[:len(stack)-1]
		default:
			if !active() {
				continue
			}
			if l.name == "pragma" && l.rest == "once" {
				p.once[f.path] = true
				continue
			}
			if err := p.directive(l, dir, dirIdx); err != nil {
				return at(l, err)
			}
		}
	}
	if len(stack) > 0 {
		return &Error{File: f.path, Line: stack[len(stack)-1].line, Msg: "this conditional has no #endif"}
	}
	return nil
}

// directive runs a directive other than a conditional, in a file of dir
// found in p.dirs[dirIdx].
func (p *Preprocessor) directive(l *line, dir string, dirIdx int) error {
	switch l.name {
	case "define":
		m, err := parseDefine(l.toks)
		if err != nil {
			return err
		}
		if m.name == "defined" {
			return fmt.Errorf("\"defined\" cannot be a macro name")
		}
		p.macros[m.name] = m
	case "undef":
		if len(l.toks) == 0 || l.toks[0].kind != tIdent {
			return fmt.Errorf("#undef needs a macro name")
		}
		delete(p.macros, l.toks[0].text)
	case "include", "include_next", "import":
		return p.includeDirective(l, dir, dirIdx)
	case "error":
		return fmt.Errorf("#error %s", l.rest)
	}
	// #warning, #line, #ident, #pragma and unknown directives change no
	// constant.
	return nil
}

// includeDirective runs #include or #include_next.
func (p *Preprocessor) includeDirective(l *line, dir string, dirIdx int) error {
	spelled := strings.TrimSpace(l.rest)
	if !strings.HasPrefix(spelled, "<") && !strings.HasPrefix(spelled, `"`) {
		// #include MACRO
		toks, err := expander{p: p}.expand(l.toks)
		if err != nil {
			return err
		}
		spelled = strings.TrimSpace(spell(toks))
	}
	var name string
	var angled bool
	switch {
	case strings.HasPrefix(spelled, "<") && strings.Contains(spelled, ">"):
		name, angled = spelled[1:strings.Index(spelled, ">")], true
	case strings.HasPrefix(spelled, `"`) && strings.Count(spelled, `"`) >= 2:
		name = spelled[1 : 1+strings.Index(spelled[1:], `"`)]
	default:
		return fmt.Errorf("#%s expects <FILE> or \"FILE\"", l.name)
	}
	name = strings.TrimSpace(name)
	spelled = `"` + name + `"`
	if angled {
		spelled = "<" + name + ">"
	}
	from := 0
	if l.name == "include_next" && dirIdx >= 0 {
		from, angled = dirIdx+1, true
	}
	path, idx, ok := p.find(name, angled, dir, from)
	if !ok {
		if l.name == "include_next" {
			return nil // nothing further along the path: the compiler's header is optional here
		}
		return p.notFound(spelled)
	}
	return p.include(path, idx)
}
