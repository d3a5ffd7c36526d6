package object_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/codegen/object"
	"github.com/hawktrace/hawk/internal/testenv"
	"github.com/hawktrace/hawk/lang"
)

// scripts cover what codegen emits: printf, strings, each kind of
// aggregation, stacks, tracepoint fields, BEGIN and END, intervals, loops
// (bpf_loop and for_each_map_elem callbacks, nested), several programs in
// one section, programs with attach targets (fentry), and types that refer
// to themselves.
var scripts = map[string]string{
	"kfunc":  `interval:ms:10 { printf("%s\n", comm(2)); @[comm(1)] = count(); }`,
	"printf": `BEGIN { printf("hi %s %d %s\n", comm, 42, "lit"); @name[comm] = "x"; @n = 1; exit(); }`,
	"aggregations": `kprobe:vfs_read { @c = count(); @h = hist(arg2); @l[comm] = lhist(arg2, 0, 1000, 100);
		@s = stats(arg2); @sum[pid] = sum(arg2); @a = avg(arg2); @mn = min(arg2); @mx = max(arg2); }
		kretprobe:vfs_read { @r = sum(retval); }`,
	"stacks":     `tracepoint:sched:sched_switch { @[kstack] = count(); @k[kstack(5)] = count(); @u[ustack] = count(); }`,
	"tracepoint": `tracepoint:syscalls:sys_enter_openat { printf("%s %d\n", str(args.filename), args.dfd); @f[str(args.filename)] = count(); }`,
	"begin_end_interval": `BEGIN { @start = nsecs; printf("start\n"); } interval:s:1 { @ticks = count(); exit(); }
		END { print(@ticks); clear(@start); time("%H:%M\n"); }`,
	// BEGIN and END blocks that run in user space, with no program.
	"user_space": `BEGIN { printf("hi %d\n", 2); exit(3); } interval:s:1 { @c = count(); } END { print(@c, 3); clear(@c); }`,
	"loops": `BEGIN { $i = 0; while ($i < 5) { $i++; $j = 0; while ($j < 2) { $j++; } if ($i == 3) { break; } }
		@m[1] = 2; @m[2] = 3; for ($kv : @m) { printf("%d %d\n", $kv.0, $kv.1); } }`,
	"shared_section": `tracepoint:syscalls:sys_enter_openat, tracepoint:syscalls:sys_enter_read { @[probe] = count(); }
		tracepoint:sched:sched_switch { @s = count(); }`,
	"attach_targets": `fentry:vfs_read { @[comm] = count(); } fexit:vfs_read { @r = sum(retval); }
		profile:hz:99 { @p = count(); }`,
	"self_struct": `struct Node { struct Node *next; int v; }
		BEGIN { $n = (struct Node *)curtask; @v = $n->next->v; print(*$n); }`,
	// Strings, script lines and a file name that are not UTF-8.
	"bytes\xdc": "BEGIN { printf(\"a\xdcb \\xdc %s\\n\", \"c\xffd\"); @m[\"k\\xfe\xe2\x82\"] = 1; time(\"t\xdc\\n\"); }\n" +
		"interval:s:1 { print(\"p\xed\xa0\x80\"); printf(\"%X\xdc0\\n\", (0)); }",
}

func compile(t testing.TB, name, text string) *codegen.Output {
	t.Helper()
	s, err := hawk.Compile(lang.NewSource(name+".bt", text), hawk.Config{Env: testenv.Env{}})
	if err != nil {
		t.Fatalf("compile %s: %v", name, err)
	}
	return s.Out
}

func write(t *testing.T, out *codegen.Output) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := object.Write(&b, out); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// roundTrip writes out and reads it back, and checks that writing left
// out as it was and that the same programs, maps, manifest and listing
// came back.
func roundTrip(t *testing.T, out *codegen.Output) {
	t.Helper()
	var listing strings.Builder
	codegen.Fprint(&listing, out)
	data := write(t, out)
	var after strings.Builder
	codegen.Fprint(&after, out)
	if after.String() != listing.String() {
		t.Fatal("Write changed the compiled script")
	}
	got, err := object.Read(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	compareSpecs(t, out.Spec, got.Spec)
	// A type read back lacks what lang works out again from its exported
	// fields (derived: a tuple's alignment and member count).
	if diff := cmp.Diff(out.Manifest, got.Manifest, cmpopts.IgnoreUnexported(lang.Type{})); diff != "" {
		t.Errorf("manifests differ (-compiled +read back):\n%s", diff)
	}
	var back strings.Builder
	codegen.Fprint(&back, got)
	if back.String() != listing.String() {
		t.Errorf("listings differ:\n%s\n---- read back:\n%s", listing.String(), back.String())
	}
}

func TestRoundTrip(t *testing.T) {
	for name, text := range scripts {
		t.Run(name, func(t *testing.T) {
			out := compile(t, name, text)
			roundTrip(t, out)
		})
	}
}

// compareSpecs compares what codegen sets in a collection.
func compareSpecs(t *testing.T, want, got *ebpf.CollectionSpec) {
	t.Helper()
	if w, g := keys(want.Programs), keys(got.Programs); !reflect.DeepEqual(w, g) {
		t.Fatalf("programs %v, want %v", g, w)
	}
	for name, wp := range want.Programs {
		gp := got.Programs[name]
		if gp.Name != wp.Name || gp.Type != wp.Type || gp.AttachType != wp.AttachType || gp.AttachTo != wp.AttachTo ||
			gp.Flags != wp.Flags || gp.License != wp.License || gp.KernelVersion != wp.KernelVersion {
			t.Errorf("program %s: got %+v, want %+v", name, gp, wp)
		}
		if len(gp.Instructions) != len(wp.Instructions) {
			t.Errorf("program %s: %d instructions, want %d", name, len(gp.Instructions), len(wp.Instructions))
			continue
		}
		for i, w := range wp.Instructions {
			g := gp.Instructions[i]
			if fmt.Sprint(g) != fmt.Sprint(w) || g.Symbol() != w.Symbol() || g.Reference() != w.Reference() ||
				fmt.Sprint(g.Source()) != fmt.Sprint(w.Source()) || funcName(g) != funcName(w) {
				t.Errorf("program %s: instruction %d: got %v (symbol %q, reference %q, source %v, func %s), want %v (symbol %q, reference %q, source %v, func %s)",
					name, i, g, g.Symbol(), g.Reference(), g.Source(), funcName(g), w, w.Symbol(), w.Reference(), w.Source(), funcName(w))
			}
		}
		if wb, gb := marshal(t, wp.Instructions), marshal(t, gp.Instructions); !bytes.Equal(wb, gb) {
			t.Errorf("program %s: bytecode differs", name)
		}
	}
	if w, g := keys(want.Maps), keys(got.Maps); !reflect.DeepEqual(w, g) {
		t.Fatalf("maps %v, want %v", g, w)
	}
	for name, wm := range want.Maps {
		gm := got.Maps[name]
		if gm.Name != wm.Name || gm.Type != wm.Type || gm.KeySize != wm.KeySize || gm.ValueSize != wm.ValueSize ||
			gm.MaxEntries != wm.MaxEntries || gm.Flags != wm.Flags || gm.Key != nil || gm.Value != nil {
			t.Errorf("map %s: got %s %v, want %s %v", name, gm.Name, gm, wm.Name, wm)
		}
		if !reflect.DeepEqual(gm.Contents, wm.Contents) {
			t.Errorf("map %s: contents %v, want %v", name, gm.Contents, wm.Contents)
		}
	}
}

func funcName(ins asm.Instruction) string {
	if f := btf.FuncMetadata(&ins); f != nil {
		return fmt.Sprintf("%s %v", f.Name, f.Linkage)
	}
	return ""
}

// marshal encodes a program the way loading it does, references resolved.
func marshal(t *testing.T, insns asm.Instructions) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := slices.Clone(insns).Marshal(&b, binary.LittleEndian); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func keys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// TestCiliumLoads reads each object with cilium/ebpf's own reader, which is
// what "loadable" means, and checks what it infers from the sections.
func TestCiliumLoads(t *testing.T) {
	for name, text := range scripts {
		t.Run(name, func(t *testing.T) {
			out := compile(t, name, text)
			file := filepath.Join(t.TempDir(), name+".o")
			if err := os.WriteFile(file, write(t, out), 0o644); err != nil {
				t.Fatal(err)
			}
			spec, err := ebpf.LoadCollectionSpec(file)
			if err != nil {
				t.Fatal(err)
			}
			for pname, p := range out.Spec.Programs {
				got := spec.Programs[pname]
				if got == nil {
					t.Fatalf("no program %s", pname)
				}
				if got.Type != p.Type || got.AttachType != p.AttachType || got.AttachTo != p.AttachTo {
					t.Errorf("program %s in section %s: %s/%s/%q, want %s/%s/%q", pname, got.SectionName,
						got.Type, got.AttachType, got.AttachTo, p.Type, p.AttachType, p.AttachTo)
				}
			}
			// Every map is there under cilium/ebpf's own names.
			for mname := range out.Spec.Maps {
				if spec.Maps[mname] == nil && spec.Maps[".data."+mname] == nil && spec.Maps[".rodata."+mname] == nil {
					t.Errorf("no map %s among %v", mname, keys(spec.Maps))
				}
			}
		})
	}
}

// TestSectionNames pins the section each probe kind's programs go into.
func TestSectionNames(t *testing.T) {
	out := compile(t, "kinds", `BEGIN { @b = 1; } END { @e = 1; } interval:s:1 {} tracepoint:sched:sched_switch {} kprobe:vfs_read {} kretprobe:vfs_read {}`)
	spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(write(t, out)))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"BEGIN": "raw_tracepoint", "END": "raw_tracepoint", "interval": "perf_event", "tracepoint": "tracepoint",
		"kprobe": "kprobe", "kretprobe": "kretprobe",
	}
	for _, p := range out.Manifest.Programs {
		if got := spec.Programs[p.Name].SectionName; got != want[p.Kind.String()] {
			t.Errorf("%s: section %q, want %q", p.Text, got, want[p.Kind.String()])
		}
	}
}

// TestDeterministic: the same script gives the same bytes.
func TestDeterministic(t *testing.T) {
	a := write(t, compile(t, "loops", scripts["loops"]))
	b := write(t, compile(t, "loops", scripts["loops"]))
	if !bytes.Equal(a, b) {
		t.Error("two objects of the same script differ")
	}
}

func TestIsObject(t *testing.T) {
	data := write(t, compile(t, "printf", scripts["printf"]))
	if !object.IsObject(data[:16]) {
		t.Error("an object is not an object")
	}
	for _, head := range []string{"", "\x7fEL", "BEGIN { }", "#!/usr/bin/env hawk\n"} {
		if object.IsObject([]byte(head)) {
			t.Errorf("%q is an object", head)
		}
	}
}

// TestReadErrors: files that are not hawk objects, or no longer whole, give
// errors that say so.
func TestReadErrors(t *testing.T) {
	data := write(t, compile(t, "printf", scripts["printf"]))
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	exe, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	patch := func(old, new string) []byte {
		if !bytes.Contains(data, []byte(old)) {
			t.Fatalf("no %q in the object", old)
		}
		return bytes.Replace(data, []byte(old), []byte(new), 1)
	}
	schema := object.SchemaID()

	tests := []struct {
		name   string
		data   []byte
		notObj bool
		want   string
	}{
		{"script", []byte("BEGIN { exit(); }\n"), true, "not an ELF file"},
		{"empty", nil, true, "not an ELF file"},
		{"executable", exe, true, "not a little-endian 64-bit BPF object"},
		{"bpf without manifest", patch("hawk.manifest", "hawk.manifesX"), true, "without a hawk.manifest section"},
		{"newer format", patch("hawk-manifest 4\n", "hawk-manifest 5\n"), false, `the object is in format "5", but this hawk reads format 4`},
		{"older format", patch("hawk-manifest 4\n", "hawk-manifest 3\n"), false, `the object is in format "3", but this hawk reads format 4: compile the script again`},
		{"other schema", patch(schema[:16], "0123456789abcdef"), false, "whose manifest differs from this hawk's"},
		// ProbeKind 1 and its name, as the manifest writes an enum.
		{"renumbered enum", patch("\x02\x05BEGIN", "\x02\x05Begin"), false, `lang.ProbeKind 1 is "BEGIN" to this hawk but was "Begin"`},
	}
	for _, cut := range []int{10, 64, 100, len(data) / 2, len(data) - 64, len(data) - 1} {
		tests = append(tests, struct {
			name   string
			data   []byte
			notObj bool
			want   string
		}{fmt.Sprintf("truncated to %d", cut), data[:cut], false, "reading object: truncated or corrupt ELF file"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := object.Read(bytes.NewReader(tt.data))
			if err == nil {
				t.Fatal("no error")
			}
			if errors.Is(err, object.ErrNotObject) != tt.notObj {
				t.Errorf("errors.Is(ErrNotObject) = %v: %v", !tt.notObj, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
		})
	}
}

// TestReadCorrupt changes bytes all over an object: Read must return,
// with an error or with whatever the changed object says, and not crash.
func TestReadCorrupt(t *testing.T) {
	data := write(t, compile(t, "loops", scripts["loops"]))
	for i := 0; i < len(data); i += 3 {
		bad := slices.Clone(data)
		bad[i] ^= 0xa5
		object.Read(bytes.NewReader(bad))
	}
	btfAt := bytes.Index(data, []byte{0x9f, 0xeb, 1})
	bad := slices.Clone(data)
	bad[btfAt] = 0
	if _, err := object.Read(bytes.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "load BTF") {
		t.Errorf("corrupt BTF: %v", err)
	}
}

// TestWriteErrors: what an object cannot express is refused with the
// program or map named.
func TestWriteErrors(t *testing.T) {
	base := compile(t, "printf", scripts["printf"])
	tests := []struct {
		name   string
		change func(*ebpf.CollectionSpec)
		want   string
	}{
		{"value and map loads", func(s *ebpf.CollectionSpec) {
			p := s.Programs["hawk_begin0"]
			p.Instructions = append(asm.Instructions{asm.LoadMapPtr(asm.R1, 0).WithReference("hawk_lost")}, p.Instructions...)
		}, "map hawk_lost: programs load it both as a map and as a value"},
		{"missing map", func(s *ebpf.CollectionSpec) { delete(s.Maps, "hawk_events") }, "no map hawk_events"},
		{"contents", func(s *ebpf.CollectionSpec) {
			s.Maps["hawk_events"].Contents = []ebpf.MapKV{{Key: uint32(0), Value: uint32(1)}}
		}, "map hawk_events: initial contents"},
		{"licenses", func(s *ebpf.CollectionSpec) {
			s.Programs["x"] = &ebpf.ProgramSpec{Name: "x", Type: ebpf.Kprobe, License: "MIT",
				Instructions: asm.Instructions{asm.Mov.Imm(asm.R0, 0), asm.Return()}}
		}, "different licenses"},
		{"program type", func(s *ebpf.CollectionSpec) { s.Programs["hawk_begin0"].Type = ebpf.SocketFilter }, "program hawk_begin0: no ELF section name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := base.Spec.Copy()
			tt.change(spec)
			err := object.Write(&bytes.Buffer{}, &codegen.Output{Spec: spec, Manifest: base.Manifest})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}
