package usersym

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
)

// deletedSuffix is what /proc/PID/maps appends to the path of a file that
// was removed after it was mapped.
const deletedSuffix = " (deleted)"

// mapping is one line of /proc/PID/maps.
type mapping struct {
	start, end uint64 // [start, end) in the process
	offset     uint64 // file offset mapped at start
	inode      uint64 // 0 for anonymous memory
	exec       bool
	path       string // "" when anonymous; "[vdso]" and the like kept as is
	deleted    bool   // the path had deletedSuffix, now removed

	// bin is the mapped file's symbols once looked for (nil if the file
	// could not be read); tried says whether it was.
	bin   *binary
	tried bool
}

// file reports whether m maps a file (rather than anonymous memory or a
// kernel-provided region such as [vdso]).
func (m *mapping) file() bool { return strings.HasPrefix(m.path, "/") }

// readMaps reads /proc/PID/maps.
func readMaps(pid uint32) ([]mapping, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/maps", pid))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseMaps(f)
}

// parseMaps parses the text of /proc/PID/maps, whose lines are sorted by
// address. Lines it cannot parse are skipped.
func parseMaps(r io.Reader) ([]mapping, error) {
	var ms []mapping
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for sc.Scan() {
		if m, ok := parseMapsLine(sc.Text()); ok {
			ms = append(ms, m)
		}
	}
	return ms, sc.Err()
}

// parseMapsLine parses one line:
//
//	start-end perms offset major:minor inode [path]
//
// The path is the rest of the line and may contain spaces.
func parseMapsLine(line string) (mapping, bool) {
	var m mapping
	rest := line
	field := func() string {
		rest = strings.TrimLeft(rest, " ")
		i := strings.IndexByte(rest, ' ')
		if i < 0 {
			f := rest
			rest = ""
			return f
		}
		f := rest[:i]
		rest = rest[i:]
		return f
	}
	span, perms, off, _, inode := field(), field(), field(), field(), field()
	lo, hi, ok := strings.Cut(span, "-")
	if !ok || len(perms) < 4 {
		return m, false
	}
	var errs [4]error
	m.start, errs[0] = strconv.ParseUint(lo, 16, 64)
	m.end, errs[1] = strconv.ParseUint(hi, 16, 64)
	m.offset, errs[2] = strconv.ParseUint(off, 16, 64)
	m.inode, errs[3] = strconv.ParseUint(inode, 10, 64)
	for _, err := range errs {
		if err != nil {
			return m, false
		}
	}
	m.exec = perms[2] == 'x'
	m.path = strings.TrimLeft(rest, " ")
	if p, ok := strings.CutSuffix(m.path, deletedSuffix); ok && m.file() {
		m.path, m.deleted = p, true
	}
	return m, m.start < m.end
}

// findMapping returns the index of the mapping of ms (sorted by start)
// that holds addr, or -1.
func findMapping(ms []mapping, addr uint64) int {
	i := sort.Search(len(ms), func(i int) bool { return ms[i].start > addr }) - 1
	if i < 0 || addr >= ms[i].end {
		return -1
	}
	return i
}

// FileOffset finds the file mapped at addr in process pid and addr's
// offset in that file, from /proc/PID/maps.
func FileOffset(pid uint32, addr uint64) (path string, offset uint64, err error) {
	ms, err := readMaps(pid)
	if err != nil {
		return "", 0, err
	}
	i := findMapping(ms, addr)
	if i < 0 || !ms[i].file() {
		return "", 0, fmt.Errorf("no file is mapped at %#x in process %d", addr, pid)
	}
	return ms[i].path, addr - ms[i].start + ms[i].offset, nil
}

// keepBinaries copies into ms, new mappings of a process, the binaries
// already found for the same mappings in old, so a re-read of the maps
// does not look for every file again.
func keepBinaries(old, ms []mapping) {
	for i := range ms {
		m := &ms[i]
		j := findMapping(old, m.start)
		if j < 0 {
			continue
		}
		o := &old[j]
		if o.start == m.start && o.end == m.end && o.offset == m.offset && o.inode == m.inode && o.path == m.path {
			m.bin, m.tried = o.bin, o.tried
		}
	}
}
