package main

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// specSection returns the lines of ../../spec.md from the line starting
// with from to the one starting with to, or to the end when to is "".
func specSection(t *testing.T, from, to string) []string {
	t.Helper()
	data, err := os.ReadFile("../../spec.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	start := -1
	for i, l := range lines {
		switch {
		case start < 0 && strings.HasPrefix(l, from):
			start = i
		case start >= 0 && to != "" && strings.HasPrefix(l, to):
			return lines[start:i]
		}
	}
	if start >= 0 && to == "" {
		return lines[start:]
	}
	t.Fatalf("spec.md has no section from %q to %q", from, to)
	return nil
}

// usagePart returns the lines of the usage text after the line header
// ("OPTIONS:") up to the next blank line that is followed by a line
// without indentation.
func usagePart(header string) []string {
	_, rest, _ := strings.Cut(usage(), "\n"+header+"\n")
	var lines []string
	for _, l := range strings.Split(rest, "\n") {
		if l != "" && !strings.HasPrefix(l, " ") {
			break
		}
		lines = append(lines, l)
	}
	return lines
}

// usageEnv is an environment variable the usage names.
var usageEnv = regexp.MustCompile(`\b(BPFTRACE_[A-Z_]+|HAWK_[A-Z_]+)\b`)

// usageOptions lists every spelling of the options of hawk's option
// table that --help shows, sorted.
func usageOptions() []string {
	var opts []string
	for _, o := range optionTable {
		if o.hidden {
			continue
		}
		if o.short != 0 {
			opts = append(opts, "-"+string(o.short))
		}
		if o.long != "" {
			opts = append(opts, "--"+o.long)
		}
	}
	sort.Strings(opts)
	return opts
}

// TestSpecOptions: every spelling of every option of hawk --help has a row of spec.md §12's table of options, which names it
// at the start of a code span of its first cell; every environment
// variable the usage names is documented in §7 (a config variable's as
// its row), §12 or §13.
func TestSpecOptions(t *testing.T) {
	opts := usageOptions()
	if len(opts) < 20 {
		t.Fatalf("read %d options from the usage: %q", len(opts), opts)
	}
	var firstCells []string
	for _, l := range specSection(t, "## 12. ", "### Signals") {
		if cell, ok := strings.CutPrefix(l, "| `"); ok {
			first, _, _ := strings.Cut(cell, " | ")
			firstCells = append(firstCells, "`"+first)
		}
	}
	span := regexp.MustCompile("`([^`]+)`")
	for _, o := range opts {
		found := false
		for _, cell := range firstCells {
			for _, m := range span.FindAllStringSubmatch(cell, -1) {
				if m[1] == o || strings.HasPrefix(m[1], o+" ") || strings.HasPrefix(m[1], o+"=") {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("%s: hawk --help lists it; no row of spec.md §12's table of options names it", o)
		}
	}
	config := strings.Join(specSection(t, "## 7. ", "## 8. "), "\n")
	text := config + strings.Join(specSection(t, "## 12. ", ""), "\n")
	env := usagePart("ENVIRONMENT:")
	if len(env) == 0 {
		t.Fatal("the usage has no ENVIRONMENT: part to read the variables from")
	}
	for _, l := range env {
		for _, m := range usageEnv.FindAllStringSubmatch(l, -1) {
			name := m[1]
			// BPFTRACE_X sets the config variable x, a row of §7's table
			// (BPFTRACE_NAME is the usage's pattern of them).
			variable, isConfig := strings.CutPrefix(name, "BPFTRACE_")
			if strings.Contains(text, name) || isConfig && strings.Contains(config, "| `"+strings.ToLower(variable)+"` |") {
				continue
			}
			if name != "BPFTRACE_NAME" {
				t.Errorf("%s: hawk --help names it; spec.md §7, §12 and §13 do not", name)
			}
		}
	}
}
