package object

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"

	"github.com/hawktrace/hawk/codegen"
)

// TestSectionDefs checks every prefix hawk may write against cilium/ebpf's
// reader: it must infer the program type, attach type, flags and attach
// target the program has.
func TestSectionDefs(t *testing.T) {
	for _, d := range secDefs {
		t.Run(d.prefix, func(t *testing.T) {
			p := &ebpf.ProgramSpec{Name: "p", Type: d.typ, AttachType: d.attach, Flags: d.flags, License: "GPL",
				Instructions: asm.Instructions{asm.Mov.Imm(asm.R0, 0), asm.Return()}}
			if d.target {
				p.AttachTo = "vfs_read"
			}
			spec := &ebpf.CollectionSpec{Programs: map[string]*ebpf.ProgramSpec{"p": p}}
			var b bytes.Buffer
			if err := Write(&b, &codegen.Output{Spec: spec, Manifest: &codegen.Manifest{}}); err != nil {
				t.Fatal(err)
			}
			got, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(b.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			g := got.Programs["p"]
			if g.Type != p.Type || g.AttachType != p.AttachType || g.Flags != p.Flags || g.AttachTo != p.AttachTo {
				t.Errorf("section %q reads as %s/%s/%#x/%q, want %s/%s/%#x/%q", g.SectionName,
					g.Type, g.AttachType, g.Flags, g.AttachTo, p.Type, p.AttachType, p.Flags, p.AttachTo)
			}
		})
	}
}

func TestSectionName(t *testing.T) {
	kprobe := &ebpf.ProgramSpec{Name: "p", Type: ebpf.Kprobe}
	for kind, want := range map[string]string{"kprobe": "kprobe", "uprobe": "uprobe", "uretprobe": "uretprobe", "usdt": "usdt", "BEGIN": "kprobe", "": "kprobe"} {
		if got, err := sectionName(kprobe, kind); err != nil || got != want {
			t.Errorf("kind %q: %q %v, want %q", kind, got, err, want)
		}
	}
	fentry := &ebpf.ProgramSpec{Name: "p", Type: ebpf.Tracing, AttachType: ebpf.AttachTraceFEntry, AttachTo: "vfs_read"}
	if got, err := sectionName(fentry, "fentry"); err != nil || got != "fentry/vfs_read" {
		t.Errorf("fentry: %q %v", got, err)
	}
	perf := &ebpf.ProgramSpec{Name: "p", Type: ebpf.PerfEvent, AttachTo: "x"}
	if _, err := sectionName(perf, "profile"); err == nil || !strings.Contains(err.Error(), `a "perf_event" section cannot carry the attach target "x"`) {
		t.Errorf("perf_event with a target: %v", err)
	}
}

// TestHandMadeSpec covers what codegen does not emit today: a bpf-to-bpf
// call, maps with BTF key and value types, flags and pinning, a data
// section map with contents read by value.
func TestHandMadeSpec(t *testing.T) {
	key := &btf.Int{Name: "u32", Size: 4}
	value := &btf.Struct{Name: "val", Size: 8, Members: []btf.Member{{Name: "n", Type: &btf.Int{Name: "u64", Size: 8}}}}
	proto := &btf.FuncProto{Return: &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}}
	insns := asm.Instructions{
		btf.WithFuncMetadata(asm.Mov.Imm(asm.R0, 0), &btf.Func{Name: "main", Type: proto, Linkage: btf.GlobalFunc}),
		asm.LoadMapPtr(asm.R1, 0).WithReference("counts"),
		asm.LoadMapValue(asm.R2, 0, 4).WithReference(".data.cfg"),
		asm.Call.Label("helper"),
		asm.JEq.Imm(asm.R0, 0, "out"),
		asm.Mov.Imm(asm.R0, 1),
		asm.Return().WithSymbol("out"),
		btf.WithFuncMetadata(asm.Mov.Imm(asm.R0, 2), &btf.Func{Name: "helper", Type: proto, Linkage: btf.StaticFunc}).WithSymbol("helper"),
		asm.Return(),
	}
	spec := &ebpf.CollectionSpec{
		Programs: map[string]*ebpf.ProgramSpec{"main": {Name: "main", Type: ebpf.Kprobe, License: "Dual MIT/GPL", KernelVersion: 0x60100, Instructions: insns}},
		Maps: map[string]*ebpf.MapSpec{
			"counts": {Name: "counts", Type: ebpf.Hash, KeySize: 4, ValueSize: 8, MaxEntries: 16, Flags: 1, Pinning: ebpf.PinByName, Key: key, Value: value},
			".data.cfg": {Name: ".data.cfg", Type: ebpf.Array, KeySize: 4, ValueSize: 8, MaxEntries: 1,
				Contents: []ebpf.MapKV{{Key: uint32(0), Value: []byte{1, 2, 3, 4, 5, 6, 7, 8}}}},
		},
	}
	var b bytes.Buffer
	if err := Write(&b, &codegen.Output{Spec: spec, Manifest: &codegen.Manifest{}}); err != nil {
		t.Fatal(err)
	}
	out, err := Read(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	got := out.Spec.Programs["main"]
	if fmt.Sprint(got.Instructions) != fmt.Sprint(insns) || got.License != "Dual MIT/GPL" || got.KernelVersion != 0x60100 {
		t.Errorf("program:\n%v\nwant\n%v", got.Instructions, insns)
	}
	for i, ins := range got.Instructions {
		if ins.Symbol() != insns[i].Symbol() || ins.Reference() != insns[i].Reference() {
			t.Errorf("instruction %d: symbol %q reference %q, want %q %q", i, ins.Symbol(), ins.Reference(), insns[i].Symbol(), insns[i].Reference())
		}
	}
	m := out.Spec.Maps["counts"]
	if m.Type != ebpf.Hash || m.KeySize != 4 || m.ValueSize != 8 || m.MaxEntries != 16 || m.Flags != 1 || m.Pinning != ebpf.PinByName ||
		fmt.Sprint(m.Key) != fmt.Sprint(key) || fmt.Sprint(m.Value) != fmt.Sprint(value) {
		t.Errorf("map counts: %+v", m)
	}
	if d := out.Spec.Maps[".data.cfg"]; d == nil || !reflect.DeepEqual(d.Contents, spec.Maps[".data.cfg"].Contents) || d.Flags != 0 {
		t.Errorf("map .data.cfg: %+v", d)
	}
}
