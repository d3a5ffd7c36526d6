package kernel

import (
	"fmt"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"

	"github.com/hawktrace/hawk/lang"
)

var (
	btfChar  = &btf.Int{Name: "char", Size: 1, Encoding: btf.Signed | btf.Char}
	btfInt   = &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}
	btfUint  = &btf.Int{Name: "unsigned int", Size: 4}
	btfLong  = &btf.Int{Name: "long int", Size: 8, Encoding: btf.Signed}
	btfBool  = &btf.Typedef{Name: "bool", Type: &btf.Int{Name: "_Bool", Size: 1, Encoding: btf.Bool}}
	btfVoidP = &btf.Pointer{Target: &btf.Void{}}
	btfTask  = &btf.Struct{Name: "task_struct", Size: 64}
)

func TestCDecl(t *testing.T) {
	fnPtr := func(ret btf.Type, params ...btf.Type) btf.Type {
		proto := &btf.FuncProto{Return: ret}
		for _, p := range params {
			proto.Params = append(proto.Params, btf.FuncParam{Type: p})
		}
		return &btf.Pointer{Target: proto}
	}
	tests := []struct {
		typ  btf.Type
		want string
	}{
		{btfInt, "int"},
		{&btf.Void{}, "void"},
		{btfVoidP, "void *"},
		{&btf.Pointer{Target: btfTask}, "struct task_struct *"},
		{&btf.Pointer{Target: &btf.Const{Type: btfChar}}, "const char *"},
		{&btf.Pointer{Target: &btf.Pointer{Target: btfChar}}, "char **"},
		{&btf.Const{Type: &btf.Pointer{Target: btfChar}}, "char * const"},
		{&btf.Pointer{Target: &btf.Const{Type: &btf.Pointer{Target: &btf.Const{Type: btfChar}}}}, "const char * const *"},
		{&btf.Volatile{Type: btfInt}, "volatile int"},
		{&btf.Typedef{Name: "size_t", Type: btfLong}, "size_t"},
		{&btf.Pointer{Target: &btf.Typedef{Name: "loff_t", Type: btfLong}}, "loff_t *"},
		{&btf.Pointer{Target: &btf.TypeTag{Value: "user", Type: btfChar}}, "char *"},
		{btfBool, "bool"},
		{&btf.Enum{Name: "hrtimer_mode", Size: 4}, "enum hrtimer_mode"},
		{&btf.Enum{Size: 4}, "enum {...}"},
		{&btf.Pointer{Target: &btf.Union{Name: "bpf_attr"}}, "union bpf_attr *"},
		{&btf.Pointer{Target: &btf.Fwd{Name: "opaque", Kind: btf.FwdUnion}}, "union opaque *"},
		{&btf.Struct{Size: 8}, "struct {...}"},
		{&btf.Array{Type: btfChar, Nelems: 16}, "char[16]"},
		{&btf.Pointer{Target: &btf.Array{Type: btfChar, Nelems: 16}}, "char(*)[16]"}, // libbpf: no space without a name
		{fnPtr(btfInt, btfVoidP), "int (*)(void *)"},
		{fnPtr(&btf.Void{}, &btf.Void{}), "void (*)()"},
		{fnPtr(btfInt, btfInt, &btf.Void{}), "int (*)(int, ...)"},
		{fnPtr(fnPtr(btfInt), btfLong), "int (* (*)(long int))()"}, // as libbpf spaces it
	}
	for _, tt := range tests {
		if got := CDecl(tt.typ); got != tt.want {
			t.Errorf("CDecl(%v) = %q, want %q", tt.typ, got, tt.want)
		}
	}
}

// fakeEnv returns an Env whose "kernel" BTF holds types, as if loaded.
func fakeEnv(t *testing.T, types ...btf.Type) *Env {
	t.Helper()
	b, err := btf.NewBuilder(types, nil)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := b.Spec()
	if err != nil {
		t.Fatal(err)
	}
	e := &Env{}
	e.once.Do(func() { e.spec = spec })
	return e
}

// field is a TracepointField in brief, for comparisons.
type field struct {
	ctype, name  string
	offset, size int
	typ          string // Type.String(), or "nil"
}

func brief(f lang.TracepointField) field {
	typ := "nil"
	if f.Type != nil {
		typ = f.Type.String()
	}
	return field{f.CType, f.Name, f.Offset, f.Size, typ}
}

func briefs(fields []lang.TracepointField) []field {
	out := make([]field, len(fields))
	for i, f := range fields {
		out[i] = brief(f)
	}
	return out
}

func checkFields(t *testing.T, what string, got []lang.TracepointField, want []field) {
	t.Helper()
	b := briefs(got)
	if fmt.Sprint(b) != fmt.Sprint(want) {
		t.Errorf("%s:\n got %v\nwant %v", what, b, want)
	}
}

func TestKernelFuncArgsLayout(t *testing.T) {
	pair := &btf.Struct{Name: "pair", Size: 16, Members: []btf.Member{{Name: "a", Type: btfLong}, {Name: "b", Type: btfLong, Offset: 64}}}
	small := &btf.Struct{Name: "small", Size: 8, Members: []btf.Member{{Name: "a", Type: btfLong}}}
	cpumask := &btf.Struct{Name: "cpumask", Size: 8}
	mode := &btf.Enum{Name: "mode", Size: 4, Values: []btf.EnumValue{{Name: "MODE_A", Value: 0}}}
	proto := &btf.FuncProto{
		Return: &btf.Typedef{Name: "ssize_t", Type: btfLong},
		Params: []btf.FuncParam{
			{Name: "name", Type: &btf.Pointer{Target: &btf.Const{Type: btfChar}}},
			{Name: "p", Type: pair},
			{Name: "task", Type: &btf.Pointer{Target: btfTask}},
			{Name: "b", Type: btfBool},
			{Name: "mask", Type: &btf.Typedef{Name: "cpumask_var_t", Type: &btf.Array{Index: btfInt, Type: cpumask, Nelems: 1}}},
			{Name: "md", Type: mode},
			{Name: "s", Type: small},
			{Name: "cb", Type: &btf.Pointer{Target: &btf.FuncProto{Return: &btf.Void{}, Params: []btf.FuncParam{{Type: btfInt}}}}},
		},
	}
	e := fakeEnv(t,
		&btf.Func{Name: "hawk_fn", Type: proto, Linkage: btf.GlobalFunc},
		&btf.Func{Name: "hawk_void", Type: &btf.FuncProto{Return: &btf.Void{}, Params: []btf.FuncParam{{Name: "x", Type: btfUint}}}, Linkage: btf.GlobalFunc},
	)
	tf, err := e.KernelFuncArgs("hawk_fn")
	if err != nil {
		t.Fatal(err)
	}
	if tf.Category != "fentry" || tf.Name != "hawk_fn" {
		t.Errorf("named %s:%s, want fentry:hawk_fn", tf.Category, tf.Name)
	}
	checkFields(t, "hawk_fn", tf.Fields, []field{
		{"const char *", "name", 0, 8, "int8 *"},
		{"struct pair", "p", 8, 16, "nil"}, // by value, two slots
		{"struct task_struct *", "task", 24, 8, "struct task_struct *"},
		{"bool", "b", 32, 1, "bool"},
		{"cpumask_var_t", "mask", 40, 8, "struct cpumask *"}, // an array is passed as a pointer
		{"enum mode", "md", 48, 4, "enum mode"},
		{"struct small", "s", 56, 8, "struct small"},
		{"void (*)(int)", "cb", 64, 8, "void *"},
	})
	if tf.Retval == nil {
		t.Fatal("no Retval")
	}
	checkFields(t, "hawk_fn retval", []lang.TracepointField{*tf.Retval}, []field{{"ssize_t", "retval", 72, 8, "int64"}})

	tf, err = e.KernelFuncArgs("vmlinux:hawk_void")
	if err != nil {
		t.Fatal(err)
	}
	checkFields(t, "hawk_void", tf.Fields, []field{{"unsigned int", "x", 0, 4, "uint32"}})
	if tf.Retval != nil {
		t.Errorf("a void function has Retval %v", *tf.Retval)
	}

	tests := []struct{ name, err string }{
		{"no_such_fn", "the kernel's BTF has no function no_such_fn"},
		{"no_such_module:fn", "no_such_module"},
	}
	for _, tt := range tests {
		if _, err := e.KernelFuncArgs(tt.name); err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("KernelFuncArgs(%q) = %v, want an error with %q", tt.name, err, tt.err)
		}
	}
}

func TestRawTracepointArgsLayout(t *testing.T) {
	tpProto := func(names ...string) *btf.FuncProto {
		types := []btf.Type{btfVoidP, btfBool, &btf.Pointer{Target: btfTask}, btfUint}
		p := &btf.FuncProto{Return: &btf.Void{}}
		for i, typ := range types {
			p.Params = append(p.Params, btf.FuncParam{Name: names[i], Type: typ})
		}
		return p
	}
	e := fakeEnv(t,
		&btf.Typedef{Name: "btf_trace_hawk_tp", Type: &btf.Pointer{Target: tpProto("", "", "", "")}},
		&btf.Func{Name: "__probestub_hawk_tp", Type: tpProto("__data", "preempt", "prev", "prev_state"), Linkage: btf.GlobalFunc},
		&btf.Typedef{Name: "btf_trace_old_tp", Type: &btf.Pointer{Target: tpProto("", "", "", "")}},
		&btf.Func{Name: "__probestub_stub_only", Type: tpProto("__data", "preempt", "prev", "prev_state"), Linkage: btf.GlobalFunc},
	)
	tests := []struct {
		tp    string
		names []string
	}{
		{"hawk_tp", []string{"preempt", "prev", "prev_state"}},
		{"old_tp", []string{"arg0", "arg1", "arg2"}}, // no __probestub_: names unknown
	}
	for _, tt := range tests {
		tf, err := e.RawTracepointArgs(tt.tp)
		if err != nil {
			t.Fatal(err)
		}
		if tf.Category != "rawtracepoint" || tf.Name != tt.tp {
			t.Errorf("named %s:%s, want rawtracepoint:%s", tf.Category, tf.Name, tt.tp)
		}
		checkFields(t, tt.tp, tf.Fields, []field{
			{"bool", tt.names[0], 0, 1, "bool"},
			{"struct task_struct *", tt.names[1], 8, 8, "struct task_struct *"},
			{"unsigned int", tt.names[2], 16, 4, "uint32"},
		})
	}
	for _, name := range []string{"stub_only", "missing"} {
		_, err := e.RawTracepointArgs(name)
		if want := "the kernel has no raw tracepoint " + name; err == nil || err.Error() != want {
			t.Errorf("RawTracepointArgs(%q) = %v, want %q", name, err, want)
		}
	}
	names, err := e.RawTracepoints("*")
	if err != nil || fmt.Sprint(names) != "[hawk_tp old_tp]" {
		t.Errorf("RawTracepoints(*) = %v, %v; want [hawk_tp old_tp]", names, err)
	}
}

func TestRawTracepointArgsKernel(t *testing.T) {
	kerneltest.Require(t)
	e := &Env{}
	tf, err := e.RawTracepointArgs("sched_switch")
	if err != nil {
		t.Fatal(err)
	}
	checkFields(t, "sched_switch", tf.Fields, []field{
		{"bool", "preempt", 0, 1, "bool"},
		{"struct task_struct *", "prev", 8, 8, "struct task_struct *"},
		{"struct task_struct *", "next", 16, 8, "struct task_struct *"},
		{"unsigned int", "prev_state", 24, 4, "uint32"},
	})
	if _, err := e.RawTracepointArgs("no_such_tracepoint"); err == nil || err.Error() != "the kernel has no raw tracepoint no_such_tracepoint" {
		t.Errorf("RawTracepointArgs(no_such_tracepoint) = %v", err)
	}
}

func TestKernelFuncArgsKernel(t *testing.T) {
	kerneltest.Require(t)
	e := &Env{}
	for _, name := range []string{"vfs_read", "vmlinux:vfs_read"} {
		tf, err := e.KernelFuncArgs(name)
		if err != nil {
			t.Fatal(err)
		}
		if tf.Category != "fentry" || tf.Name != "vfs_read" {
			t.Errorf("named %s:%s, want fentry:vfs_read", tf.Category, tf.Name)
		}
		want := []field{
			{"struct file *", "file", 0, 8, "struct file *"},
			{"char *", "buf", 8, 8, ""},
			{"size_t", "count", 16, 8, "uint64"},
			{"loff_t *", "pos", 24, 8, "int64 *"},
		}
		got := briefs(tf.Fields)
		if len(got) == len(want) {
			want[1].typ = got[1].typ // char's signedness is the compiler's
		}
		checkFields(t, name, tf.Fields, want)
		if tf.Retval == nil {
			t.Fatalf("%s: no Retval", name)
		}
		checkFields(t, name+" retval", []lang.TracepointField{*tf.Retval}, []field{{"ssize_t", "retval", 32, 8, "int64"}})
	}
	if _, err := e.KernelFuncArgs("no_such_function"); err == nil || !strings.Contains(err.Error(), "no_such_function") {
		t.Errorf("KernelFuncArgs(no_such_function) = %v, want an error naming it", err)
	}
}
