package dwunwind

import (
	"bufio"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

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
	mu    sync.Mutex        // over procs, which RefreshPid changes while the programs run
	procs map[int][]mapping // the mappings of each target process
}

// mapping is where a process maps a binary.
type mapping struct {
	start, end, off uint64
	key             FileKey
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
	maps, err := pidMappings(pid)
	if err != nil {
		return err
	}
	for _, m := range maps {
		t.add(m.key, fmt.Sprintf("/proc/%d/root%s", pid, m.path))
	}
	if t.procs == nil {
		t.procs = map[int][]mapping{}
	}
	t.procs[pid] = nil
	for _, m := range maps {
		t.procs[pid] = append(t.procs[pid], m.mapping)
	}
	return nil
}

type pathMapping struct {
	mapping
	path string
}

// pidMappings reads the executable mappings of files of a process.
func pidMappings(pid int) ([]pathMapping, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/maps", pid))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var maps []pathMapping
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// start-end perms offset major:minor inode path
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || !strings.Contains(fields[1], "x") || !strings.HasPrefix(fields[5], "/") {
			continue
		}
		start, end, ok1 := strings.Cut(fields[0], "-")
		majMin := strings.SplitN(fields[3], ":", 2)
		if !ok1 || len(majMin) != 2 {
			continue
		}
		nums, ok := parseHex(start, end, fields[2], majMin[0], majMin[1])
		ino, err := strconv.ParseUint(fields[4], 10, 64)
		if !ok || err != nil || ino == 0 {
			continue
		}
		maps = append(maps, pathMapping{
			mapping: mapping{start: nums[0], end: nums[1], off: nums[2],
				key: FileKey{Ino: ino, Dev: kernelDev(uint32(nums[3]), uint32(nums[4]))}},
			path: strings.Join(fields[5:], " "),
		})
	}
	return maps, sc.Err()
}

func parseHex(s ...string) ([]uint64, bool) {
	var out []uint64
	for _, x := range s {
		n, err := strconv.ParseUint(x, 16, 64)
		if err != nil {
			return nil, false
		}
		out = append(out, n)
	}
	return out, true
}

// Target says whether process pid is one whose mappings the tables hold.
func (t *Tables) Target(pid int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.procs[pid]
	return ok
}

// RefreshPid reads process pid's mappings again (a command -c runs, once
// it runs its binary) and stores those of binaries with rows in procs,
// the unwinder's map of processes.
func (t *Tables) RefreshPid(pid int, procs *ebpf.Map) error {
	maps, err := pidMappings(pid)
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.procs == nil {
		t.procs = map[int][]mapping{}
	}
	t.procs[pid] = nil
	for _, m := range maps {
		t.procs[pid] = append(t.procs[pid], m.mapping)
	}
	return t.putProc(procs, pid)
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

// putProc stores the mappings of binaries with rows of process pid; t.mu
// is held.
func (t *Tables) putProc(procs *ebpf.Map, pid int) error {
	with := map[FileKey]bool{}
	for _, f := range t.files {
		with[f.key] = true
	}
	var ms []mapping
	for _, m := range t.procs[pid] {
		if with[m.key] && len(ms) < codegen.DwMaxMappings {
			ms = append(ms, m)
		}
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].start < ms[j].start })
	val := make([]byte, codegen.DwProcValueSize)
	binary.NativeEndian.PutUint64(val, uint64(len(ms)))
	for i, m := range ms {
		e := val[8+i*codegen.DwMapEntrySize:]
		binary.NativeEndian.PutUint64(e, m.start)
		binary.NativeEndian.PutUint64(e[8:], m.end)
		binary.NativeEndian.PutUint64(e[16:], m.start-m.off)
		binary.NativeEndian.PutUint64(e[24:], m.key.Ino)
		binary.NativeEndian.PutUint32(e[32:], m.key.Dev)
	}
	return procs.Put(uint32(pid), val)
}

// Fill stores the tables in the unwinder's maps, which must have room for
// them (NumFiles, NumRows, and codegen.DwMaxProcs processes).
func (t *Tables) Fill(files, rows, procs *ebpf.Map) error {
	if err := t.fillRows(files, rows); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for pid := range t.procs {
		if n++; n > codegen.DwMaxProcs {
			break
		}
		if err := t.putProc(procs, pid); err != nil {
			return err
		}
	}
	return nil
}

func (t *Tables) fillRows(files, rows *ebpf.Map) error {
	next := uint32(0)
	for _, f := range t.files {
		first := next
		keys := make([]uint32, len(f.rows))
		vals := make([]byte, len(f.rows)*codegen.DwRowSize)
		for i, r := range f.rows {
			keys[i] = next
			r.Encode(vals[i*codegen.DwRowSize:])
			next++
		}
		if err := putRows(rows, keys, vals); err != nil {
			return fmt.Errorf("storing the unwind rows of %s: %w", f.path, err)
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

// putRows stores rows in one batch (Linux 5.6+), or one at a time.
func putRows(rows *ebpf.Map, keys []uint32, vals []byte) error {
	if _, err := rows.BatchUpdate(keys, vals, nil); err == nil {
		return nil
	}
	for i, k := range keys {
		if err := rows.Put(k, vals[i*codegen.DwRowSize:(i+1)*codegen.DwRowSize]); err != nil {
			return err
		}
	}
	return nil
}
