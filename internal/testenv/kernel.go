package testenv

import (
	"fmt"

	"github.com/cilium/ebpf"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
)

// kernelTypes are a few kernel types, laid out as on x86-64, so tests can
// follow pointers without the machine's BTF.
const kernelTypes = `
struct list_head { struct list_head *next; struct list_head *prev; };
struct task_struct {
	long state;
	int pid;
	int tgid;
	char comm[16];
	struct task_struct *real_parent;
	struct task_struct *group_leader;
	struct list_head children;
	unsigned long long start_time;
	struct uprobe_task *utask;
};
struct return_instance { unsigned long func; unsigned long stack; unsigned long orig_ret_vaddr; struct return_instance *next; };
struct uprobe_task { unsigned int depth; struct return_instance *return_instances; };
struct __kernel_timespec { long long tv_sec; long long tv_nsec; };
struct sock_common { unsigned int skc_daddr; unsigned int skc_rcv_saddr; unsigned short skc_family; };
struct sock { struct sock_common __sk_common; int sk_rcvbuf; };
struct bpf_iter_meta { void *seq; unsigned long long session_id; unsigned long long seq_num; };
struct bpf_iter__task { struct bpf_iter_meta *meta; struct task_struct *task; };
struct path { void *mnt; void *dentry; };
struct super_block { char __pad[16]; unsigned int s_dev; };
struct inode { char __pad[64]; unsigned long i_ino; struct super_block *i_sb; };
struct file { unsigned int f_mode; struct path f_path; char __pad[8]; struct inode *f_inode; };
struct bpf_iter__task_file { struct bpf_iter_meta *meta; struct task_struct *task; unsigned int fd; struct file *file; };
struct sk_buff { struct sk_buff *next; struct sk_buff *prev; unsigned long long tstamp; unsigned int len; unsigned int data_len; };
struct vm_area_struct {
	union { struct { unsigned long vm_start; unsigned long vm_end; }; void *vm_freeptr; };
	char __pad[64];
	unsigned long vm_pgoff;
	struct file *vm_file;
};
`

var kernelByName = func() map[string]*lang.Type {
	types, err := lang.StructTypes(kernelTypes)
	if err != nil {
		panic(err)
	}
	return types
}()

// kernelEnums are a few of the kernel's enums: a named one and two
// anonymous ones, as BTF describes them.
var kernelEnums = []*lang.EnumDef{
	{Name: "skb_drop_reason", Values: []lang.Enumerator{
		{Name: "SKB_NOT_DROPPED_YET", Value: 0}, {Name: "SKB_CONSUMED", Value: 1}, {Name: "SKB_DROP_REASON_NOT_SPECIFIED", Value: 2}}},
	{Values: []lang.Enumerator{{Name: "TCP_ESTABLISHED", Value: 1}, {Name: "TCP_SYN_SENT", Value: 2}}},
	{Values: []lang.Enumerator{{Name: "BTF_VAR_STATIC", Value: 0}, {Name: "BTF_VAR_GLOBAL_ALLOCATED", Value: 1}}},
}

// KernelType implements lang.Env with the fixed types above.
func (Env) KernelType(name string) (*lang.Type, error) {
	if t := kernelByName[name]; t != nil {
		return t, nil
	}
	for _, def := range kernelEnums {
		if def.Name != "" && name == "enum "+def.Name {
			return lang.EnumType(def, 4), nil
		}
	}
	switch name {
	case "u32", "__u32", "uint32_t":
		return lang.Uint32, nil
	case "u64", "__u64", "sector_t":
		return lang.Uint64, nil
	}
	return nil, fmt.Errorf("the kernel has no type %s", name)
}

// StructFields implements lang.Env: the fixed types carry their fields.
func (Env) StructFields(t *lang.Type) ([]lang.Field, error) { return t.Fields, nil }

// EnumConstant implements lang.Env with the enums above.
func (Env) EnumConstant(name string) (uint64, *lang.EnumDef, bool) {
	for _, def := range kernelEnums {
		for _, e := range def.Values {
			if e.Name == name {
				return e.Value, def, true
			}
		}
	}
	return 0, nil, false
}

// KernelSymbol implements lang.Env with one made-up symbol.
func (Env) KernelSymbol(name string) (uint64, error) {
	if name == "avenrun" {
		return 0xffffffff82a0c0c0, nil
	}
	return 0, fmt.Errorf("the kernel does not list symbol %s", name)
}

// KfuncAllowed implements lang.Env as Linux 6.18 answers it: tracing,
// tracepoint and perf event programs may call kernel functions; raw
// tracepoint and kprobe programs may not, but for the common ones (the
// task_vma iterator).
func (Env) KfuncAllowed(name string, kind lang.ProbeKind) error {
	switch name {
	case lang.KfuncIterTaskVMANew, lang.KfuncIterTaskVMANext, lang.KfuncIterTaskVMADestroy:
		return nil // the kernel's common kfuncs: every program type may call them
	}
	prog, _ := codegen.ProgramType(kind)
	switch prog {
	case ebpf.Tracing, ebpf.TracePoint, ebpf.PerfEvent:
		return nil
	}
	return fmt.Errorf("the kernel lets %s programs call no %s", prog, name)
}

// KfuncExists implements lang.KfuncLister: the kernel functions hawk
// calls, and bpf_task_acquire, exist.
func (Env) KfuncExists(name string) bool {
	switch name {
	case lang.KfuncTaskFromPid, lang.KfuncTaskRelease, "bpf_task_acquire":
		return true
	}
	return false
}

// CgroupID implements lang.Env with the root cgroup only.
func (Env) CgroupID(path string) (uint64, error) {
	if path == "/sys/fs/cgroup" {
		return 1, nil
	}
	return 0, fmt.Errorf("%s is not a cgroup v2 directory", path)
}

// PercpuVar implements lang.Env with two per-CPU variables of Linux.
func (Env) PercpuVar(name string) error {
	if name == "process_counts" || name == "runqueues" {
		return nil
	}
	return fmt.Errorf("the kernel's BTF has no per-CPU variable %s", name)
}
