package repl

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/listing"
)

// maxCompletions bounds the completions offered at once: a kernel has
// tens of thousands of functions.
const maxCompletions = 500

// wordStops end a word going left from the cursor.
const wordStops = " \t{}(),;=!<>+*%&|^~?[]\""

// Complete returns the completions of the word before pos in line, in the
// form liner's word completer takes: the line before the word, the
// words that may replace it, and the line after the cursor. It completes
// commands, probe kinds and attach points (tracepoints from tracefs,
// kernel and user functions, ...), builtins, functions, map names and
// file names, each where it may come.
func (r *REPL) Complete(line string, pos int) (head string, completions []string, tail string) {
	if pos > len(line) {
		pos = len(line)
	}
	before, tail := line[:pos], line[pos:]
	if len(r.pending) == 0 && strings.HasPrefix(strings.TrimSpace(before), ".") {
		return r.completeCommand(before, tail)
	}
	start := strings.LastIndexAny(before, wordStops) + 1
	head, word := before[:start], before[start:]
	text := strings.Join(append(slices.Clone(r.pending), before), "\n")
	depth, _ := brackets(text)
	stmts := !looksLikeProgram(text)
	if depth == 0 && !stmts && strings.HasPrefix(word, "/") && inPredicate(text) {
		head, word = head+"/", word[1:] // the predicate's first word
	}
	inCode := depth > 0 || !stmts && inPredicate(text) // where a block's code goes
	expr := inCode || stmts                            // where an expression may be
	typed := text[:len(text)-len(word)]
	maps := r.mapNames(typed)
	var c []string
	switch {
	case expr && (strings.HasSuffix(head, "->") || strings.Contains(word, ".")):
		if i := strings.LastIndex(word, "."); i >= 0 {
			head, word = head+word[:i+1], word[i+1:]
		}
		c = prefixed(r.members(text[:len(text)-len(word)], stmts), word)
	case expr && r.showSignature(before, word):
	case strings.HasPrefix(word, "@"):
		c = prefixed(maps, word)
	case expr && strings.HasPrefix(word, "$"):
		c = prefixed(variables(typed), word)
	case inCode:
		c = codeWords(word, maps)
	case strings.Contains(word, ":"):
		c = r.attachPoints(word)
	default:
		c = append(providers(word), codeWords(word, maps)...)
	}
	if len(c) > maxCompletions {
		c = c[:maxCompletions]
	}
	return head, c, tail
}

// completeCommand completes a command's name, then its argument.
func (r *REPL) completeCommand(before, tail string) (string, []string, string) {
	i := strings.IndexAny(before, " \t")
	if i < 0 {
		var names []string
		for _, c := range commands {
			names = append(names, "."+c.name+" ")
		}
		return "", prefixed(names, strings.TrimSpace(before)), tail
	}
	name := strings.TrimPrefix(strings.TrimSpace(before[:i]), ".")
	c, err := findCommand(name)
	if err != nil {
		return before, nil, tail
	}
	arg := strings.TrimLeft(before[i:], " \t")
	head := before[:len(before)-len(arg)]
	switch c.name {
	case "load", "save":
		return head, files(arg), tail
	case "watch":
		h, c := watchCompletions(r.maps, arg)
		return head + h, c, tail
	case "help":
		return head, prefixed(helpNames(), arg), tail
	case "list":
		if strings.Contains(arg, ":") {
			return head, r.attachPoints(arg), tail
		}
		return head, providers(arg), tail
	case "detach":
		words := []string{"all"}
		for _, p := range r.attached() {
			words = append(words, strconv.Itoa(p.num))
		}
		return head, prefixed(words, arg), tail
	}
	return before, nil, tail
}

// prefixed returns the words that begin with prefix, sorted.
func prefixed(words []string, prefix string) []string {
	var out []string
	for _, w := range words {
		if strings.HasPrefix(w, prefix) {
			out = append(out, w)
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// providers completes the first part of an attach point: BEGIN, END, or a
// provider and its ':'.
func providers(word string) []string {
	var names []string
	for _, name := range lang.ProviderNames() {
		if name == "BEGIN" || name == "END" {
			names = append(names, name)
		} else if len(name) > 2 { // aliases are shorter to type than to complete
			names = append(names, name+":")
		}
	}
	return prefixed(names, word)
}

// keywords begin statements.
var keywords = []string{"if", "else", "while", "for", "unroll", "let", "return", "break", "continue"}

// codeWords completes what a block may hold: builtins, functions (with
// their '('), keywords and maps.
func codeWords(word string, maps []string) []string {
	words := append(slices.Clone(keywords), maps...)
	builtin := map[string]bool{}
	for _, b := range lang.Builtins() {
		words = append(words, b.String())
		builtin[b.String()] = true
	}
	for _, f := range lang.Funcs() {
		// comm(pid) is offered as the builtin comm.
		if f.String() != "" && !builtin[f.String()] {
			words = append(words, f.String()+"(")
		}
	}
	return prefixed(words, word)
}

// attachPoints completes an attach point from what the kernel and the
// files offer, a part at a time: `tracepoint:sysc` becomes
// `tracepoint:syscalls:`.
func (r *REPL) attachPoints(word string) []string {
	provider, rest, _ := strings.Cut(word, ":")
	kind := lang.ProviderKind(provider)
	if kind == lang.ProbeInvalid {
		return nil
	}
	if (kind == lang.ProbeUprobe || kind == lang.ProbeUretprobe || kind == lang.ProbeUsdt) && !strings.Contains(rest, ":") {
		var out []string
		for _, f := range files(rest) {
			if !strings.HasSuffix(f, "/") {
				f += ":"
			}
			out = append(out, provider+":"+f)
		}
		return out
	}
	canonical := kind.String()
	pattern := canonical + ":" + rest + "*"
	if kind == lang.ProbeTracepoint && !strings.Contains(rest, ":") {
		pattern += ":*"
	}
	lines, _ := listing.Lines(pattern, listing.Options{Env: r.kenv})
	var out []string
	for _, l := range lines {
		rest := strings.TrimPrefix(l, canonical+":")
		l = provider + ":" + rest
		if i := strings.LastIndex(word, ":"); !strings.HasPrefix(l, word) && i >= 0 {
			// Listed with what the word's parts name: a kernel function
			// with its module (vmlinux:sched_switch), a uprobe's library
			// (libc) as its path.
			l = word[:i+1] + l[strings.LastIndex(l, ":")+1:]
		}
		if !strings.HasPrefix(l, word) {
			continue
		}
		// One part at a time: cut after the next ':'.
		if i := strings.Index(l[len(word):], ":"); i >= 0 {
			l = l[:len(word)+i+1]
		}
		out = append(out, l)
	}
	return prefixed(out, word)
}

// files completes a file name.
func files(prefix string) []string {
	matches, _ := filepath.Glob(globEscape(prefix) + "*")
	var out []string
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil && fi.IsDir() {
			m += "/"
		}
		out = append(out, m)
	}
	return out
}

// globEscape quotes the characters filepath.Glob reads as patterns.
func globEscape(s string) string {
	var b strings.Builder
	for _, c := range s {
		if strings.ContainsRune(`*?[\`, c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}
