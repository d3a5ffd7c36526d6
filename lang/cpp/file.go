package cpp

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// line is one logical line of a file: backslash-newlines joined, comments
// replaced by a space.
type line struct {
	num  int     // the line number of its first physical line
	dir  bool    // a directive: it starts with #
	name string  // the directive's name: define, if, ... ("" for `#` alone)
	rest string  // the directive's text after its name
	toks []token // the tokens of rest, or of the whole text line
}

// file is a header read into lines.
type file struct {
	path  string
	lines []line
	size  int64
	// guard is the macro of an include guard that wraps the whole file
	// (#ifndef G ... #endif): once G is defined, including the file again
	// does nothing.
	guard string
}

// cached is a file in the process's cache, with what it was read from.
type cached struct {
	f       *file
	modTime time.Time
	size    int64
}

// files caches the headers read in this process, by path: a header is read
// and split into lines once, whatever includes it.
var files = struct {
	sync.Mutex
	m map[string]cached
}{m: map[string]cached{}}

// readFile returns a header's lines, from the cache when the file has not
// changed.
func readFile(path string) (*file, error) {
	if text, ok := builtinHeader(path); ok {
		return cachedFile(path, time.Time{}, int64(len(text)), func() ([]byte, error) { return []byte(text), nil })
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file")
	}
	return cachedFile(path, st.ModTime(), st.Size(), func() ([]byte, error) {
		// Sizes in /proc and /sys say nothing: read at most the limit.
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
		if err == nil && len(data) > maxFileSize {
			err = fmt.Errorf("larger than %d bytes", maxFileSize)
		}
		return data, err
	})
}

// maxFileSize is the largest header read.
const maxFileSize = 16 << 20

func cachedFile(path string, mod time.Time, size int64, read func() ([]byte, error)) (*file, error) {
	files.Lock()
	c, ok := files.m[path]
	files.Unlock()
	if ok && c.modTime.Equal(mod) && c.size == size {
		return c.f, nil
	}
	data, err := read()
	if err != nil {
		return nil, err
	}
	f := splitFile(path, string(data))
	files.Lock()
	if len(files.m) > 4096 {
		files.m = map[string]cached{}
	}
	files.m[path] = cached{f: f, modTime: mod, size: size}
	files.Unlock()
	return f, nil
}

// splitFile splits a file's text into logical lines.
func splitFile(path, text string) *file {
	f := &file{path: path, size: int64(len(text))}
	var b strings.Builder
	num, start := 1, 1
	flush := func() {
		f.lines = append(f.lines, newLine(start, b.String()))
		b.Reset()
	}
	// state: 0 code, 1 string, 2 char, 3 line comment, 4 block comment.
	state := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '\\' && i+1 < len(text) && (text[i+1] == '\n' || text[i+1] == '\r' && i+2 < len(text) && text[i+2] == '\n') {
			// A line splice, wherever it is.
			if text[i+1] == '\r' {
				i++
			}
			i++
			num++
			continue
		}
		if c == '\n' {
			num++
			switch state {
			case 4:
				continue // a block comment goes on
			case 1, 2, 3:
				state = 0
			}
			flush()
			start = num
			continue
		}
		switch state {
		case 0:
			switch {
			case c == '/' && i+1 < len(text) && text[i+1] == '*':
				state = 4
				i++
				b.WriteByte(' ')
			case c == '/' && i+1 < len(text) && text[i+1] == '/':
				state = 3
				i++
			case c == '"':
				state = 1
				b.WriteByte(c)
			case c == '\'':
				state = 2
				b.WriteByte(c)
			default:
				b.WriteByte(c)
			}
		case 1, 2:
			b.WriteByte(c)
			if c == '\\' && i+1 < len(text) && text[i+1] != '\n' {
				i++
				b.WriteByte(text[i])
			} else if c == '"' && state == 1 || c == '\'' && state == 2 {
				state = 0
			}
		case 4:
			if c == '*' && i+1 < len(text) && text[i+1] == '/' {
				state = 0
				i++
			}
		}
	}
	if b.Len() > 0 {
		flush()
	}
	f.guard = findGuard(f.lines)
	return f
}

// newLine reads a logical line.
func newLine(num int, text string) line {
	t := strings.TrimLeft(text, " \t\f\v\r")
	if !strings.HasPrefix(t, "#") {
		return line{num: num, toks: lex(text)}
	}
	t = strings.TrimLeft(t[1:], " \t\f\v\r")
	n := 0
	for n < len(t) && isIdentChar(t[n]) {
		n++
	}
	l := line{num: num, dir: true, name: t[:n], rest: strings.TrimSpace(t[n:])}
	l.toks = lex(l.rest)
	return l
}

// findGuard returns the macro of the include guard that wraps lines
// whole, or "".
func findGuard(lines []line) string {
	first, last := -1, -1
	for i, l := range lines {
		switch {
		case l.dir:
			if first < 0 {
				first = i
			}
			last = i
		case len(l.toks) > 0 && first < 0:
			return "" // text before the guard
		}
	}
	if first < 0 || lines[last].name != "endif" {
		return ""
	}
	f := lines[first]
	var guard string
	switch {
	case f.name == "ifndef" && len(f.toks) == 1 && f.toks[0].kind == tIdent:
		guard = f.toks[0].text
	case f.name == "if" && len(f.toks) >= 3 && f.toks[0].is("!") && f.toks[1].text == "defined":
		ts := f.toks[2:]
		if len(ts) == 3 && ts[0].is("(") && ts[2].is(")") {
			ts = ts[1:2]
		}
		if len(ts) == 1 && ts[0].kind == tIdent {
			guard = ts[0].text
		}
	default:
		return ""
	}
	// The #ifndef must close at the last directive, and no text may come
	// after it.
	depth := 0
	for i := first; i <= last; i++ {
		switch lines[i].name {
		case "if", "ifdef", "ifndef":
			depth++
		case "endif":
			depth--
			if depth == 0 && i != last {
				return ""
			}
		}
	}
	for _, l := range lines[last+1:] {
		if len(l.toks) > 0 {
			return ""
		}
	}
	return guard
}
