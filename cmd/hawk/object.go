package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/codegen/object"
	"github.com/hawktrace/hawk/internal/outfile"
)

// writeObject writes a compiled script as an ELF object (--emit-elf),
// never over the files in keep (outfile.Create).
func writeObject(path string, out *codegen.Output, keep ...string) error {
	f, err := outfile.Create(path, 0o666, keep...)
	if err != nil {
		return err
	}
	if err := object.Write(f, out); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}

// readObject reads the script FILE names when it is an ELF object that
// --emit-elf wrote, or the one an executable that --aot wrote carries; it
// returns nil when FILE is a script.
func readObject(o *options) (*codegen.Output, error) {
	if o.embedded != nil {
		out, err := object.Read(bytes.NewReader(o.embedded))
		if err != nil {
			return nil, fmt.Errorf("reading the compiled program: %w", err)
		}
		return out, nil
	}
	if o.hasProg || o.file == "-" {
		return nil, nil
	}
	f, err := os.Open(o.file)
	if err != nil {
		return nil, nil // readSource reports it
	}
	defer f.Close()
	head := make([]byte, 64)
	n, _ := f.Read(head)
	if !object.IsObject(head[:n]) {
		return nil, nil
	}
	out, err := object.Read(f)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", o.file, err)
	}
	return out, nil
}
