package main

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

// longValued are the long spellings of the options that take a value,
// bpftrace v0.26's: --pid PID is -p PID. --format is hawk's own long
// spelling of -f.
var longValued = map[string]byte{
	"pid":    'p',
	"cmd":    'c',
	"output": 'o',
	"format": 'f',
	"debug":  'd',
}

// longFlags are the long spellings of the short options that take no
// value: --list is -l.
var longFlags = map[string]byte{
	"list":     'l',
	"quiet":    'q',
	"verbose":  'v',
	"warnings": 'k',
}

// maxPid is the largest pid a 64-bit kernel hands out (PID_MAX_LIMIT),
// which bpftrace checks -p against.
const maxPid = 1 << 22

// parsePid reads -p's value: a decimal process id from 1 to maxPid.
func parsePid(value string) (int, error) {
	if value == "" || value[0] < '0' || value[0] > '9' {
		return 0, fmt.Errorf("-p needs a process id: %q is not a number", value)
	}
	end := strings.IndexFunc(value, func(r rune) bool { return r < '0' || r > '9' })
	if end >= 0 {
		return 0, fmt.Errorf("-p needs a process id: %q has %q after its number", value, value[end:])
	}
	n, err := strconv.ParseUint(value, 10, 64)
	if err != nil || n > maxPid {
		return 0, fmt.Errorf("-p %s: pid out of range (the largest is %d)", value, maxPid)
	}
	if n == 0 {
		return 0, fmt.Errorf("-p needs a process id, not 0")
	}
	return int(n), nil
}

// debugStages are the stages -d prints; all is every one of them.
var debugStages = []string{"ast", "asm"}

// addDebugStages adds the comma-separated stages of one -d to o.debug,
// which keeps them comma-separated in the order of debugStages.
func (o *options) addDebugStages(value string) error {
	for _, s := range strings.Split(value, ",") {
		s = strings.TrimSpace(s)
		switch {
		case s == "all":
			for _, st := range debugStages {
				o.addDebugStage(st)
			}
		case slices.Contains(debugStages, s):
			o.addDebugStage(s)
		default:
			return fmt.Errorf("unknown debug stage %q (stages: %s, all)", s, strings.Join(debugStages, ", "))
		}
	}
	return nil
}

func (o *options) addDebugStage(stage string) {
	var have []string
	for _, st := range debugStages {
		if st == stage || o.wants(st) {
			have = append(have, st)
		}
	}
	o.debug = strings.Join(have, ",")
}

// wants reports whether -d asked for stage.
func (o *options) wants(stage string) bool {
	return slices.Contains(strings.Split(o.debug, ","), stage)
}

// noFeatures are the kernel features --no-feature may turn off, as
// bpftrace names them.
var noFeatures = []string{"kprobe_multi", "kprobe_session", "uprobe_multi"}

// addNoFeatures adds the comma-separated features of one --no-feature.
func (o *options) addNoFeatures(value string) error {
	for _, f := range strings.Split(value, ",") {
		if !slices.Contains(noFeatures, f) {
			return fmt.Errorf("--no-feature: unknown feature %q (features: %s)", f, strings.Join(noFeatures, ", "))
		}
		if !slices.Contains(o.noFeature, f) {
			o.noFeature = append(o.noFeature, f)
		}
	}
	return nil
}

// listArgs reads what follows -l: nothing (every probe), a pattern, or
// the program to list the probes of, given with -e or as a FILE that
// exists. A FILE that does not exist is a pattern, as in bpftrace
// (listWarning).
func (o *options) listArgs(rest []string) error {
	switch {
	case o.hasProg && len(rest) > 0:
		return &usageError{msg: "-l -e 'PROGRAM' lists the program's probes: it takes no pattern"}
	case len(rest) > 1:
		return &usageError{msg: "-l takes one pattern or one file"}
	case len(rest) == 1 && (rest[0] == "-" || isFile(rest[0])):
		o.file = rest[0]
	case len(rest) == 1:
		o.pattern = rest[0]
	}
	return nil
}

// listWarning is the warning -l gives for a pattern that looks like the
// name of a file that does not exist ("tool.bt"), or "".
func listWarning(pattern string) string {
	if strings.Contains(pattern, ".") && !strings.ContainsAny(pattern, ":*") {
		return fmt.Sprintf("hawk: warning: %q looks like a file name, but no such file exists: listing the probes that match it as a pattern", pattern)
	}
	return ""
}

func isFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}
