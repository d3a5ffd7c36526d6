package listing

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/kernel"
)

// Options configure List.
type Options struct {
	// Verbose (-lv) prints each probe's arguments under it.
	Verbose bool
	// Env is the kernel to list the probes of; nil means a fresh
	// kernel.Env.
	Env *kernel.Env
	// Pid (-p) lists the uprobes and usdt probes of that process's
	// binaries beside the kernel's probes: those of uprobe:* and usdt:*,
	// and of every provider when the pattern names none.
	Pid int
}

// List writes to w, one a line, the probes that pattern matches (see the
// package documentation); "" lists every probe of the kernel. A pattern
// that matches nothing writes nothing and is no error, as in bpftrace. An
// unknown provider, a uprobe or usdt pattern without a binary, or a binary
// that does not exist is an error, reported after the lines of the
// patterns before it.
func List(w io.Writer, pattern string, opts Options) error {
	bw := bufio.NewWriter(w)
	lines, err := Lines(pattern, opts)
	for _, line := range lines {
		bw.WriteString(line)
		bw.WriteByte('\n')
	}
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return err
}

// Lines returns the lines List writes, without their newlines.
func Lines(pattern string, opts Options) ([]string, error) {
	l := &lister{env: opts.Env, verbose: opts.Verbose, pid: opts.Pid}
	if l.env == nil {
		l.env = &kernel.Env{}
	}
	var lines []string
	pieces := strings.Split(pattern, ",")
	for _, raw := range pieces {
		piece := strings.Join(strings.Fields(raw), " ")
		if piece == "" && len(pieces) > 1 {
			continue // "a,,b": an empty piece of a list is no request for all
		}
		more, err := l.list(piece)
		lines = append(lines, more...)
		if err != nil {
			return lines, err
		}
	}
	return lines, nil
}

// kind is a provider of probes that can be listed.
type kind struct {
	name    string
	aliases []string
	// kernel kinds are listed when the pattern's provider is a wildcard;
	// user kinds too, when the pattern then names an existing file.
	kernel, user bool
	list         func(l *lister, q query) ([]probe, error)
}

// kinds are the providers, sorted by name: the order bpftrace lists them
// in.
var kinds = []kind{
	{name: "fentry", aliases: []string{"f", "kfunc"}, kernel: true, list: fentryLister(false)},
	{name: "fexit", aliases: []string{"fr", "kretfunc"}, list: fentryLister(true)},
	{name: "hardware", aliases: []string{"h"}, kernel: true, list: hardwareProbes},
	{name: "interval", aliases: []string{"i"}, list: timerProbes},
	{name: "iter", aliases: []string{"it"}, kernel: true, list: iterProbes},
	{name: "kprobe", aliases: []string{"k"}, kernel: true, list: kprobeLister(false)},
	{name: "kretprobe", aliases: []string{"kr"}, list: kprobeLister(true)},
	{name: "profile", aliases: []string{"p"}, list: timerProbes},
	{name: "rawtracepoint", aliases: []string{"rt"}, kernel: true, list: rawTracepointProbes},
	{name: "self", list: selfProbes},
	{name: "software", aliases: []string{"s"}, kernel: true, list: softwareProbes},
	{name: "tracepoint", aliases: []string{"t"}, kernel: true, list: tracepointProbes},
	{name: "uprobe", aliases: []string{"u"}, user: true, list: uprobeProbes},
	{name: "uretprobe", aliases: []string{"ur"}, list: uprobeProbes},
	{name: "usdt", aliases: []string{"U"}, user: true, list: usdtProbes},
}

// unlisted are providers with nothing to list.
var unlisted = map[string]bool{
	"BEGIN": true, "END": true, "begin": true, "end": true,
	"watchpoint": true, "w": true, "asyncwatchpoint": true, "aw": true,
	"test": true, "bench": true,
}

// findKind returns the kind a provider spells, by name or alias.
func findKind(provider string) *kind {
	for i := range kinds {
		if kinds[i].name == provider || slices.Contains(kinds[i].aliases, provider) {
			return &kinds[i]
		}
	}
	return nil
}

// probe is one match: its name after "provider:", and under -lv its
// arguments, one a line.
type probe struct {
	name string
	args []string
}

// query is a pattern split for the kinds to read.
type query struct {
	parts  []string // the pattern split at its colons; parts[0] is the provider
	suffix string   // what follows the provider and its colon
}

// targeted returns the pattern for a kind whose probes read TARGET:NAME
// (tracepoint, fentry, rawtracepoint): the suffix when the pattern names a
// target, else the suffix under any target, as bpftrace does:
// fentry:vfs_read lists fentry:vmlinux:vfs_read.
func (q query) targeted() string {
	if len(q.parts) > 2 {
		return q.suffix
	}
	return "*:" + q.suffix
}

// lister lists the probes of one kernel.
type lister struct {
	env     *kernel.Env
	verbose bool
	pid     int // -p: user probes are that process's
}

// list lists the probes one pattern matches, or the kernel types.
func (l *lister) list(pattern string) ([]string, error) {
	switch {
	case isTypePattern(pattern):
		return l.listTypes(pattern)
	case pattern == "":
		pattern = "*:*"
	case !strings.Contains(pattern, ":"):
		pattern = "*:" + pattern
	}
	// Parts may be quoted, as in a script: uprobe:./server:"net/http.(*conn).serve".
	parts := lang.SplitAttachPoint(pattern)
	provider, suffix := parts[0], strings.Join(parts[1:], ":")
	if suffix == "" {
		suffix = "*"
	}
	q := query{parts: parts, suffix: suffix}

	var selected []*kind
	explicit := provider != "" && !hasWildcard(provider)
	if explicit {
		k := findKind(provider)
		if k == nil {
			if unlisted[provider] {
				return nil, nil
			}
			return nil, fmt.Errorf("unknown probe type %q in %q", provider, pattern)
		}
		selected = append(selected, k)
	} else {
		if provider == "" {
			provider = "*"
		}
		target := q.parts[1]
		userToo := l.pid > 0 || target != "" && !hasWildcard(target) && exists(target)
		for i := range kinds {
			k := &kinds[i]
			if (k.kernel || k.user && userToo) && kernel.Match(provider, k.name) {
				selected = append(selected, k)
			}
		}
	}

	var lines []string
	for _, k := range selected {
		probes, err := k.list(l, q)
		if err != nil {
			if explicit {
				return lines, err
			}
			continue // a kind this kernel lacks, when the user asked for any
		}
		slices.SortFunc(probes, func(a, b probe) int { return strings.Compare(a.name, b.name) })
		probes = slices.CompactFunc(probes, func(a, b probe) bool { return a.name == b.name })
		for _, p := range probes {
			lines = append(lines, k.name+":"+p.name)
			if l.verbose {
				for _, arg := range p.args {
					lines = append(lines, "    "+arg)
				}
			}
		}
	}
	return lines, nil
}

// hasWildcard reports whether a pattern has any of Match's wildcards.
func hasWildcard(s string) bool { return strings.ContainsAny(s, "*?") }

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
