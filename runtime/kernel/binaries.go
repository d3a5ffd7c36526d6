package kernel

import (
	"bufio"
	"debug/elf"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Binaries resolves the binary part of a uprobe or usdt attach point to
// the files it names, as bpftrace does:
//
//   - "*", or "" with a process (pid > 0): the executable and the ELF
//     files the process has mapped, each as /proc/PID/root/PATH so that
//     they open from hawk's mount namespace; "*" without a process: those
//     of every running process;
//   - a glob of paths: the ELF executables and shared objects it matches,
//     written as the pattern writes them (./testprogs/prog* gives
//     ./testprogs/prog);
//   - a path, a program in $PATH or a library name: the one file
//     FindBinary finds. A path that a process in another mount namespace
//     sees (a container's) is looked for under /proc/PID/root first.
//
// "" without a process is an error: it names nothing.
func Binaries(name string, pid int) ([]string, error) {
	switch {
	case name == "*" || name == "" && pid > 0:
		if pid > 0 {
			return ProcessBinaries(pid)
		}
		return allProcessBinaries()
	case name == "":
		return nil, fmt.Errorf("no binary: name one (or * for the binaries of every process), or give -p PID for that process's")
	case strings.ContainsAny(name, "*?["):
		return globBinaries(name, pid)
	}
	if p, ok := inMountNamespace(name, pid); ok {
		return []string{p}, nil
	}
	p, err := FindBinary(name)
	if err != nil {
		return nil, err
	}
	return []string{p}, nil
}

// inMountNamespace returns the path under which hawk sees file path of
// process pid, when pid runs in another mount namespace and path is
// absolute there: /proc/PID/root/PATH, if that exists.
func inMountNamespace(path string, pid int) (string, bool) {
	if pid <= 0 || !filepath.IsAbs(path) || !otherMountNamespace(pid) {
		return "", false
	}
	p := procRoot(pid) + path
	if _, err := os.Stat(p); err != nil {
		return "", false
	}
	return p, true
}

// otherMountNamespace reports whether process pid sees other mounts than
// hawk does; false when /proc cannot say.
func otherMountNamespace(pid int) bool {
	self, err1 := os.Stat("/proc/self/ns/mnt")
	them, err2 := os.Stat("/proc/" + strconv.Itoa(pid) + "/ns/mnt")
	return err1 == nil && err2 == nil && !os.SameFile(self, them)
}

// procRoot is the root directory of process pid, as hawk sees it.
func procRoot(pid int) string { return "/proc/" + strconv.Itoa(pid) + "/root" }

// globBinaries lists the ELF executables and shared objects a glob of
// paths matches, looked for in pid's mount namespace when it has its own.
// A match keeps the pattern's leading "./", which filepath.Glob drops.
func globBinaries(pattern string, pid int) ([]string, error) {
	root := ""
	if pid > 0 && filepath.IsAbs(pattern) && otherMountNamespace(pid) {
		root = procRoot(pid)
	}
	matches, err := filepath.Glob(root + pattern)
	if err != nil {
		return nil, fmt.Errorf("bad binary pattern %q: %w", pattern, err)
	}
	var out []string
	for _, m := range matches {
		if !probeableELF(m) {
			continue
		}
		if strings.HasPrefix(pattern, "./") && !strings.HasPrefix(m, "./") {
			m = "./" + m
		}
		out = append(out, m)
	}
	return out, nil
}

// probeableELF reports whether path is an ELF file uprobes can be placed
// in: a shared object, or an executable with execute permission (not an
// object file such as crt1.o).
func probeableELF(path string) bool {
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return false
	}
	f, err := elf.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	return f.Type == elf.ET_DYN || f.Type == elf.ET_EXEC && st.Mode()&0o111 != 0
}

// ProcessBinaries lists the files process pid runs: its executable, then
// the ELF files it has mapped executable, in the order of its address
// space, each once, as /proc/PID/root/PATH.
func ProcessBinaries(pid int) ([]string, error) {
	paths, err := processFiles(pid)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range paths {
		if p = procRoot(pid) + p; probeableELF(p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// processFiles lists the paths, in pid's mount namespace, of its
// executable and of the files it has mapped executable, each once.
func processFiles(pid int) ([]string, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/maps")
	if err != nil {
		return nil, fmt.Errorf("reading the mappings of process %d: %w", pid, err)
	}
	defer f.Close()
	seen := map[string]bool{}
	var out []string
	add := func(path string) {
		if !seen[path] && !strings.HasSuffix(path, " (deleted)") {
			seen[path] = true
			out = append(out, path)
		}
	}
	if exe, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/exe"); err == nil {
		add(exe)
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// start-end perms offset dev inode path
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || len(fields[1]) < 3 || fields[1][2] != 'x' || !strings.HasPrefix(fields[5], "/") {
			continue
		}
		add(strings.Join(fields[5:], " "))
	}
	return out, sc.Err()
}

// allProcessBinaries lists the binaries of every running process, each
// once: by its path for processes in hawk's mount namespace, under
// /proc/PID/root for the others. Processes that end meanwhile, or whose
// mappings hawk may not read, are passed over.
func allProcessBinaries() ([]string, error) {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []string
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid <= 0 {
			continue
		}
		paths, err := processFiles(pid)
		if err != nil {
			continue
		}
		other := otherMountNamespace(pid)
		for _, p := range paths {
			if other {
				p = procRoot(pid) + p
			}
			if !seen[p] {
				seen[p] = true
				if probeableELF(p) {
					out = append(out, p)
				}
			}
		}
	}
	return out, nil
}

// ProcessThreads lists the thread ids of process pid, from
// /proc/PID/task.
func ProcessThreads(pid int) ([]int, error) {
	ents, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/task")
	if err != nil {
		return nil, fmt.Errorf("listing the threads of process %d: %w", pid, err)
	}
	var tids []int
	for _, e := range ents {
		if tid, err := strconv.Atoi(e.Name()); err == nil {
			tids = append(tids, tid)
		}
	}
	return tids, nil
}
