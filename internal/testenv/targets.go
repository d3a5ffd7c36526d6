package testenv

import (
	"fmt"

	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/kernel"
)

// kernelFuncs are the fake kernel's functions, which kprobes, fentry and
// fexit can probe, and its raw tracepoints.
var (
	kernelFuncs    = [][]string{{"do_nanosleep"}, {"tcp_connect"}, {"vfs_open"}, {"vfs_read"}, {"vfs_readv"}, {"vfs_write"}}
	rawTracepoints = [][]string{{"consume_skb"}, {"sched_switch"}, {"sys_enter"}, {"sys_exit"}}
)

// AttachTargets implements lang.Env: kernel functions and raw tracepoints
// from the fixed lists above, a binary's functions and USDT probes from
// the file.
func (e Env) AttachTargets(kind lang.ProbeKind, args []string) ([][]string, error) {
	switch kind {
	case lang.ProbeKprobe, lang.ProbeKretprobe, lang.ProbeFentry, lang.ProbeFexit:
		sym, _ := lang.SplitFunc(args[len(args)-1])
		return lang.MatchTargets(kernelFuncs, []string{sym}), nil
	case lang.ProbeRawtracepoint:
		return lang.MatchTargets(rawTracepoints, args[len(args)-1:]), nil
	case lang.ProbeUprobe, lang.ProbeUretprobe, lang.ProbeUsdt:
		return (&kernel.Env{}).AttachTargets(kind, args)
	}
	return [][]string{args}, nil
}

// ProbeArgs implements lang.Env with the arguments of vfs_read and
// sched_switch, laid out as in the kernel's BTF.
func (Env) ProbeArgs(kind lang.ProbeKind, args []string) (*lang.TracepointFormat, error) {
	name := args[len(args)-1]
	task := lang.PointerType(kernelByName["struct task_struct"], lang.SpaceKernel)
	switch {
	case kind == lang.ProbeRawtracepoint && name == "sched_switch":
		return &lang.TracepointFormat{Category: "rawtracepoint", Name: name, Fields: []lang.TracepointField{
			{Name: "preempt", CType: "bool", Offset: 0, Size: 1, Type: lang.Bool},
			{Name: "prev", CType: "struct task_struct *", Offset: 8, Size: 8, Type: task},
			{Name: "next", CType: "struct task_struct *", Offset: 16, Size: 8, Type: task},
			{Name: "prev_state", CType: "unsigned int", Offset: 24, Size: 4, Type: lang.Uint32},
		}}, nil
	case kind == lang.ProbeRawtracepoint && name == "consume_skb":
		return &lang.TracepointFormat{Category: "rawtracepoint", Name: name, Fields: []lang.TracepointField{
			{Name: "skb", CType: "struct sk_buff *", Offset: 0, Size: 8, Type: lang.PointerType(kernelByName["struct sk_buff"], lang.SpaceKernel)},
			{Name: "location", CType: "void *", Offset: 8, Size: 8, Type: lang.Uint64},
		}}, nil
	case kind != lang.ProbeRawtracepoint && name == "vfs_read":
		return &lang.TracepointFormat{Category: "fentry", Name: name, Fields: []lang.TracepointField{
			{Name: "file", CType: "struct file *", Offset: 0, Size: 8, Type: lang.Uint64},
			{Name: "buf", CType: "char *", Offset: 8, Size: 8, Type: lang.PointerType(lang.Int8, lang.SpaceUser)},
			{Name: "count", CType: "size_t", Offset: 16, Size: 8, Type: lang.Uint64},
			{Name: "pos", CType: "loff_t *", Offset: 24, Size: 8, Type: lang.PointerType(lang.Int64, lang.SpaceKernel)},
		}, Retval: &lang.TracepointField{Name: "retval", CType: "ssize_t", Offset: 32, Size: 8, Type: lang.Int64}}, nil
	}
	return nil, fmt.Errorf("the kernel's BTF has no function %s", name)
}

// USDT implements lang.Env from the binary's ELF notes.
func (Env) USDT(binary, provider, name string) ([]lang.USDTProbe, error) {
	return (&kernel.Env{}).USDT(binary, provider, name)
}
