package listing

import (
	"bufio"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/sdtprog"
	"github.com/hawktrace/hawk/runtime/kernel"
	"github.com/hawktrace/hawk/runtime/tracefs"
)

// testEnv is shared by the tests, which then read the kernel's BTF once.
var testEnv = &kernel.Env{}

func lines(t *testing.T, pattern string, verbose bool) []string {
	t.Helper()
	out, err := Lines(pattern, Options{Verbose: verbose, Env: testEnv})
	if err != nil {
		t.Fatalf("List(%q): %v", pattern, err)
	}
	return out
}

// TestKernelProbes checks that the spellings bpftrace has used for each
// kind, and its aliases, list the probes as bpftrace v0.26 spells them.
func TestKernelProbes(t *testing.T) {
	kerneltest.Require(t)
	tests := []struct {
		pattern string
		want    []string // exactly, in order
	}{
		{"tracepoint:sched:sched_switch", []string{"tracepoint:sched:sched_switch"}},
		{"t:sched:sched_switch", []string{"tracepoint:sched:sched_switch"}},
		{"tracepoint:sched_switch", []string{"tracepoint:sched:sched_switch"}},
		{"rawtracepoint:sched_switch", []string{"rawtracepoint:vmlinux:sched_switch"}},
		{"rt:vmlinux:sched_switch", []string{"rawtracepoint:vmlinux:sched_switch"}},
		{"kprobe:vfs_read", []string{"kprobe:vfs_read"}},
		{"k:vmlinux:vfs_read", []string{"kprobe:vmlinux:vfs_read"}},
		{"kretprobe:vfs_read", []string{"kretprobe:vfs_read"}},
		{"fentry:vfs_read", []string{"fentry:vmlinux:vfs_read"}},
		{"kfunc:vfs_read", []string{"fentry:vmlinux:vfs_read"}},
		{"f:vmlinux:vfs_read", []string{"fentry:vmlinux:vfs_read"}},
		{"fexit:vfs_read", []string{"fexit:vmlinux:vfs_read"}},
		{"kretfunc:vmlinux:vfs_read", []string{"fexit:vmlinux:vfs_read"}},
		{"iter:task_file", []string{"iter:task_file"}},
		{"it:task_vm?", []string{"iter:task_vma"}},
		// No provider: every kernel kind, in bpftrace's order.
		{"vfs_read", []string{"fentry:vmlinux:vfs_read", "kprobe:vfs_read"}},
		{"*:sched_switch", []string{"rawtracepoint:vmlinux:sched_switch", "tracepoint:sched:sched_switch"}},
		{"k*:vfs_read", []string{"kprobe:vfs_read"}}, // kretprobe is not a kernel-list kind
		{"kprobe:vfs_read,fentry:vfs_read", []string{"kprobe:vfs_read", "fentry:vmlinux:vfs_read"}},
		{"kprobe:no_such_function_at_all", nil},
	}
	for _, tt := range tests {
		if got := lines(t, tt.pattern, false); !slices.Equal(got, tt.want) {
			t.Errorf("hawk -l %q =\n%q\nwant\n%q", tt.pattern, got, tt.want)
		}
	}
	// bpftrace's regression tests for patterns without a provider
	// (tests/runtime/regression): the probes are among the results.
	for _, tt := range []struct{ pattern, want string }{
		{"*do_nanosleep*", "kprobe:do_nanosleep"},
		{"*sched_switch*", "tracepoint:sched:sched_switch"},
		{"*sched_switch*", "rawtracepoint:vmlinux:sched_switch"},
	} {
		if got := lines(t, tt.pattern, false); !slices.Contains(got, tt.want) {
			t.Errorf("hawk -l %q lacks %s: %q", tt.pattern, tt.want, got)
		}
	}
}

// TestListAll checks the listing without a pattern: every kind of kernel
// probe, kind after kind in bpftrace's order, each kind sorted.
func TestListAll(t *testing.T) {
	kerneltest.Require(t)
	all := lines(t, "", false)
	var order []string
	byKind := map[string][]string{}
	for _, line := range all {
		kind, _, _ := strings.Cut(line, ":")
		if len(order) == 0 || order[len(order)-1] != kind {
			order = append(order, kind)
		}
		byKind[kind] = append(byKind[kind], line)
	}
	wantOrder := []string{"fentry", "hardware", "iter", "kprobe", "rawtracepoint", "software", "tracepoint"}
	if !slices.Equal(order, wantOrder) {
		t.Errorf("kinds listed: %v, want %v", order, wantOrder)
	}
	for kind, ls := range byKind {
		if !slices.IsSorted(ls) {
			t.Errorf("%s probes are not sorted", kind)
		}
	}
	for _, want := range []string{
		"fentry:vmlinux:vfs_read", "hardware:cpu-cycles:", "iter:task", "iter:task_file", "iter:task_vma",
		"kprobe:vfs_read", "rawtracepoint:vmlinux:sched_switch", "software:cpu-clock:",
		"tracepoint:sched:sched_switch",
	} {
		if _, found := slices.BinarySearch(byKind[strings.SplitN(want, ":", 2)[0]], want); !found {
			t.Errorf("hawk -l lacks %s", want)
		}
	}
}

// TestVerbose checks -lv against what the kernel says of each probe.
func TestVerbose(t *testing.T) {
	kerneltest.Require(t)
	tests := []struct {
		pattern string
		want    []string
	}{
		{"rawtracepoint:sched_switch", []string{
			"rawtracepoint:vmlinux:sched_switch",
			"    bool preempt",
			"    struct task_struct * prev",
			"    struct task_struct * next",
			"    unsigned int prev_state",
		}},
		{"fentry:vfs_read", []string{
			"fentry:vmlinux:vfs_read",
			"    struct file * file",
			"    char * buf",
			"    size_t count",
			"    loff_t * pos",
		}},
		{"fexit:vfs_read", []string{
			"fexit:vmlinux:vfs_read",
			"    struct file * file",
			"    char * buf",
			"    size_t count",
			"    loff_t * pos",
			"    ssize_t retval",
		}},
		{"kprobe:vfs_read", []string{
			"kprobe:vfs_read",
			"    struct file * arg0",
			"    char * arg1",
			"    size_t arg2",
			"    loff_t * arg3",
		}},
		{"kretprobe:vfs_read", []string{"kretprobe:vfs_read", "    ssize_t retval"}},
		{"iter:task", []string{"iter:task", "    struct task_struct * task"}},
	}
	for _, tt := range tests {
		if got := lines(t, tt.pattern, true); !slices.Equal(got, tt.want) {
			t.Errorf("hawk -lv %q =\n%s\nwant\n%s", tt.pattern, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
	}
}

// TestVerboseTracepoint checks a tracepoint's -lv against its format
// file: the declarations after "field:" of the fields past the common ones.
func TestVerboseTracepoint(t *testing.T) {
	kerneltest.Require(t)
	f, err := os.Open(filepath.Join(tracefs.Path, "events/sched/sched_switch/format"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{"tracepoint:sched:sched_switch"}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		decl, ok := strings.CutPrefix(line, "field:")
		if !ok || strings.Contains(decl, " common_") {
			continue
		}
		want = append(want, "    "+decl[:strings.IndexByte(decl, ';')])
	}
	got := lines(t, "tracepoint:sched:sched_switch", true)
	if !slices.Equal(got, want) {
		t.Errorf("hawk -lv tracepoint:sched:sched_switch =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !slices.Contains(got, "    char prev_comm[16]") {
		t.Errorf("hawk -lv tracepoint:sched:sched_switch lacks the array field: %q", got)
	}
}

// TestUserProbes lists the functions and USDT probes of sdtprog.
func TestUserProbes(t *testing.T) {
	bin := sdtprog.ForTest(t)
	tests := []struct {
		pattern string
		want    []string
	}{
		{"uprobe:" + bin + ":main", []string{"uprobe:" + bin + ":main"}},
		{"u:" + bin + ":mai?", []string{"uprobe:" + bin + ":main"}},
		{"uretprobe:" + bin + ":main", []string{"uretprobe:" + bin + ":main"}},
		{"usdt:" + bin + ":*", []string{
			"usdt:" + bin + ":hawktest:gated",
			"usdt:" + bin + ":hawktest:global",
			"usdt:" + bin + ":hawktest:tick",
		}},
		{"U:" + bin, []string{
			"usdt:" + bin + ":hawktest:gated",
			"usdt:" + bin + ":hawktest:global",
			"usdt:" + bin + ":hawktest:tick",
		}},
		{"usdt:" + bin + ":tick", []string{"usdt:" + bin + ":hawktest:tick"}},
		{"usdt:" + bin + ":hawktest:g*", []string{"usdt:" + bin + ":hawktest:gated", "usdt:" + bin + ":hawktest:global"}},
		{"usdt:" + bin + ":nobody:*", nil},
		{"usdt:" + filepath.Dir(bin) + "/sdtpro?:hawktest:tick", []string{"usdt:" + bin + ":hawktest:tick"}},
	}
	for _, tt := range tests {
		if got := lines(t, tt.pattern, false); !slices.Equal(got, tt.want) {
			t.Errorf("hawk -l %q =\n%q\nwant\n%q", tt.pattern, got, tt.want)
		}
	}
	all := lines(t, "uprobe:"+bin+":*", false)
	if !slices.Contains(all, "uprobe:"+bin+":main") || !slices.IsSorted(all) {
		t.Errorf("hawk -l uprobe:BIN:* = %q, want main among sorted functions", all)
	}
	// A wildcard provider takes in user probes when it names a file.
	any := lines(t, "*:"+bin+":*", false)
	if !slices.Contains(any, "uprobe:"+bin+":main") || !slices.Contains(any, "usdt:"+bin+":hawktest:tick") {
		t.Errorf("hawk -l '*:BIN:*' = %q, want uprobes and usdt probes", any)
	}
}
