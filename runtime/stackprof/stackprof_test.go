package stackprof

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/pprof/profile"

	"github.com/hawktrace/hawk/runtime"
	"github.com/hawktrace/hawk/runtime/output"
)

// kframe and uframe are frames of a kernel and of a user stack.
func kframe(addr uint64, fn string) runtime.StackFrame {
	return runtime.StackFrame{Addr: addr, Func: fn, Module: runtime.KernelImage, Kernel: true}
}

func uframe(addr uint64, fn, module string) runtime.StackFrame {
	return runtime.StackFrame{Addr: addr, Func: fn, Module: module}
}

// TestBuild: two maps give two sample types; a sample's locations are its
// kernel frames, then its user frames, innermost first, whatever the order
// of the key's parts; frames shared by samples share locations and
// functions; the key's other parts are labels; the profile survives
// pprof's encoding.
func TestBuild(t *testing.T) {
	maps := []Map{
		{Name: "@", Unit: "count", Samples: []runtime.StackSample{
			{Key: []runtime.StackKeyPart{
				{IsStack: true, Stack: []runtime.StackFrame{uframe(0x401000, "main.loop", "/bin/prog"), uframe(0x401100, "main", "/bin/prog")}},
				{Value: output.StringValue("prog")},
				{IsStack: true, Stack: []runtime.StackFrame{kframe(0xffffffff81000010, "do_syscall_64"), {Addr: 0xffffffff81000020, Kernel: true, Module: runtime.KernelImage}}},
			}, Value: 7},
			{Key: []runtime.StackKeyPart{
				{IsStack: true, Stack: []runtime.StackFrame{uframe(0x401100, "main", "/bin/prog"), {Addr: 0x7fff0000}}},
				{Value: output.StringValue("prog2")},
				{IsStack: true},
			}, Value: 3},
		}},
		{Name: "@bytes", Unit: "", Samples: []runtime.StackSample{
			{Key: []runtime.StackKeyPart{{IsStack: true, Stack: []runtime.StackFrame{kframe(0xffffffff81000010, "do_syscall_64")}}}, Value: 4096},
		}},
	}
	var buf bytes.Buffer
	if err := Build(maps).Write(&buf); err != nil {
		t.Fatal(err)
	}
	p, err := profile.Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.CheckValid(); err != nil {
		t.Fatal(err)
	}
	if got := p.SampleType; len(got) != 2 || got[0].Type != "@" || got[0].Unit != "count" || got[1].Type != "@bytes" || got[1].Unit != "" {
		t.Fatalf("sample types %v", got)
	}
	if p.DefaultSampleType != "@" {
		t.Errorf("default sample type %q", p.DefaultSampleType)
	}
	if len(p.Sample) != 3 {
		t.Fatalf("%d samples, want 3", len(p.Sample))
	}
	want := []struct {
		values []int64
		frames string
		label  string
	}{
		{[]int64{7, 0}, "do_syscall_64 0xffffffff81000020 main.loop main", "prog"},
		{[]int64{3, 0}, "main 0x7fff0000", "prog2"},
		{[]int64{0, 4096}, "do_syscall_64", ""},
	}
	for i, s := range p.Sample {
		w := want[i]
		var frames []string
		for _, l := range s.Location {
			if len(l.Line) > 0 {
				frames = append(frames, l.Line[0].Function.Name)
			} else {
				frames = append(frames, fmt.Sprintf("%#x", l.Address))
			}
		}
		if got := strings.Join(frames, " "); got != w.frames {
			t.Errorf("sample %d: frames %q, want %q", i, got, w.frames)
		}
		if s.Value[0] != w.values[0] || s.Value[1] != w.values[1] {
			t.Errorf("sample %d: values %v, want %v", i, s.Value, w.values)
		}
		if got := strings.Join(s.Label["key1"], ","); got != w.label {
			t.Errorf("sample %d: label key1 %q, want %q", i, got, w.label)
		}
	}
	// do_syscall_64 is one function, at one location, in the kernel's mapping.
	if n := len(p.Function); n != 3 {
		t.Errorf("%d functions, want 3 (do_syscall_64, main.loop, main)", n)
	}
	if n := len(p.Location); n != 5 {
		t.Errorf("%d locations, want 5", n)
	}
	var files []string
	for _, m := range p.Mapping {
		files = append(files, m.File)
		if !m.HasFunctions {
			t.Errorf("mapping %s: HasFunctions is false: pprof would symbolize again", m.File)
		}
	}
	if got := strings.Join(files, " "); got != "[kernel.kallsyms] /bin/prog" {
		t.Errorf("mappings %q", got)
	}
}
