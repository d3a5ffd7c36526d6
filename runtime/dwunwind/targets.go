package dwunwind

import (
	"bufio"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"

	"github.com/hawktrace/hawk/codegen"
)

// FileKey is how the unwinder knows a binary: the inode number and the
// device (the kernel's encoding, major<<20 | minor) of its file.
type FileKey struct {
	Ino uint64
	Dev uint32
}

// kernelDev encodes a device as the kernel's struct super_block keeps it
// (MKDEV).
func kernelDev(major, minor uint32) uint32 { return major<<20 | minor }

// Tables are the rows of the binaries the target processes map.
type Tables struct {
	files []fileRows
	seen  map[FileKey]bool
}

type fileRows struct {
	key  FileKey
	path string
	rows []Row
}

// NumFiles is the number of binaries with rows.
func (t *Tables) NumFiles() int { return len(t.files) }

// NumRows is the number of rows of every binary.
func (t *Tables) NumRows() int {
	n := 0
	for _, f := range t.files {
		n += len(f.rows)
	}
	return n
}

// add compiles the rows of the file at path, known by key, once.
func (t *Tables) add(key FileKey, path string) {
	if t.seen == nil {
		t.seen = map[FileKey]bool{}
	}
	if t.seen[key] {
		return
	}
	t.seen[key] = true
	rows, err := FileRows(path)
	if err != nil || len(rows) == 0 {
		return // no unwind data: its frames stop the walk
	}
	t.files = append(t.files, fileRows{key: key, path: path, rows: rows})
}

// AddPid adds the binaries process pid maps executable, as its
// /proc/PID/maps lists them (with the device and inode the kernel sees),
// opened through the process's root.
func (t *Tables) AddPid(pid int) error {
	f, err := os.Open(fmt.Sprintf("/proc/%d/maps", pid))
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// start-end perms offset major:minor inode path
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || !strings.Contains(fields[1], "x") || !strings.HasPrefix(fields[5], "/") {
			continue
		}
		majMin := strings.SplitN(fields[3], ":", 2)
		ino, err1 := strconv.ParseUint(fields[4], 10, 64)
		if len(majMin) != 2 || err1 != nil || ino == 0 {
			continue
		}
		major, err2 := strconv.ParseUint(majMin[0], 16, 32)
		minor, err3 := strconv.ParseUint(majMin[1], 16, 32)
		if err2 != nil || err3 != nil {
			continue
		}
		path := strings.Join(fields[5:], " ")
		t.add(FileKey{Ino: ino, Dev: kernelDev(uint32(major), uint32(minor))}, fmt.Sprintf("/proc/%d/root%s", pid, path))
	}
	return sc.Err()
}

// AddBinary adds a program's binary before it runs (-c), with those it
// will map: its interpreter (the dynamic loader) and the shared libraries
// it needs, found as the loader finds them in the usual places.
func (t *Tables) AddBinary(path string) error {
	return t.addWithDeps(path, map[string]bool{})
}

func (t *Tables) addWithDeps(path string, visited map[string]bool) error {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	if visited[real] {
		return nil
	}
	visited[real] = true
	var st unix.Stat_t
	if err := unix.Stat(real, &st); err != nil {
		return err
	}
	t.add(FileKey{Ino: st.Ino, Dev: kernelDev(unix.Major(st.Dev), unix.Minor(st.Dev))}, real)
	f, err := elf.Open(real)
	if err != nil {
		return nil // a script, say: nothing it maps is known
	}
	defer f.Close()
	var deps []string
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			if b, err := io.ReadAll(p.Open()); err == nil {
				deps = append(deps, strings.TrimRight(string(b), "\x00"))
			}
		}
	}
	libs, _ := f.ImportedLibraries()
	dirs := searchDirs(f, filepath.Dir(real))
	for _, lib := range libs {
		for _, dir := range dirs {
			if cand := filepath.Join(dir, lib); fileExists(cand) {
				deps = append(deps, cand)
				break
			}
		}
	}
	for _, d := range deps {
		t.addWithDeps(d, visited)
	}
	return nil
}

// searchDirs are where the loader looks for a binary's libraries: its
// RPATH and RUNPATH, then the system's directories (ld.so.conf's, and
// the defaults).
func searchDirs(f *elf.File, origin string) []string {
	var dirs []string
	for _, tag := range []elf.DynTag{elf.DT_RPATH, elf.DT_RUNPATH} {
		vals, _ := f.DynString(tag)
		for _, v := range vals {
			for _, d := range strings.Split(v, ":") {
				d = strings.ReplaceAll(strings.ReplaceAll(d, "${ORIGIN}", origin), "$ORIGIN", origin)
				if d != "" {
					dirs = append(dirs, d)
				}
			}
		}
	}
	dirs = append(dirs, ldConfDirs("/etc/ld.so.conf", 0)...)
	return append(dirs, "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib")
}

// ldConfDirs reads the directories of an ld.so.conf, following its
// include lines.
func ldConfDirs(path string, depth int) []string {
	data, err := os.ReadFile(path)
	if err != nil || depth > 4 {
		return nil
	}
	var dirs []string
	for _, line := range strings.Split(string(data), "\n") {
		line, _, _ = strings.Cut(line, "#")
		line = strings.TrimSpace(line)
		if pattern, ok := strings.CutPrefix(line, "include "); ok {
			matches, _ := filepath.Glob(strings.TrimSpace(pattern))
			for _, m := range matches {
				dirs = append(dirs, ldConfDirs(m, depth+1)...)
			}
		} else if strings.HasPrefix(line, "/") {
			dirs = append(dirs, line)
		}
	}
	return dirs
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// Fill stores the tables in the unwinder's maps, which must have room for
// them (NumFiles, NumRows).
func (t *Tables) Fill(files, rows *ebpf.Map) error {
	row := make([]byte, codegen.DwRowSize)
	next := uint32(0)
	for _, f := range t.files {
		first := next
		for _, r := range f.rows {
			r.Encode(row)
			if err := rows.Put(next, row); err != nil {
				return fmt.Errorf("storing the unwind rows of %s: %w", f.path, err)
			}
			next++
		}
		key := make([]byte, codegen.DwFileKeySize)
		binary.NativeEndian.PutUint64(key, f.key.Ino)
		binary.NativeEndian.PutUint32(key[8:], f.key.Dev)
		val := make([]byte, codegen.DwFileValueSize)
		binary.NativeEndian.PutUint32(val, first)
		binary.NativeEndian.PutUint32(val[4:], uint32(len(f.rows)))
		if err := files.Put(key, val); err != nil {
			return fmt.Errorf("storing the unwind table of %s: %w", f.path, err)
		}
	}
	return nil
}
