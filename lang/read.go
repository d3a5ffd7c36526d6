package lang

import (
	"fmt"
	"io"
	"os"
)

// MaxScriptSize is the most hawk reads of a script: 16 MiB, for the
// script given and for each file it imports. Real scripts are a few
// kilobytes; a larger text is a mistake (a device, a pipe that never
// ends, a binary), and hawk reads no more of it than this.
const MaxScriptSize = 16 << 20

// ReadScript reads a script named name from r, through a limit: a text
// longer than MaxScriptSize is an error, found after reading
// MaxScriptSize+1 bytes, however long r would go on. Errors name the
// script.
func ReadScript(name string, r io.Reader) (*Source, error) {
	text, err := io.ReadAll(io.LimitReader(r, MaxScriptSize+1))
	if err != nil {
		if _, named := err.(*os.PathError); named {
			return nil, err
		}
		return nil, fmt.Errorf("reading %s: %w", describeName(name), err)
	}
	if len(text) > MaxScriptSize {
		return nil, fmt.Errorf("%s is larger than %d MiB, the most hawk reads of a script", describeName(name), MaxScriptSize>>20)
	}
	return NewSource(name, string(text)), nil
}

// ReadScriptFile reads the script in the file path (a path, a device or a
// pipe) through ReadScript's limit; the source is named path.
func ReadScriptFile(path string) (*Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadScript(path, f) // a read error names the file already
}

// describeName says which script a source name is.
func describeName(name string) string {
	switch name {
	case "stdin":
		return "the program on stdin"
	case "-e":
		return "the program given with -e"
	}
	return name
}
