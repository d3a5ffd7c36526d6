package object_test

import (
	"bytes"
	"os"
	"path/filepath"
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
		roundTrip(t, out)
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
