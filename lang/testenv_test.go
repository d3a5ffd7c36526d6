package lang

import (
	"errors"
	"os"
	"path/filepath"
)

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
