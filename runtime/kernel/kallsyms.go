package kernel

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Symbols are the kernel's symbols from /proc/kallsyms, sorted by address.
type Symbols struct {
	addrs  []uint64
	names  []string
	byName map[string]uint64
	// mods[i] is the module names[i] is in: an index in modNames, 0 (the
	// empty name) for the kernel image.
	mods     []uint16
	modNames []string
}

var (
	kallsymsOnce sync.Once
	kallsyms     *Symbols
	kallsymsErr  error
)

// ErrKallsymsHidden is KernelSymbols' error when /proc/kallsyms lists
// the kernel's symbols with every address 0, as it does for a process
// without CAP_SYSLOG when kptr_restrict or perf_event_paranoid (above 1)
// hide them: no address can be named.
var ErrKallsymsHidden = errors.New("/proc/kallsyms shows every kernel address as 0: naming kernel addresses needs CAP_SYSLOG")

// KernelSymbols reads /proc/kallsyms once.
func KernelSymbols() (*Symbols, error) {
	kallsymsOnce.Do(func() { kallsyms, kallsymsErr = readKallsyms("/proc/kallsyms") })
	return kallsyms, kallsymsErr
}

func readKallsyms(path string) (*Symbols, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s := &Symbols{byName: map[string]uint64{}}
	type sym struct {
		addr uint64
		name string
		mod  uint16
	}
	var syms []sym
	s.modNames = []string{""}
	modIndex := map[string]uint16{"": 0}
	hidden := 0
	err = eachKallsym(f, func(addr uint64, _, name, module string) {
		if addr == 0 {
			hidden++ // without CAP_SYSLOG every address may read 0
			return
		}
		if _, ok := s.byName[name]; !ok {
			s.byName[name] = addr
		}
		mod, ok := modIndex[module]
		if !ok && len(s.modNames) <= 0xffff {
			mod = uint16(len(s.modNames))
			modIndex[module] = mod
			s.modNames = append(s.modNames, module)
		}
		syms = append(syms, sym{addr, name, mod})
	})
	if err != nil {
		return nil, err
	}
	if len(syms) == 0 && hidden > 0 {
		return nil, ErrKallsymsHidden
	}
	sort.SliceStable(syms, func(i, j int) bool { return syms[i].addr < syms[j].addr })
	for _, x := range syms {
		s.addrs = append(s.addrs, x.addr)
		s.names = append(s.names, x.name)
		s.mods = append(s.mods, x.mod)
	}
	return s, nil
}

// eachKallsym calls fn for every line of a kallsyms file: "ADDRESS TYPE
// NAME [MODULE]"; module is "" for the kernel image.
func eachKallsym(r io.Reader, fn func(addr uint64, typ, name, module string)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 3 {
			continue
		}
		addr, err := strconv.ParseUint(fields[0], 16, 64)
		if err != nil {
			continue
		}
		module := ""
		if len(fields) > 3 {
			module = strings.Trim(fields[3], "[]")
		}
		fn(addr, fields[1], fields[2], module)
	}
	return sc.Err()
}

// Address returns a symbol's address.
func (s *Symbols) Address(name string) (uint64, bool) {
	a, ok := s.byName[name]
	return a, ok
}

// Lookup returns the symbol an address falls in and the offset into it.
func (s *Symbols) Lookup(addr uint64) (string, uint64, bool) {
	i := sort.Search(len(s.addrs), func(i int) bool { return s.addrs[i] > addr }) - 1
	if i < 0 {
		return "", 0, false
	}
	return s.names[i], addr - s.addrs[i], true
}

// Module returns the kernel module whose symbol an address falls in, as
// /proc/kallsyms names it ("ext4"), or "" for the kernel image or an
// address below every symbol.
func (s *Symbols) Module(addr uint64) string {
	i := sort.Search(len(s.addrs), func(i int) bool { return s.addrs[i] > addr }) - 1
	if i < 0 {
		return ""
	}
	return s.modNames[s.mods[i]]
}

// KernelSymbol implements lang.Env: the address of a kernel symbol.
func (e *Env) KernelSymbol(name string) (uint64, error) {
	syms, err := KernelSymbols()
	if err != nil {
		return 0, fmt.Errorf("reading /proc/kallsyms: %w", err)
	}
	addr, ok := syms.Address(name)
	if !ok {
		return 0, fmt.Errorf("the kernel does not list symbol %s in /proc/kallsyms", name)
	}
	return addr, nil
}
