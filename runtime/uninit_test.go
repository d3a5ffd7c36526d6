package runtime_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/ringbuf"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
	"github.com/hawktrace/hawk/runtime/kernel"
)

// anyString stands for a string whose text depends on the machine: it
// must end within its buffer, with nothing but zeros after the NUL.
type anyString struct{}

// entry is a map entry a script leaves: key and value as match takes them
// (a multi-part key as a []any of its parts).
type entry struct{ key, value any }

// uninitCases read variables, buffers and padding nothing wrote, or write
// strings shorter than buffers that held longer ones.
var uninitCases = []struct {
	name, script string
	// records are what each run sends: a print's value, or a printf's
	// arguments that are not constants ([]any); first on the first run,
	// when it differs.
	records, first []any
	maps           map[string][]entry
	out            string // what a run through hawk's runtime prints
}{
	{
		name:    "string variable never assigned (the reproducer)",
		script:  `BEGIN { if (0) { $x = "hello"; } print(($x)); }`,
		records: []any{""},
		out:     "\n\n\n",
	},
	{
		name: "variable in the scratch area, assigned on the first run only",
		script: `BEGIN { let $s: string[200]; if (@n == 0) { $s = "first run only"; } @n = 1; print($s);
			if (0) { $t = ((int8)1, "a string that makes the tuple too big for the stack"); } print($t); }`,
		first:   []any{"first run only", []any{0, ""}},
		records: []any{"", []any{0, ""}},
		maps:    map[string][]entry{"@n": {{nil, 1}}},
		out:     "first run only\n(0, )\n\n\n@n: 1\n",
	},
	{
		name: "tuple with padding printed, as key and as value",
		script: `BEGIN { $t = (1, "ab", (int8)3); print($t); @k[$t] = 1; $p = ((int8)1, "ab", (int64)3); print($p); @p[$p] = $p;
			print(((int8)2, "cd", (int64)4)); @w[((int8)5, "e", (int64)6)] = ((int8)7, "f", (int64)8);
			if (0) { $z = ((int8)1, "ab", (int64)3); $y = (1, "ab", (int8)3); } print($z); @z[$z] = $z; print($y); @y[$y] = $y;
			$s = ((int8)1, "abcd", (int64)3); $s = ((int8)1, "ab", (int64)3); @s[$s] = 1; }`,
		records: []any{[]any{1, "ab", 3}, []any{1, "ab", 3}, []any{2, "cd", 4}, []any{0, "", 0}, []any{0, "", 0}},
		maps: map[string][]entry{
			"@k": {{[]any{1, "ab", 3}, 1}},
			"@p": {{[]any{1, "ab", 3}, []any{1, "ab", 3}}},
			"@w": {{[]any{5, "e", 6}, []any{7, "f", 8}}},
			"@z": {{[]any{0, "", 0}, []any{0, "", 0}}},
			"@y": {{[]any{0, "", 0}, []any{0, "", 0}}},
			"@s": {{[]any{1, "ab", 3}, 1}},
		},
		out: "(1, ab, 3)\n(1, ab, 3)\n(2, cd, 4)\n(0, , 0)\n(0, , 0)\n\n\n@k[1, ab, 3]: 1\n@p[1, ab, 3]: (1, ab, 3)\n" +
			"@s[1, ab, 3]: 1\n@w[5, e, 6]: (7, f, 8)\n@y[0, , 0]: (0, , 0)\n@z[0, , 0]: (0, , 0)\n",
	},
	{
		name: "record with padding, and one never assigned",
		script: `BEGIN { $r = (a = (int8)1, b = "xyz", c = (int64)7); print($r); @r[$r] = $r;
			if (0) { $q = (a = (int8)1, b = "xyz", c = (int8)7); } print($q); }`,
		records: []any{[]any{1, "xyz", 7}, []any{0, "", 0}},
		maps:    map[string][]entry{"@r": {{[]any{1, "xyz", 7}, []any{1, "xyz", 7}}}},
		out:     "{ .a = 1, .b = xyz, .c = 7 }\n{ .a = 0, .b = , .c = 0 }\n\n\n@r[{ .a = 1, .b = xyz, .c = 7 }]: { .a = 1, .b = xyz, .c = 7 }\n",
	},
	{
		name:    "printf of a string variable never assigned",
		script:  `BEGIN { if (0) { $s = "hello"; } $k = 7; printf("[%s] %d [%s]\n", $s, $k, (string[3])$s); }`,
		records: []any{[]any{"", 7, ""}},
		out:     "[] 7 []\n\n\n",
	},
	{
		name: "map value strings shorter than their buffers",
		script: `BEGIN { @m = "abcdefgh"; @m = "ab"; $v = (uint64)curtask->nsproxy->uts_ns + offsetof(struct uts_namespace, name.version);
			@b = str($v); @b = str(&curtask->comm); @c[1] = comm; @c[1] = "x"; }`,
		maps: map[string][]entry{"@m": {{nil, "ab"}}, "@b": {{nil, anyString{}}}, "@c": {{1, "x"}}},
	},
	{
		name: "str() of a short string into a key and a record after a long one",
		script: `BEGIN { $v = (uint64)curtask->nsproxy->uts_ns + offsetof(struct uts_namespace, name.version);
			@k[str($v)] = 1; @k[str(&curtask->comm)] = 2; printf("%s|%s\n", str($v), str(&curtask->comm)); }`,
		records: []any{[]any{anyString{}, anyString{}}},
		maps:    map[string][]entry{"@k": {{anyString{}, 1}, {anyString{}, 2}}},
	},
}

// dirty fills the ring buffer with records of 0xff bytes before each run
// of a case, so that a byte a program leaves shows.
const dirty = `BEGIN { $m = -1; printf("%d%d%d%d%d%d%d%d\n", $m, $m, $m, $m, $m, $m, $m, $m); }` + "\n"

// TestUninitialisedBytes runs each case 20 times on a small ring buffer
// that a program first fills with 0xff bytes, and checks every byte of
// every record and map entry it leaves: zero wherever the script wrote
// nothing. Then it runs each through hawk's runtime and checks what it
// prints.
func TestUninitialisedBytes(t *testing.T) {
	kerneltest.Require(t)
	env := &kernel.Env{}
	for _, tc := range uninitCases {
		t.Run(tc.name, func(t *testing.T) {
			out := compileFor(t, env, dirty+tc.script, codegen.Options{RingbufSize: 4096})
			coll, err := ebpf.NewCollection(out.Spec)
			if err != nil {
				t.Fatal(err)
			}
			defer coll.Close()
			rd, err := ringbuf.NewReader(coll.Maps[out.Manifest.RingbufMap])
			if err != nil {
				t.Fatal(err)
			}
			defer rd.Close()
			progs := out.Manifest.Programs
			for run := 0; run < 20; run++ {
				for range 60 {
					runBegin(t, coll, progs[0])
				}
				drain(t, rd)
				for _, p := range progs[1:] {
					runBegin(t, coll, p)
				}
				want := tc.records
				if run == 0 && tc.first != nil {
					want = tc.first
				}
				for i, w := range want {
					rec := readRecord(t, rd)
					if err := matchRecord(out.Manifest, rec, w); err != nil {
						t.Fatalf("run %d, record %d: %v\n% x", run, i, err, rec)
					}
				}
			}
			for name, entries := range tc.maps {
				checkMap(t, coll, out.Manifest, name, entries)
			}
			if tc.out == "" {
				return
			}
			// What the runtime makes of them.
			runOut := compileFor(t, env, tc.script, codegen.Options{})
			for range 20 {
				var stdout bytes.Buffer
				s, err := runtime.Load(runOut, runtime.Options{Stdout: &stdout, Stderr: io.Discard, Quiet: true})
				if err != nil {
					t.Fatal(err)
				}
				_, err = s.Run(context.Background())
				s.Close()
				if err != nil || stdout.String() != tc.out {
					t.Fatalf("printed %q (%v), want %q", stdout.String(), err, tc.out)
				}
			}
		})
	}
}

func compileFor(t *testing.T, env lang.Env, text string, opts codegen.Options) *codegen.Output {
	t.Helper()
	prog, err := lang.Parse(lang.NewSource("-e", text))
	if err != nil {
		t.Fatal(err)
	}
	info, err := lang.Check(prog, env, lang.Config{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := codegen.Generate(prog, info, opts)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func runBegin(t *testing.T, coll *ebpf.Collection, p *codegen.ProgramMeta) {
	t.Helper()
	if _, err := coll.Programs[p.Name].Run(&ebpf.RunOptions{}); err != nil {
		t.Fatalf("running %s: %v", p.Text, err)
	}
}

// drain reads every record waiting.
func drain(t *testing.T, rd *ringbuf.Reader) {
	t.Helper()
	rd.SetDeadline(time.Now())
	for {
		if _, err := rd.Read(); errors.Is(err, os.ErrDeadlineExceeded) {
			return
		} else if err != nil {
			t.Fatal(err)
		}
	}
}

func readRecord(t *testing.T, rd *ringbuf.Reader) []byte {
	t.Helper()
	rd.SetDeadline(time.Now().Add(time.Second))
	rec, err := rd.Read()
	if err != nil {
		t.Fatalf("reading a record: %v", err)
	}
	return rec.RawSample
}

// matchRecord checks a print or printf record against want.
func matchRecord(man *codegen.Manifest, rec []byte, want any) error {
	kind := binary.NativeEndian.Uint32(rec[codegen.EventKindOffset:])
	id := binary.NativeEndian.Uint32(rec[codegen.EventIDOffset:])
	payload := rec[codegen.EventHeaderSize:]
	switch kind {
	case codegen.EventPrintValue:
		t := man.Values[id]
		return match(t, payload, want)
	case codegen.EventPrintf:
		args := man.Printfs[id].Args
		if len(payload) != args.Size {
			return fmt.Errorf("printf record of %d bytes, want %d", len(payload), args.Size)
		}
		var parts []codegen.Part
		for _, p := range args.Parts {
			if p.Const == nil {
				parts = append(parts, p)
			}
		}
		return matchParts(parts, args.Size, true, payload, want.([]any))
	}
	return fmt.Errorf("record of kind %d", kind)
}

// matchParts checks parts at their offsets in b, and that the bytes
// between them are zero; printf's parts take whole 8-byte words.
func matchParts(parts []codegen.Part, size int, words bool, b []byte, want []any) error {
	if len(parts) != len(want) || len(b) != size {
		return fmt.Errorf("%d bytes of %d parts, want %d bytes of %d", len(b), len(parts), size, len(want))
	}
	covered := make([]bool, size)
	for i, p := range parts {
		n := width(p.Type)
		if err := match(p.Type, b[p.Offset:p.Offset+n], want[i]); err != nil {
			return fmt.Errorf("part %d: %w", i, err)
		}
		if words {
			n = (n + 7) &^ 7
		}
		for j := p.Offset; j < p.Offset+n && j < size; j++ {
			covered[j] = !words || j < p.Offset+width(p.Type)
		}
	}
	for j, c := range covered {
		if !c && b[j] != 0 {
			return fmt.Errorf("byte %d, which holds nothing, is %#x", j, b[j])
		}
	}
	return nil
}

// width is how many bytes a value of t takes in a map, key, record or
// as a member: scalars their size (8 alone), pointers 8.
func width(t *lang.Type) int {
	switch {
	case t.Kind == lang.KindInt || t.Kind == lang.KindBool:
		return t.Size
	case t.IsScalar():
		return 8
	case t.Kind == lang.KindBuffer:
		return 8 + t.Size
	}
	return t.Size
}

// match checks the bytes b of a value of type t: integers and strings
// equal to want, a string's bytes after its NUL zero, a tuple's or
// record's members and the padding between them zero.
func match(t *lang.Type, b []byte, want any) error {
	switch {
	case t.IsScalar():
		var got int64
		switch len(b) {
		case 1:
			got = int64(int8(b[0]))
		case 2:
			got = int64(int16(binary.NativeEndian.Uint16(b)))
		case 4:
			got = int64(int32(binary.NativeEndian.Uint32(b)))
		default:
			got = int64(binary.NativeEndian.Uint64(b))
		}
		if got != int64(want.(int)) {
			return fmt.Errorf("%d, want %d", got, want)
		}
	case t.Kind == lang.KindString:
		nul := bytes.IndexByte(b, 0)
		if nul < 0 {
			return fmt.Errorf("%q has no NUL", b)
		}
		if s, ok := want.(string); ok && string(b[:nul]) != s {
			return fmt.Errorf("%q, want %q", b[:nul], s)
		}
		if rest := b[nul:]; bytes.Count(rest, []byte{0}) != len(rest) {
			return fmt.Errorf("%q: bytes after the NUL", b)
		}
	case t.Kind == lang.KindTuple || t.Kind == lang.KindRecord:
		var parts []codegen.Part
		for _, f := range t.Fields {
			parts = append(parts, codegen.Part{Offset: f.Offset, Type: f.Type})
		}
		return matchParts(parts, t.Size, false, b, want.([]any))
	default:
		return fmt.Errorf("no check for %v", t)
	}
	return nil
}

// checkMap checks every entry of a map, raw, against entries (whose order
// does not matter).
func checkMap(t *testing.T, coll *ebpf.Collection, man *codegen.Manifest, name string, entries []entry) {
	t.Helper()
	var meta *codegen.MapMeta
	for _, m := range man.Maps {
		if m.Name == name {
			meta = m
		}
	}
	if meta == nil {
		t.Fatalf("no map %s", name)
	}
	m := coll.Maps[meta.SpecName]
	var key, value []byte
	it := m.Iterate()
	left := append([]entry(nil), entries...)
	for it.Next(&key, &value) {
		found := -1
		for i, e := range left {
			if (meta.Key == nil || matchKey(meta.Key, key, e.key) == nil) && match(meta.Value, value[:width(meta.Value)], e.value) == nil &&
				bytes.Count(value[width(meta.Value):], []byte{0}) == len(value)-width(meta.Value) {
				found = i
				break
			}
		}
		if found < 0 {
			var why []string
			for _, e := range left {
				if meta.Key != nil {
					if err := matchKey(meta.Key, key, e.key); err != nil {
						why = append(why, "key: "+err.Error())
						continue
					}
				}
				if err := match(meta.Value, value[:width(meta.Value)], e.value); err != nil {
					why = append(why, "value: "+err.Error())
				}
			}
			t.Fatalf("%s: unexpected entry\nkey % x\nvalue % x\n%s", name, key, value, strings.Join(why, "\n"))
		}
		left = append(left[:found], left[found+1:]...)
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		t.Fatalf("%s: missing %v", name, left)
	}
}

// matchKey checks a raw key: one part is the key; several lay out as a
// tuple of them.
func matchKey(l *codegen.Layout, b []byte, want any) error {
	if len(l.Parts) == 1 {
		if err := match(l.Parts[0].Type, b[:width(l.Parts[0].Type)], want); err != nil {
			return err
		}
		if rest := b[width(l.Parts[0].Type):]; bytes.Count(rest, []byte{0}) != len(rest) {
			return fmt.Errorf("% x: bytes after the key", b)
		}
		return nil
	}
	return matchParts(l.Parts, l.Size, false, b, want.([]any))
}
