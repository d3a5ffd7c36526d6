package runtime

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/hawktrace/hawk/runtime/kernel"
)

// cgroupRoot is a mounted cgroup hierarchy: its name ("unified" for
// cgroup v2, the directory's name for v1) and where it is mounted.
type cgroupRoot struct{ name, dir string }

// cgroupRoots lists the cgroup hierarchies of /proc/mounts: v2 first, then
// v1 by name, as bpftrace orders them.
func cgroupRoots() []cgroupRoot {
	f, err := os.Open("/proc/mounts")
	if err != nil {
		return nil
	}
	defer f.Close()
	var v2, v1 []cgroupRoot
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 3 {
			continue
		}
		if st, err := os.Stat(fields[1]); err != nil || !st.IsDir() {
			continue
		}
		switch fields[2] {
		case "cgroup2":
			v2 = append(v2, cgroupRoot{"unified", fields[1]})
		case "cgroup":
			v1 = append(v1, cgroupRoot{filepath.Base(fields[1]), fields[1]})
		}
	}
	sort.Slice(v1, func(i, j int) bool { return v1[i].name < v1[j].name })
	return append(v2, v1...)
}

// cgroupPaths spells the cgroup id as bpftrace's cgroup_path() does: the
// path of the directory whose inode is the id, in each hierarchy whose
// name the filter matches, as "name:/path", joined by commas.
func cgroupPaths(id uint64, filter string) string {
	var parts []string
	for _, r := range cgroupRoots() {
		if !kernel.Match(filter, r.name) {
			continue
		}
		if p := cgroupPathIn(id, r.dir); p != "" {
			parts = append(parts, r.name+":"+p)
		}
	}
	return strings.Join(parts, ",")
}

// cgroupPathIn finds the directory under root whose inode is id: its path
// from root, "/" for root itself, or "" when there is none.
func cgroupPathIn(id uint64, root string) string {
	if inode(root) == id {
		return "/"
	}
	found := ""
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil // files, and directories that cannot be read
		}
		if inode(path) == id {
			found = strings.TrimPrefix(path, root)
			return fs.SkipAll
		}
		return nil
	})
	return found
}

// inode is the inode number of path, or 0.
func inode(path string) uint64 {
	var st syscall.Stat_t
	if syscall.Stat(path, &st) != nil {
		return 0
	}
	return st.Ino
}
