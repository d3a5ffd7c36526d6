package object_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/codegen/object"
	"github.com/hawktrace/hawk/internal/testenv"
	"github.com/hawktrace/hawk/lang"
)

// fuzzSeeds are the test scripts of lang and codegen, the examples, and
// this package's scripts.
func fuzzSeeds(f *testing.F) []string {
	var texts []string
	for _, pattern := range []string{"../../lang/testdata/*/*.bt", "../testdata/*.bt", "../../examples/*.bt"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			text, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			texts = append(texts, string(text))
		}
	}
	for _, text := range scripts {
		texts = append(texts, text)
	}
	return texts
}

// FuzzRoundTrip takes arbitrary text through the whole compiler: parse,
// check, generate, write as an ELF object, read back. Whatever the checker
// accepts must compile without an internal error, be written without
// error, and read back as the same programs, instructions, maps and
// manifest.
func FuzzRoundTrip(f *testing.F) {
	for _, text := range fuzzSeeds(f) {
		f.Add(text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		prog, err := lang.Parse(lang.NewSource("fuzz.bt", text))
		if err != nil {
			return
		}
		info, err := lang.Check(prog, testenv.Env{}, lang.Config{Params: []string{"1", "x"}, Unsafe: true})
		if err != nil {
			return
		}
		out, err := codegen.Generate(prog, info, codegen.Options{})
		if err != nil {
			if strings.Contains(err.Error(), "internal") {
				t.Fatalf("generate: %v", err)
			}
			return
		}
		var listing strings.Builder
		codegen.Fprint(&listing, out)
		var data bytes.Buffer
		if err := object.Write(&data, out); err != nil {
			t.Fatalf("write: %v", err)
		}
		var after strings.Builder
		codegen.Fprint(&after, out)
		if after.String() != listing.String() {
			t.Fatal("Write changed the compiled script")
		}
		got, err := object.Read(bytes.NewReader(data.Bytes()))
		if err != nil {
			t.Fatalf("read back: %v", err)
		}
		compareSpecs(t, out.Spec, got.Spec)
		if !reflect.DeepEqual(out.Manifest, got.Manifest) {
			t.Errorf("manifests differ:\n%+v\n%+v", out.Manifest, got.Manifest)
		}
		var back strings.Builder
		codegen.Fprint(&back, got)
		if back.String() != listing.String() {
			t.Errorf("listings differ:\n%s\n---- read back:\n%s", listing.String(), back.String())
		}
	})
}

// compileSeed compiles one of the package's scripts.
func compileSeed(name, text string) (*codegen.Output, error) {
	s, err := hawk.Compile(lang.NewSource(name+".bt", text), hawk.Config{Env: testenv.Env{}})
	if err != nil {
		return nil, err
	}
	return s.Out, nil
}

// FuzzRead reads arbitrary bytes as an object, as `hawk file.o` does with
// whatever file it is given: Read returns an error or an output, and never
// panics. The seeds are whole objects, so that mutations reach past the
// ELF header into the sections, the BTF and the manifest; small ones, as
// the fuzzer minimizes each new input it keeps, which takes long for large
// ones.
func FuzzRead(f *testing.F) {
	for name, text := range map[string]string{
		"exit":   `BEGIN { exit(); }`,
		"printf": `BEGIN { printf("%s %d\n", comm, 1); @m[1] = 2; }`,
		"loops":  `BEGIN { @m[1] = 2; for ($kv : @m) { printf("%d\n", $kv.1); } }`,
	} {
		s, err := compileSeed(name, text)
		if err != nil {
			f.Fatal(err)
		}
		var data bytes.Buffer
		if err := object.Write(&data, s); err != nil {
			f.Fatal(err)
		}
		f.Add(data.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := object.Read(bytes.NewReader(data))
		if err == nil && (out == nil || out.Spec == nil) {
			t.Fatal("no error and no output")
		}
	})
}
