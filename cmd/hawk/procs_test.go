package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// processGone reports whether pid has ended: it no longer exists, or it
// is a zombie its new parent has not reaped yet.
func processGone(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	// pid (comm) S ...: the state follows the last ')'.
	s := string(b)
	rest := s[strings.LastIndexByte(s, ')')+1:]
	f := strings.Fields(rest)
	return len(f) > 0 && (f[0] == "Z" || f[0] == "X")
}

// waitGone waits up to d for pid to end, and says whether it did.
func waitGone(pid int, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for !processGone(pid) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(2 * time.Millisecond)
	}
	return true
}

// childrenOf lists the processes pid created, from every thread of it.
func childrenOf(pid int) []int {
	var kids []int
	tasks, _ := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/task/*/children")
	for _, t := range tasks {
		b, _ := os.ReadFile(t)
		for _, f := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(f); err == nil {
				kids = append(kids, n)
			}
		}
	}
	return kids
}

// bpfObjects is what BPF objects a process holds, by kernel id, as its
// file descriptors' fdinfo says: programs (those of links too) and maps.
type bpfObjects struct {
	progs map[uint32]bool
	maps  map[uint32]bool
}

// read adds what pid holds now.
func (o *bpfObjects) read(pid int) {
	if o.progs == nil {
		o.progs, o.maps = map[uint32]bool{}, map[uint32]bool{}
	}
	infos, _ := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/fdinfo/*")
	for _, p := range infos {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n") {
			key, value, ok := strings.Cut(line, ":")
			if !ok {
				continue
			}
			n, err := strconv.ParseUint(strings.TrimSpace(value), 10, 32)
			if err != nil {
				continue
			}
			switch key {
			case "prog_id":
				o.progs[uint32(n)] = true
			case "map_id":
				o.maps[uint32(n)] = true
			}
		}
	}
}

// programNames returns the names of the programs among the ids, those
// still in the kernel.
func (o *bpfObjects) programNames() []string {
	var names []string
	for id := range o.progs {
		p, err := ebpf.NewProgramFromID(ebpf.ProgramID(id))
		if err != nil {
			continue
		}
		if info, err := p.Info(); err == nil {
			names = append(names, info.Name)
		}
		p.Close()
	}
	return names
}

// assertReleased fails t unless every program and map in o leaves the
// kernel within a few seconds (the kernel frees them after an RCU grace
// period).
func (o *bpfObjects) assertReleased(t *testing.T) {
	t.Helper()
	var progs []ebpf.ProgramID
	for id := range o.progs {
		progs = append(progs, ebpf.ProgramID(id))
	}
	kerneltest.AssertUnloaded(t, progs)
	var maps []ebpf.MapID
	for id := range o.maps {
		maps = append(maps, ebpf.MapID(id))
	}
	kerneltest.AssertMapsUnloaded(t, maps)
}
