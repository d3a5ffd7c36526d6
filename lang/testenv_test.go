package lang

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// testEnv reads tracepoint formats from internal/testenv/formats/CATEGORY/NAME,
// copied from a real kernel's tracefs.
type testEnv struct{}

func (testEnv) TracepointFormat(category, name string) (*TracepointFormat, error) {
	text, err := os.ReadFile(filepath.Join("..", "internal", "testenv", "formats", category, name))
	if errors.Is(err, os.ErrNotExist) {
		return nil, errors.New("tracepoint " + category + ":" + name + " not found")
	}
	if err != nil {
		return nil, err
	}
	return ParseTracepointFormat(category, name, string(text))
}

func (testEnv) Binaries(name string) ([]string, error) {
	if name == "" {
		// As kernel.Binaries answers without -p.
		return nil, errors.New("no binary: name one (or * for the binaries of every process), or give -p PID for that process's")
	}
	return []string{name}, nil
}

func (testEnv) BinaryFile(string) (BinaryFile, error) { return BinaryFile{}, nil }

func (testEnv) UserSymbol(binary, name string) (uint64, uint64, error) {
	if name == "counter" {
		return 0x4000, 4, nil
	}
	return 0, 0, fmt.Errorf("no symbol %s in %s", name, binary)
}

func (testEnv) Tracepoints(category, name string) ([]string, error) {
	dir := os.DirFS(filepath.Join("..", "internal", "testenv", "formats"))
	return GlobTracepoints(dir, category, name, func(e fs.DirEntry) bool { return !e.IsDir() })
}

// The fake kernel of lang's tests: a few types laid out as on x86-64.
var testKernel = sync.OnceValue(func() map[string]*Type {
	types, err := StructTypes(`
struct task_struct { long state; int pid; int tgid; char comm[16]; struct task_struct *real_parent; };
struct __kernel_timespec { long long tv_sec; long long tv_nsec; };
struct bpf_iter_meta { void *seq; unsigned long long session_id; unsigned long long seq_num; };
struct bpf_iter__task { struct bpf_iter_meta *meta; struct task_struct *task; };
`)
	if err != nil {
		panic(err)
	}
	return types
})

func (testEnv) KernelType(name string) (*Type, error) {
	if t := testKernel()[name]; t != nil {
		return t, nil
	}
	if name == "u32" {
		return Uint32, nil
	}
	return nil, errors.New("the kernel has no type " + name)
}

func (testEnv) StructFields(t *Type) ([]Field, error) { return t.Fields, nil }

// testSkbDropReason is the kernel enum the test environment knows.
var testSkbDropReason = &EnumDef{Name: "skb_drop_reason", Values: []Enumerator{
	{Name: "SKB_NOT_DROPPED_YET", Value: 0}, {Name: "SKB_CONSUMED", Value: 1}, {Name: "SKB_DROP_REASON_NOT_SPECIFIED", Value: 2}}}

func (testEnv) EnumConstant(name string) (uint64, *EnumDef, bool) {
	for _, e := range testSkbDropReason.Values {
		if e.Name == name {
			return e.Value, testSkbDropReason, true
		}
	}
	return 0, nil, false
}

func (testEnv) KernelSymbol(name string) (uint64, error) {
	return 0, errors.New("the kernel does not list symbol " + name)
}

// testTargets are the fake kernel's functions and raw tracepoints.
var testTargets = map[ProbeKind][][]string{
	ProbeKprobe:        {{"vfs_read"}, {"vfs_write"}, {"do_nanosleep"}},
	ProbeKretprobe:     {{"vfs_read"}, {"vfs_write"}, {"do_nanosleep"}},
	ProbeFentry:        {{"vfs_read"}, {"vfs_write"}},
	ProbeFexit:         {{"vfs_read"}, {"vfs_write"}},
	ProbeRawtracepoint: {{"sched_switch"}, {"sys_enter"}},
}

func (testEnv) AttachTargets(kind ProbeKind, args []string) ([][]string, error) {
	if kind == ProbeUprobe || kind == ProbeUretprobe {
		return [][]string{args}, nil
	}
	return MatchTargets(testTargets[kind], args), nil
}

func (testEnv) ProbeArgs(kind ProbeKind, args []string) (*TracepointFormat, error) {
	if args[len(args)-1] != "vfs_read" {
		return nil, errors.New("no BTF for " + args[len(args)-1])
	}
	return &TracepointFormat{Category: "fentry", Name: "vfs_read", Fields: []TracepointField{
		{Name: "count", CType: "size_t", Offset: 16, Size: 8, Type: Uint64},
	}, Retval: &TracepointField{Name: "retval", CType: "ssize_t", Offset: 32, Size: 8, Type: Int64}}, nil
}

func (testEnv) KfuncAllowed(name string, kind ProbeKind) error {
	switch kind {
	case ProbeKprobe, ProbeKretprobe, ProbeUprobe, ProbeUretprobe, ProbeUsdt, ProbeRawtracepoint, ProbeBegin, ProbeEnd:
		return errors.New("the kernel lets these programs call no " + name)
	}
	return nil
}

func (testEnv) USDT(binary, provider, name string) ([]USDTProbe, error) {
	return nil, errors.New(binary + " has no USDT probes")
}

func (testEnv) CgroupID(path string) (uint64, error) {
	if path == "/sys/fs/cgroup" {
		return 1, nil
	}
	return 0, errors.New(path + " is not a cgroup v2 directory")
}

func (testEnv) PercpuVar(name string) error {
	if name == "process_counts" || name == "runqueues" {
		return nil
	}
	return errors.New("the kernel's BTF has no per-CPU variable " + name)
}
