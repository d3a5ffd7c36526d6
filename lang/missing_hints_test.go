package lang

import (
	"strings"
	"testing"
)

// hintEnv is testEnv with a kernel whose functions have the names
// compilers and memory allocation profiling give them, and a loaded
// module, mymod.
type hintEnv struct{ testEnv }

var hintTargets = [][]string{
	{"vfs_read"}, {"finish_task_switch.isra.0"}, {"kmem_cache_alloc_noprof"},
	{"copy_page.constprop.0"}, {"copy_page.cold"}, {"mymod", "mymod_open"},
}

func (e hintEnv) AttachTargets(kind ProbeKind, args []string) ([][]string, error) {
	if kind != ProbeKprobe && kind != ProbeKretprobe {
		return e.testEnv.AttachTargets(kind, args)
	}
	if len(args) == 2 {
		return MatchTargets(hintTargets, args), nil
	}
	var out [][]string
	for _, t := range hintTargets {
		out = append(out, t[len(t)-1:])
	}
	return MatchTargets(out, args), nil
}

// TestMissingKernelFunctionHints: a kprobe on a function the kernel has
// under another name suggests that name; one on a function of a module
// (or a raw tracepoint of one) that is not loaded says so.
func TestMissingKernelFunctionHints(t *testing.T) {
	for _, tc := range []struct{ script, want string }{
		{"kprobe:finish_task_switch { }", "-e:1:1: error: the kernel has no function finish_task_switch that kprobes can probe\n" +
			"    kprobe:finish_task_switch { }\n    ^~~~~~~~~~~~~~~~~~~~~~~~~\nhint: did you mean \"finish_task_switch.isra.0\"?"},
		{"kretprobe:kmem_cache_alloc { }", "hint: did you mean \"kmem_cache_alloc_noprof\"?"},
		{"kprobe:copy_page { }", "hint: the kernel has \"copy_page.cold\", \"copy_page.constprop.0\": did you mean one of them?"},
		{"kprobe:nf_tables:nft_do_chain { }", "-e:1:1: error: no module nf_tables is loaded: kprobe:nf_tables:nft_do_chain needs it\n" +
			"    kprobe:nf_tables:nft_do_chain { }\n    ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~\nhint: load it (modprobe nf_tables) before running the script"},
		{"rawtracepoint:nonsense:sys_exit { }", "-e:1:1: error: no module nonsense is loaded: rawtracepoint:nonsense:sys_exit needs it\n"},
		{"kprobe:mymod:mymod_close { }", "-e:1:1: error: the kernel has no function mymod:mymod_close that kprobes can probe\n" +
			"    kprobe:mymod:mymod_close { }\n    ^~~~~~~~~~~~~~~~~~~~~~~~"},
		{"kprobe:vfs_read, kprobe:finish_task_switch { }", "-e:1:18: warning: the kernel has no function finish_task_switch that kprobes can probe; skipped (missing_probes = warn)\n" +
			"    kprobe:vfs_read, kprobe:finish_task_switch { }\n                     ^~~~~~~~~~~~~~~~~~~~~~~~~\nhint: did you mean \"finish_task_switch.isra.0\"?"},
	} {
		prog, err := ParseFiles(NewSource("-e", tc.script))
		if err != nil {
			t.Fatal(err)
		}
		info, err := Check(prog, hintEnv{}, Config{})
		got := ""
		if err != nil {
			got = err.Error()
		} else if len(info.Warnings) > 0 {
			got = info.Warnings.Error()
		}
		if !strings.Contains(got, tc.want) || strings.Contains(tc.want, "mymod_close") && strings.Contains(got, "hint:") {
			t.Errorf("%s:\ngot:\n%s\nwant it to contain:\n%s", tc.script, got, tc.want)
		}
	}
}
