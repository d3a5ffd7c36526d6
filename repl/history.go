package repl

import "strings"

// History is a LineReader that keeps what was typed: the REPL gives it
// each entry and command once it ends, an entry typed over several lines
// as one line (historyLines), so that recalling it brings the whole entry
// back to edit.
type History interface {
	AddHistory(entry string)
}

// remember gives an entry or command that ended to the reader's history.
func (r *REPL) remember(lines []string) {
	if r.history == nil {
		return
	}
	for _, h := range historyLines(lines) {
		r.history.AddHistory(h)
	}
}

// historyLines is what history keeps of an entry typed over lines: one
// line that parses as the lines did, each line's indentation and end
// reduced to one space, each `// comment` written `/* comment */` so
// that it ends where its line did. A preprocessor line (#define,
// #include) ends only at its newline: an entry holding one is kept line
// by line.
func historyLines(lines []string) []string {
	var kept []string
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			kept = append(kept, l)
		}
	}
	if len(kept) <= 1 {
		return kept
	}
	for _, l := range kept {
		if strings.HasPrefix(strings.TrimSpace(l), "#") {
			return kept
		}
	}
	var b strings.Builder
	comment := false // inside a /* comment */ that goes on past its line
	for _, l := range kept {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		comment = joinLine(&b, strings.TrimSpace(l), comment)
	}
	return []string{b.String()}
}

// joinLine writes a line of an entry for historyLines, starting inside a
// block comment when comment is set, and reports whether one is open at
// its end.
func joinLine(b *strings.Builder, l string, comment bool) bool {
	for i := 0; i < len(l); i++ {
		switch {
		case comment:
			if strings.HasPrefix(l[i:], "*/") {
				b.WriteString("*/")
				i++
				comment = false
				continue
			}
			b.WriteByte(l[i])
		case l[i] == '"':
			j := i + 1
			for ; j < len(l) && l[j] != '"'; j++ {
				if l[j] == '\\' {
					j++
				}
			}
			b.WriteString(l[i:min(j+1, len(l))])
			i = j
		case strings.HasPrefix(l[i:], "//"):
			text := strings.TrimSpace(strings.ReplaceAll(l[i+2:], "*/", "* /"))
			b.WriteString("/* " + text + " */")
			return false
		case strings.HasPrefix(l[i:], "/*"):
			b.WriteString("/*")
			i++
			comment = true
		default:
			b.WriteByte(l[i])
		}
	}
	return comment
}
