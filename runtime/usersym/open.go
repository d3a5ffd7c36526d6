package usersym

import (
	"fmt"
	"os"
	"syscall"
)

// locate finds the file mapped by m in process pid and returns a path to
// read it at and its identity. It tries, best first:
//
//   - /proc/PID/root/PATH: the file as the process sees it, which differs
//     from PATH for a process in a container;
//   - /proc/PID/map_files/START-END: the very file mapped, even if it was
//     deleted or renamed (needs CAP_SYS_ADMIN);
//   - PATH itself, which is all that is left once the process has exited.
//
// For a deleted file map_files comes first. A candidate whose inode is
// the one /proc/PID/maps gives is taken over one that only exists; a file
// that was deleted is taken only on such a match, since whatever now sits
// at its path is another file.
func locate(pid uint32, m *mapping) (string, fileID, bool) {
	root := fmt.Sprintf("/proc/%d/root%s", pid, m.path)
	mapped := fmt.Sprintf("/proc/%d/map_files/%x-%x", pid, m.start, m.end)
	paths := []string{root, mapped, m.path}
	if m.deleted {
		paths = []string{mapped, root, m.path}
	}
	var first string
	var firstID fileID
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		id := idOf(fi)
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Ino == m.inode {
			return p, id, true
		}
		if first == "" {
			first, firstID = p, id
		}
	}
	if first == "" || m.deleted {
		return "", fileID{}, false
	}
	return first, firstID, true
}
