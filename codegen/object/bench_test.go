package object_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/codegen/object"
)

// benchScript has many printf calls, maps and probes: a manifest the size
// of a long tool's.
func benchScript() string {
	var b strings.Builder
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&b, "tracepoint:syscalls:sys_enter_openat /pid == %d/ { printf(\"%%s %%d open %d\\n\", str(args.filename), args.dfd); @m%d[comm, pid] = count(); @h%d = hist(args.flags); }\n", i, i, i, i)
	}
	return b.String()
}

func BenchmarkManifestEncode(b *testing.B) {
	out := compile(b, "bench", benchScript())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := object.EncodeManifest(out.Manifest); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkManifestDecode(b *testing.B) {
	out := compile(b, "bench", benchScript())
	data, err := object.EncodeManifest(out.Manifest)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := object.DecodeManifest(data); err != nil {
			b.Fatal(err)
		}
	}
}
