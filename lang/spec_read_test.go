package lang

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// Reading spec.md for the tests that hold it to lang's tables
// (spec_functions_test.go, spec_probes_test.go): its sections, the rows
// of its tables and the commands of its examples.

// specPath is the language reference, read by the tests.
const specPath = "../spec.md"

// readSpecSections returns the lines of spec.md between the markers of
// each section, one slice per section.
func readSpecSections(t *testing.T, sections [][2]string) [][]string {
	t.Helper()
	data, err := os.ReadFile(specPath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	var out [][]string
	for _, s := range sections {
		start, end := -1, -1
		for i, l := range lines {
			if start < 0 && strings.HasPrefix(l, s[0]) {
				start = i
			} else if start >= 0 && strings.HasPrefix(l, s[1]) {
				end = i
				break
			}
		}
		if start < 0 || end < 0 {
			t.Fatalf("spec.md has no section from %q to %q", s[0], s[1])
		}
		out = append(out, lines[start:end])
	}
	return out
}

// specRow is a row of a markdown table: its cells, and the cells of its
// table's header row.
type specRow struct {
	cells, header []string
	line          string
}

// specCells splits a table line into its cells; `\|` is a | inside a
// cell.
func specCells(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	line = strings.TrimSuffix(line, "|")
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line) && line[i+1] == '|':
			cur.WriteByte('|')
			i++
		case line[i] == '|':
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(line[i])
		}
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

// specTableRows returns the body rows of the markdown tables in lines.
func specTableRows(lines []string) []specRow {
	var rows []specRow
	var header []string
	inCode := false
	for i, l := range lines {
		if strings.HasPrefix(l, "```") {
			inCode = !inCode
		}
		if inCode || !strings.HasPrefix(l, "|") {
			header = nil
			continue
		}
		if header == nil {
			// A table starts with its header, then its | --- | line.
			if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "| ---") {
				header = specCells(l)
			}
			continue
		}
		if strings.HasPrefix(l, "| ---") {
			continue
		}
		rows = append(rows, specRow{cells: specCells(l), header: header, line: l})
	}
	return rows
}

// specExamples returns the commands of the examples in lines: the lines
// of code blocks that start with "$ " and run hawk.
func specExamples(lines []string) []string {
	var cmds []string
	inCode := false
	for _, l := range lines {
		if strings.HasPrefix(l, "```") {
			inCode = !inCode
			continue
		}
		if inCode && strings.HasPrefix(l, "$ ") && regexp.MustCompile(`\bhawk\b`).MatchString(l) {
			cmds = append(cmds, l)
		}
	}
	return cmds
}

var codeSpan = regexp.MustCompile("`([^`]+)`")

// specNamed is what the first cell of a row says of name: the code spans
// that name it, `name` or `name(...)`.
func specNamed(cell, name string) []string {
	var spans []string
	for _, m := range codeSpan.FindAllStringSubmatch(cell, -1) {
		if s := m[1]; s == name || strings.HasPrefix(s, name+"(") {
			spans = append(spans, s)
		}
	}
	return spans
}
