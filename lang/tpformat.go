package lang

import (
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
)

// TracepointFormat is the record layout of one tracepoint, from its format
// file in tracefs (events/CATEGORY/NAME/format).
type TracepointFormat struct {
	Category, Name string
	ID             int
	Fields         []TracepointField // without the common_ header fields
	// Retval is the traced function's return value, for fexit probes; nil
	// for other probes and for functions that return nothing.
	Retval *TracepointField
}

// TracepointField is one field of a tracepoint record.
type TracepointField struct {
	Name    string
	CType   string // as the format file spells it
	Decl    string // the whole declaration, as the format file writes it
	Offset  int
	Size    int
	Type    *Type // nil when hawk cannot represent the field
	DataLoc bool  // a __data_loc field: a u32 holding (length << 16 | offset)
}

// Field returns the field called name, or nil.
func (f *TracepointFormat) Field(name string) *TracepointField {
	for i := range f.Fields {
		if f.Fields[i].Name == name {
			return &f.Fields[i]
		}
	}
	return nil
}

// ParseTracepointFormat reads the text of a tracepoint format file. User
// pointers are recognised for the syscalls category, as bpftrace does.
func ParseTracepointFormat(category, name, text string) (*TracepointFormat, error) {
	tf := &TracepointFormat{Category: category, Name: name}
	space := SpaceKernel
	if category == "syscalls" {
		space = SpaceUser
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if id, ok := strings.CutPrefix(line, "ID:"); ok {
			tf.ID, _ = strconv.Atoi(strings.TrimSpace(id))
			continue
		}
		if !strings.HasPrefix(line, "field:") {
			continue
		}
		f, err := parseFormatField(line, space)
		if err != nil {
			return nil, fmt.Errorf("tracepoint %s:%s: %v", category, name, err)
		}
		if !strings.HasPrefix(f.Name, "common_") {
			tf.Fields = append(tf.Fields, f)
		}
	}
	return tf, nil
}

// section returns what follows title up to the next ';'.
func section(line, title string) (string, bool) {
	i := strings.Index(line, title)
	if i < 0 {
		return "", false
	}
	rest := line[i+len(title):]
	j := strings.IndexByte(rest, ';')
	if j < 0 {
		return "", false
	}
	return strings.TrimSpace(rest[:j]), true
}

// parseFormatField parses `field:TYPE NAME; offset:N; size:N; signed:N;`.
func parseFormatField(line string, space AddrSpace) (TracepointField, error) {
	decl, ok1 := section(line, "field:")
	offset, ok2 := section(line, "offset:")
	size, ok3 := section(line, "size:")
	signed, ok4 := section(line, "signed:")
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return TracepointField{}, fmt.Errorf("cannot parse %q", line)
	}
	i := strings.LastIndexAny(decl, " \t*")
	if i < 0 {
		return TracepointField{}, fmt.Errorf("cannot parse field %q", decl)
	}
	f := TracepointField{Name: decl[i+1:], CType: strings.TrimSpace(decl[:i+1]), Decl: decl}
	var err error
	if f.Offset, err = strconv.Atoi(offset); err != nil {
		return f, fmt.Errorf("bad offset in %q", line)
	}
	if f.Size, err = strconv.Atoi(size); err != nil {
		return f, fmt.Errorf("bad size in %q", line)
	}
	arrayLen := -1
	if j := strings.IndexByte(f.Name, '['); j >= 0 {
		arrayLen, _ = strconv.Atoi(strings.TrimSuffix(f.Name[j+1:], "]"))
		f.Name = f.Name[:j]
	}
	base := strings.TrimSpace(strings.TrimPrefix(f.CType, "const "))
	switch {
	case strings.HasPrefix(f.CType, "__data_loc"):
		// The record holds where the data is; reading the field yields a
		// pointer to it inside the record.
		f.DataLoc = true
		f.Type = PointerType(Int8, SpaceKernel)
	case strings.HasSuffix(f.CType, "*"):
		f.Type = formatPointer(base, space)
	case arrayLen >= 0:
		if base == "char" {
			f.Type = StringType(f.Size)
		}
	case f.Size == 1 || f.Size == 2 || f.Size == 4 || f.Size == 8:
		if base == "bool" || base == "_Bool" {
			f.Type = Bool
		} else {
			f.Type = IntType(f.Size, signed == "1")
		}
	}
	return f, nil
}

// formatPointer is the type of a pointer field declared as base (const
// removed from its front): char pointers point to int8, other pointers to
// uint8, and each further star is one more level of pointer, so the
// `const char *const * argv` of execve is a pointer to pointers to chars.
// Every level is in the record's address space.
func formatPointer(base string, space AddrSpace) *Type {
	stars, char := 0, false
	for i, w := range strings.Fields(strings.ReplaceAll(base, "*", " * ")) {
		switch {
		case w == "*":
			stars++
		case i == 0 && w == "char":
			char = true
		}
	}
	t := Uint8
	if char {
		t = Int8
	}
	for range stars {
		t = PointerType(t, space)
	}
	return t
}

// HasWildcard reports whether an attach point part is a glob pattern.
func HasWildcard(s string) bool { return strings.ContainsAny(s, "*?[") }

// GlobTracepoints lists the tracepoints matching category:name, where both
// may be glob patterns, in a tree laid out as tracefs's events directory:
// CATEGORY/NAME. isEvent tells the entries that are tracepoints from other
// files (tracefs's enable and filter). The result is sorted, as
// "category:name".
func GlobTracepoints(fsys fs.FS, category, name string, isEvent func(fs.DirEntry) bool) ([]string, error) {
	cats, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, c := range cats {
		if !c.IsDir() {
			continue
		}
		if ok, err := path.Match(category, c.Name()); err != nil {
			return nil, fmt.Errorf("bad pattern %q: %w", category, err)
		} else if !ok {
			continue
		}
		events, err := fs.ReadDir(fsys, c.Name())
		if err != nil {
			continue // a category that went away, or one we may not read
		}
		for _, e := range events {
			if !isEvent(e) {
				continue
			}
			if ok, err := path.Match(name, e.Name()); err != nil {
				return nil, fmt.Errorf("bad pattern %q: %w", name, err)
			} else if ok {
				out = append(out, c.Name()+":"+e.Name())
			}
		}
	}
	return out, nil
}
