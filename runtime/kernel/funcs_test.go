package kernel

import (
	"github.com/hawktrace/hawk/internal/kerneltest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"vfs_read", "vfs_read", true},
		{"vfs_read", "vfs_readv", false},
		{"vfs_rea", "vfs_read", false},
		{"vfs_*", "vfs_read", true},
		{"vfs_*", "vfs_", true},
		{"*read", "vfs_read", true},
		{"*read", "vfs_readv", false},
		{"*ab", "abab", true}, // bpftrace's matcher gets this one wrong
		{"*_read_*", "do_sys_read_x", true},
		{"v?s_read", "vfs_read", true},
		{"v?s_read", "vs_read", false},
		{"*", "", true},
		{"", "", true},
		{"", "x", false},
		{"**", "anything", true},
		{"*:vfs_read", "vmlinux:vfs_read", true},
		{"*vfs_read", "vmlinux:vfs_read", true}, // '*' crosses colons
		{"vmlinux:*", "nf_conntrack:nf_ct_get", false},
		{"lookup_fast.constprop.*", "lookup_fast.constprop.0", true},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "aXcYb", false},
		{"[ab]", "[ab]", false}, // a character class, as in tracepoint patterns
		{"[ab]", "a", true},
		{"vfs_rea[dl]*", "vfs_readv", true},
		{"*x", "*ax", true}, // a '*' in the name is no wildcard
	}
	for _, tt := range tests {
		if got := Match(tt.pattern, tt.name); got != tt.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tt.pattern, tt.name, got, tt.want)
		}
	}
}

const fakeKallsyms = `ffffffff81000000 T _stext
ffffffff81000000 T _text
ffffffff81000010 T __entry_text_start
ffffffff81001a87 T __entry_text_end
ffffffff816cae90 t __pfx_lookup_fast
ffffffff816caea0 t lookup_fast.constprop.0
ffffffff816cb000 T __pfx_vfs_read
ffffffff816cb010 T vfs_read
ffffffff816cb100 t vfs_read.cold
ffffffff816cb200 t uncore_pci_exit.part.0
ffffffff816cb300 W abort
ffffffff816cb400 D jiffies
ffffffff816cb500 r __func__.1
ffffffff816cb600 T rcu_note_context_switch
ffffffff816cb700 T __cfi_vfs_write
0000000000000000 T vfs_write
ffffffffc0201000 t ftrace_trampoline	[__builtin__ftrace]
ffffffffc0202000 t bpf_prog_6deef7357e7b4530_sd_fw_egress	[bpf]
ffffffffc0300000 t nf_ct_get	[nf_conntrack]
ffffffffc0300000 t vfs_read	[shadow]
`

func TestParseKallsymsFuncs(t *testing.T) {
	funcs, err := parseKallsymsFuncs(strings.NewReader(fakeKallsyms))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range sortFuncs(funcs) {
		got = append(got, f.String())
	}
	want := []string{
		"nf_conntrack:nf_ct_get",
		"shadow:vfs_read",
		"vmlinux:abort",
		"vmlinux:lookup_fast.constprop.0",
		"vmlinux:rcu_note_context_switch",
		"vmlinux:uncore_pci_exit.part.0", // left out by KernelFuncs on wildcards only
		"vmlinux:vfs_read",
		"vmlinux:vfs_write",
	}
	if !slices.Equal(got, want) {
		t.Errorf("parseKallsymsFuncs =\n%q\nwant\n%q", got, want)
	}
}

func TestParseFilterFunctions(t *testing.T) {
	text := "vfs_read\nlookup_fast.constprop.0\n\nnf_ct_get [nf_conntrack]\n"
	funcs, err := parseFilterFunctions(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	want := []KernelFunc{{"vfs_read", Vmlinux}, {"lookup_fast.constprop.0", Vmlinux}, {"nf_ct_get", "nf_conntrack"}}
	if !slices.Equal(funcs, want) {
		t.Errorf("parseFilterFunctions = %v, want %v", funcs, want)
	}
}

func TestParseBlacklist(t *testing.T) {
	text := "0xffffffff81000000-0xffffffff81000010\tdo_int3\n0xffffffffc0300000-0xffffffffc0300100\tnf_x\t[nf_conntrack]\n"
	got := parseBlacklist(strings.NewReader(text))
	want := map[KernelFunc]bool{{"do_int3", Vmlinux}: true, {"nf_x", "nf_conntrack"}: true}
	if len(got) != len(want) || !got[KernelFunc{"do_int3", Vmlinux}] || !got[KernelFunc{"nf_x", "nf_conntrack"}] {
		t.Errorf("parseBlacklist = %v, want %v", got, want)
	}
}

func TestBadFunc(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"vfs_read", false},
		{"lookup_fast.constprop.0", false},
		{"uncore_pci_exit.part.0", true},
		{"rcu_note_context_switch", true},
		{"arch_cpu_idle", true},
		{"default_idle", true},
		{"default_idle_call", false},
		{"__ftrace_invalid_address___64", true},
	}
	for _, tt := range tests {
		if got := badFunc(tt.name); got != tt.want {
			t.Errorf("badFunc(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestReadTraceable checks the choice of source: available_filter_functions
// when it can be read, else kallsyms.
func TestReadTraceable(t *testing.T) {
	dir := t.TempDir()
	filter := filepath.Join(dir, "available_filter_functions")
	syms := filepath.Join(dir, "kallsyms")
	if err := os.WriteFile(filter, []byte("vfs_read\nvfs_read\nnf_ct_get [nf_conntrack]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(syms, []byte(fakeKallsyms), 0o644); err != nil {
		t.Fatal(err)
	}
	oldFilter, oldSyms := filterFunctionsPath, kallsymsPath
	t.Cleanup(func() { filterFunctionsPath, kallsymsPath = oldFilter, oldSyms })

	tests := []struct {
		filter string
		want   []KernelFunc
	}{
		{filter, []KernelFunc{{"nf_ct_get", "nf_conntrack"}, {"vfs_read", Vmlinux}}},
		{filepath.Join(dir, "missing"), nil}, // from kallsyms: checked by length
	}
	for _, tt := range tests {
		filterFunctionsPath, kallsymsPath = tt.filter, syms
		got, err := readTraceable()
		if err != nil {
			t.Fatal(err)
		}
		if tt.want == nil {
			if len(got) != 8 {
				t.Errorf("from kallsyms: %v, want 8 functions", got)
			}
			continue
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("readTraceable() = %v, want %v", got, tt.want)
		}
	}
}

func TestKernelFuncs(t *testing.T) {
	kerneltest.Require(t)
	tests := []struct {
		pattern string
		want    []string // among the results
		notWant []string
	}{
		{"vfs_read", []string{"vmlinux:vfs_read"}, []string{"vmlinux:vfs_readv"}},
		{"vfs_rea*", []string{"vmlinux:vfs_read", "vmlinux:vfs_readv"}, nil},
		{"vmlinux:vfs_read", []string{"vmlinux:vfs_read"}, nil},
		{"*:vfs_rea?", []string{"vmlinux:vfs_read"}, nil},
		{"rcu_*", nil, []string{"vmlinux:rcu_note_context_switch"}},
		{"*.part.*", nil, nil},
	}
	for _, tt := range tests {
		funcs, err := KernelFuncs(tt.pattern)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range funcs {
			got = append(got, f.String())
		}
		if !slices.IsSorted(got) {
			t.Errorf("KernelFuncs(%q) is not sorted", tt.pattern)
		}
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("KernelFuncs(%q) lacks %s", tt.pattern, w)
			}
		}
		for _, w := range tt.notWant {
			if slices.Contains(got, w) {
				t.Errorf("KernelFuncs(%q) has %s", tt.pattern, w)
			}
		}
		if tt.pattern == "*.part.*" && len(got) > 0 {
			t.Errorf("KernelFuncs(%q) = %v, want none", tt.pattern, got[:1])
		}
	}
	// A plain name skips the wildcard exclusions, as bpftrace attaches to it.
	all, _ := traceableFuncs()
	if slices.Contains(all, KernelFunc{"rcu_note_context_switch", Vmlinux}) {
		funcs, err := KernelFuncs("rcu_note_context_switch")
		if err != nil || len(funcs) != 1 {
			t.Errorf(`KernelFuncs("rcu_note_context_switch") = %v, %v; want it`, funcs, err)
		}
	}
}

func TestBTFFuncs(t *testing.T) {
	kerneltest.Require(t)
	e := &Env{}
	tests := []struct {
		pattern string
		want    []KernelFunc
	}{
		{"vfs_read", []KernelFunc{{"vfs_read", Vmlinux}}},
		{"*:vfs_read", []KernelFunc{{"vfs_read", Vmlinux}}},
		{"vmlinux:vfs_read", []KernelFunc{{"vfs_read", Vmlinux}}},
		{"no_such_module:*", nil},
		{"no_such_function_*", nil},
	}
	for _, tt := range tests {
		got, err := e.BTFFuncs(tt.pattern)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("BTFFuncs(%q) = %v, want %v", tt.pattern, got, tt.want)
		}
	}
	many, err := e.BTFFuncs("vfs_*")
	if err != nil || len(many) < 5 || !slices.IsSortedFunc(many, func(a, b KernelFunc) int { return strings.Compare(a.String(), b.String()) }) {
		t.Errorf(`BTFFuncs("vfs_*") = %d functions, %v; want several, sorted`, len(many), err)
	}
}

func TestRawTracepoints(t *testing.T) {
	kerneltest.Require(t)
	e := &Env{}
	names, err := e.RawTracepoints("sched_sw*")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(names, "sched_switch") {
		t.Errorf(`RawTracepoints("sched_sw*") = %v, want sched_switch among them`, names)
	}
	tps, err := e.RawTracepointsByModule("vmlinux:sched_switch")
	if err != nil || !slices.Equal(tps, []KernelFunc{{"sched_switch", Vmlinux}}) {
		t.Errorf(`RawTracepointsByModule("vmlinux:sched_switch") = %v, %v`, tps, err)
	}
}

func TestIterators(t *testing.T) {
	kerneltest.Require(t)
	e := &Env{}
	iters, err := e.Iterators("*")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"task", "task_file", "task_vma"} {
		if !slices.Contains(iters, want) {
			t.Errorf("Iterators lacks %s: %v", want, iters)
		}
	}
	if slices.Contains(iters, "task__safe_trusted") || slices.Contains(iters, "num") {
		t.Errorf("Iterators has a struct that is no iterator target: %v", iters)
	}
}

// buildGo builds a tiny Go program, with extra go build flags.
func buildGo(t *testing.T, flags ...string) string {
	t.Helper()
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(gobin); err != nil {
		kerneltest.Missing(t, "no go tool: %v", err)
	}
	dir := t.TempDir()
	src := "package main\n\n//go:noinline\nfunc hawkListed(x int) int { return x * 3 }\n\nfunc main() { println(hawkListed(2)) }\n"
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module listed\n\ngo 1.21\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "listed")
	cmd := exec.Command(gobin, append(append([]string{"build", "-o", out}, flags...), ".")...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	return out
}

func TestUserFuncs(t *testing.T) {
	tests := []struct {
		name  string
		flags []string
	}{
		{"symtab", nil},
		{"stripped", []string{"-ldflags=-s"}}, // functions from .gopclntab
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bin := buildGo(t, tt.flags...)
			got, err := UserFuncs(bin, "main.*")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, []string{"main.hawkListed", "main.main"}) {
				t.Errorf("UserFuncs(main.*) = %v, want [main.hawkListed main.main]", got)
			}
			all, err := UserFuncs(bin, "*")
			if err != nil || len(all) < 100 || !slices.IsSorted(all) || len(slices.Compact(slices.Clone(all))) != len(all) {
				t.Errorf("UserFuncs(*) = %d names, %v; want many, sorted, unique", len(all), err)
			}
			for _, name := range []string{"main.hawkListed", "runtime.mallocgc"} {
				if _, _, err := (&Env{}).UserSymbol(bin, name); err != nil {
					t.Errorf("a listed function cannot be attached to: %v", err)
				}
			}
		})
	}
	if _, err := UserFuncs(filepath.Join(t.TempDir(), "missing"), "*"); err == nil {
		t.Error("UserFuncs of a missing file: no error")
	}
}

// TestUserFuncsLibc checks a shared library: IFUNCs (memcpy) are listed,
// and imports are not.
func TestUserFuncsLibc(t *testing.T) {
	libc, err := FindBinary("libc")
	if err != nil {
		kerneltest.Missing(t, "%v", err)
	}
	got, err := UserFuncs(libc, "mem?py")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(got, "memcpy") {
		t.Errorf("UserFuncs(%s, mem?py) = %v, want memcpy (an IFUNC)", libc, got)
	}
	if imports, _ := UserFuncs(libc, "__tls_get_addr"); len(imports) > 0 {
		// defined in ld.so, imported by libc: undefined here
		t.Errorf("UserFuncs lists an import: %v", imports)
	}
}
