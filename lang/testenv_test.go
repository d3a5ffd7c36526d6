package lang

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
)

var update = flag.Bool("update", false, "rewrite golden files with the current output")

// testEnv reads tracepoint formats from internal/testenv/formats/CATEGORY/NAME,
// copied from a real kernel's tracefs.
type testEnv struct{}

func (testEnv) TracepointFormat(category, name string) (*TracepointFormat, error) {
	text, err := os.ReadFile(filepath.Join("..", "internal", "testenv", "formats", category, name))
	if errors.Is(err, os.ErrNotExist) {
		return nil, errors.New("tracepoint " + category + ":" + name + " not found")
	}
	if err != nil {
		return nil, err
	}
	return ParseTracepointFormat(category, name, string(text))
}

// golden compares got with the file at path, or rewrites it with -update.
func golden(path, got string) (want string, err error) {
	if *update {
		return got, os.WriteFile(path, []byte(got), 0o644)
	}
	b, err := os.ReadFile(path)
	return string(b), err
}
