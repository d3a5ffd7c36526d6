// Package progcount counts, from outside a process, the BPF programs it
// holds and their size in instructions as the kernel holds them (xlated:
// after verification and the kernel's rewrites). It reads the process's
// file descriptors the same way for any tracer, so hawk and bpftrace are
// counted alike: each fd in /proc/PID/fd that is a bpf-prog has a
// "prog_id:" line in /proc/PID/fdinfo/FD; each program is opened by id
// and its xlated length, in bytes, divided by 8 (the size of one
// instruction; a 64-bit immediate load counts as two). A program held
// by several fds counts once. Needs CAP_SYS_ADMIN (root).
package progcount

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/cilium/ebpf"
)

// Program is one program a process holds.
type Program struct {
	ID    ebpf.ProgramID
	Name  string
	Insns int // xlated instructions
}

// Programs returns the BPF programs process pid holds, by ascending id.
func Programs(pid int) ([]Program, error) {
	ids, err := ProgramIDs(pid)
	if err != nil {
		return nil, err
	}
	progs := make([]Program, 0, len(ids))
	for _, id := range ids {
		p, err := Open(id)
		if errors.Is(err, os.ErrNotExist) {
			continue // unloaded since its fd was read
		}
		if err != nil {
			return nil, err
		}
		progs = append(progs, p)
	}
	return progs, nil
}

// Total sums the programs' instructions.
func Total(progs []Program) int {
	n := 0
	for _, p := range progs {
		n += p.Insns
	}
	return n
}

// Open reads the name and xlated size of the program with the given id.
func Open(id ebpf.ProgramID) (Program, error) {
	prog, err := ebpf.NewProgramFromID(id)
	if err != nil {
		return Program{}, fmt.Errorf("program %d: %w", id, err)
	}
	defer prog.Close()
	info, err := prog.Info()
	if err != nil {
		return Program{}, fmt.Errorf("program %d: %w", id, err)
	}
	size, err := info.TranslatedSize()
	if err != nil {
		return Program{}, fmt.Errorf("program %d: xlated size: %w", id, err)
	}
	return Program{ID: id, Name: info.Name, Insns: size / 8}, nil
}

// ProgramIDs returns the ids of the BPF programs process pid holds open,
// each once, in ascending order.
func ProgramIDs(pid int) ([]ebpf.ProgramID, error) {
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var ids []ebpf.ProgramID
	for _, e := range entries {
		target, err := os.Readlink(filepath.Join(dir, e.Name()))
		if err != nil || target != "anon_inode:bpf-prog" {
			continue // closed meanwhile, or not a program
		}
		id, err := fdinfoProgID(fmt.Sprintf("/proc/%d/fdinfo/%s", pid, e.Name()))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// fdinfoProgID reads the "prog_id:" line of a bpf-prog fd's fdinfo.
func fdinfoProgID(path string) (ebpf.ProgramID, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return parseProgID(bufio.NewScanner(f), path)
}

// parseProgID finds the "prog_id:" line among fdinfo's lines.
func parseProgID(s *bufio.Scanner, name string) (ebpf.ProgramID, error) {
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "prog_id:"); ok {
			id, err := strconv.ParseUint(strings.TrimSpace(v), 10, 32)
			if err != nil {
				return 0, fmt.Errorf("%s: prog_id %q: %w", name, v, err)
			}
			return ebpf.ProgramID(id), nil
		}
	}
	if err := s.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("%s: a bpf-prog fd without a prog_id line", name)
}

// Holders returns the processes other than this one that hold BPF
// programs, by ascending pid: tracers whose programs may run on the
// syscalls a benchmark times.
func Holders() ([]int, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		if ids, err := ProgramIDs(pid); err == nil && len(ids) > 0 {
			pids = append(pids, pid) // a process that ended meanwhile is not one
		}
	}
	slices.Sort(pids)
	return pids, nil
}
