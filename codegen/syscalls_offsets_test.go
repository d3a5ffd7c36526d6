package codegen

import (
	"os"
	goruntime "runtime"
	"testing"

	"github.com/cilium/ebpf/btf"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// memberOffset returns the byte offset of the member at path (a.b.c) in
// struct name of spec, looking into anonymous unions and structs.
func memberOffset(t *testing.T, spec *btf.Spec, name string, path ...string) uint32 {
	t.Helper()
	var s *btf.Struct
	if err := spec.TypeByName(name, &s); err != nil {
		t.Fatal(err)
	}
	var off btf.Bits
	var typ btf.Type = s
	for _, field := range path {
		m, at, ok := findMember(typ, field)
		if !ok {
			t.Fatalf("struct %s has no member %v", name, path)
		}
		off += at
		typ = m.Type
	}
	return off.Bytes()
}

// findMember finds member name of a struct or union, or of its anonymous
// members, and its offset.
func findMember(typ btf.Type, name string) (btf.Member, btf.Bits, bool) {
	var members []btf.Member
	switch t := btf.UnderlyingType(typ).(type) {
	case *btf.Struct:
		members = t.Members
	case *btf.Union:
		members = t.Members
	}
	for _, m := range members {
		if m.Name == name {
			return m, m.Offset, true
		}
		if m.Name == "" {
			if inner, at, ok := findMember(m.Type, name); ok {
				return inner, m.Offset + at, true
			}
		}
	}
	return btf.Member{}, 0, false
}

// TestRawSyscallOffsets: the offsets the raw syscall programs read the
// task and its registers at (syscalls.go) are this kernel's, from its BTF.
func TestRawSyscallOffsets(t *testing.T) {
	kerneltest.Require(t)
	if goruntime.GOARCH != "amd64" {
		t.Skip("the offsets are x86-64's")
	}
	if _, err := os.Stat("/sys/kernel/btf/vmlinux"); err != nil {
		kerneltest.Missing(t, "no kernel BTF: %v", err)
	}
	spec, err := btf.LoadKernelSpec()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		got  uint32
		want int
	}{
		{"task_struct.thread_info.status", memberOffset(t, spec, "task_struct", "thread_info", "status"), taskStatus},
		{"pt_regs.orig_ax", memberOffset(t, spec, "pt_regs", "orig_ax"), ptRegsOrigAx},
		{"pt_regs.cs", memberOffset(t, spec, "pt_regs", "cs"), ptRegsCS},
		{"pt_regs.di", memberOffset(t, spec, "pt_regs", "di"), int(syscallArgRegs[0])},
		{"pt_regs.r10", memberOffset(t, spec, "pt_regs", "r10"), int(syscallArgRegs[3])},
		{"pt_regs.r9", memberOffset(t, spec, "pt_regs", "r9"), int(syscallArgRegs[5])},
	} {
		if int(tc.got) != tc.want {
			t.Errorf("%s is at %d in this kernel, hawk reads %d", tc.name, tc.got, tc.want)
		}
	}
}
