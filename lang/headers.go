package lang

import (
	"errors"
	"strings"
	"sync"

	"github.com/hawktrace/hawk/lang/cpp"
)

// constants are the values that names take from the script's #define
// lines and the C headers it includes, read by hawk's own preprocessor
// (lang/cpp): AF_INET is 2 after #include <sys/socket.h>.
type constants struct {
	pp *cpp.Preprocessor // nil when the script has no #define or #include
	// fallback holds the built-in table's constants of the headers
	// included, for the names the headers on this system lack.
	fallback map[string]int64
	// errs are the headers' mistakes, reported by the last walk; lines
	// are the directives they are about.
	errs  []headerError
	lines []*Directive
}

// headerError is a mistake in reading lines[line], or an --include's
// (line -1).
type headerError struct {
	line int
	msg  string
}

// lookup returns the integer value of name.
func (k *constants) lookup(name string) (int64, bool) {
	if k == nil {
		return 0, false
	}
	if k.pp != nil {
		if v, ok := k.pp.Int(name); ok {
			return v, true
		}
	}
	v, ok := k.fallback[name]
	return v, ok
}

// str returns the value of name when its macro expands to a string.
func (k *constants) str(name string) (string, bool) {
	if k == nil || k.pp == nil {
		return "", false
	}
	return k.pp.String(name)
}

// headerCache keeps the constants of each set of directives, include
// directories and --include files this process has read: a REPL or a
// test compiling many scripts reads the headers once.
var headerCache = struct {
	sync.Mutex
	m map[string]*constants
}{m: map[string]*constants{}}

// readHeaders runs the script's #define, #undef and #include lines, and
// the --include files before them, through the preprocessor.
func readHeaders(src *Source, directives []*Directive, cfg Config) *constants {
	var lines []*Directive
	var key strings.Builder
	for _, dir := range cfg.IncludeDirs {
		key.WriteString("I" + dir + "\x00")
	}
	for _, inc := range cfg.Includes {
		key.WriteString("F" + inc + "\x00")
	}
	for _, d := range directives {
		text := strings.TrimSpace(d.Text)
		if m := directiveName.Get().FindStringSubmatch(text); m != nil {
			lines = append(lines, d)
			key.WriteString(importDir(src.For(d).Name) + "\x00" + text + "\x00")
		}
	}
	if len(lines) == 0 && len(cfg.Includes) == 0 {
		return &constants{}
	}
	headerCache.Lock()
	k, ok := headerCache.m[key.String()]
	headerCache.Unlock()
	if ok {
		return k.forDirectives(lines)
	}
	k = &constants{pp: cpp.New(cpp.Options{IncludeDirs: cfg.IncludeDirs}), fallback: map[string]int64{}}
	for _, inc := range cfg.Includes {
		if err := k.pp.IncludeFile(inc); err != nil {
			k.errs = append(k.errs, headerError{line: -1, msg: "--include " + inc + ": " + err.Error()})
		}
	}
	for i, d := range lines {
		text := strings.TrimSpace(d.Text)
		err := k.pp.Directive(text, importDir(src.For(d).Name))
		if m := includeLine.Get().FindStringSubmatch(text); m != nil {
			if table, ok := headerConstants[m[1]]; ok {
				for name, v := range table {
					k.fallback[name] = v
				}
				var e *cpp.Error
				if errors.As(err, &e) && e.NotFound && e.From == "" {
					err = nil // not on this system: the table stands in for it
				}
			}
		}
		if err != nil {
			k.errs = append(k.errs, headerError{line: i, msg: err.Error()})
		}
	}
	headerCache.Lock()
	if len(headerCache.m) > 64 {
		headerCache.m = map[string]*constants{}
	}
	headerCache.m[key.String()] = k
	headerCache.Unlock()
	return k.forDirectives(lines)
}

// forDirectives is k for this script's directives: a cached k was read
// for another parse of the same lines.
func (k *constants) forDirectives(lines []*Directive) *constants {
	c := *k
	c.lines = lines
	return &c
}

// reportHeaderErrors reports the mistakes found in reading the headers.
func (c *checker) reportHeaderErrors() {
	for _, e := range c.defines.errs {
		if e.line < 0 {
			c.diags.AddSpan(c.src, 0, 0, "%s", e.msg)
			continue
		}
		c.errorf(c.defines.lines[e.line], "%s", e.msg)
	}
}

// headerConstants are constants of kernel headers that the headers
// installed on a system (the kernel's uapi headers, glibc's) lack, such
// as the task states of the kernel's own linux/sched.h, and the common
// ones of a few headers for systems without /usr/include. A script that
// includes one of these headers gets them when the headers found do not
// define them.
var headerConstants = map[string]map[string]int64{
	"linux/sched.h": {
		"TASK_RUNNING": 0x0, "TASK_INTERRUPTIBLE": 0x1, "TASK_UNINTERRUPTIBLE": 0x2,
		"__TASK_STOPPED": 0x4, "__TASK_TRACED": 0x8, "EXIT_DEAD": 0x10, "EXIT_ZOMBIE": 0x20,
		"TASK_PARKED": 0x40, "TASK_DEAD": 0x80, "TASK_WAKEKILL": 0x100, "TASK_WAKING": 0x200,
		"TASK_NOLOAD": 0x400, "TASK_NEW": 0x800, "TASK_KILLABLE": 0x102, "TASK_STOPPED": 0x104,
		"TASK_TRACED": 0x8, "TASK_IDLE": 0x402,
		"CLONE_VM": 0x100, "CLONE_FS": 0x200, "CLONE_FILES": 0x400, "CLONE_SIGHAND": 0x800,
		"CLONE_THREAD": 0x10000, "CLONE_NEWNS": 0x20000,
	},
	"linux/socket.h": socketConstants,
	"sys/socket.h":   socketConstants,
	"net/sock.h":     socketConstants,
	"linux/in.h":     {"IPPROTO_IP": 0, "IPPROTO_ICMP": 1, "IPPROTO_TCP": 6, "IPPROTO_UDP": 17, "IPPROTO_IPV6": 41},
	"linux/fs.h": {
		"O_RDONLY": 0, "O_WRONLY": 1, "O_RDWR": 2, "O_CREAT": 0100, "O_EXCL": 0200, "O_TRUNC": 01000,
		"O_APPEND": 02000, "O_NONBLOCK": 04000, "O_DIRECTORY": 0200000, "O_CLOEXEC": 02000000,
	},
	"linux/time.h": {"CLOCK_REALTIME": 0, "CLOCK_MONOTONIC": 1, "CLOCK_BOOTTIME": 7, "TIMER_ABSTIME": 1},
}

var socketConstants = map[string]int64{
	"AF_UNSPEC": 0, "AF_UNIX": 1, "AF_LOCAL": 1, "AF_INET": 2, "AF_INET6": 10, "AF_NETLINK": 16, "AF_PACKET": 17,
	"SOCK_STREAM": 1, "SOCK_DGRAM": 2, "SOCK_RAW": 3,
}
