package usersym

import (
	"debug/elf"
	"fmt"
	"os"
	"syscall"

	"github.com/hawktrace/hawk/lang"
)

// FileOf says whether the ELF file at path is relocated when a process
// maps it (ET_DYN: a PIE or shared library) and gives its inode number.
func FileOf(path string) (lang.BinaryFile, error) {
	f, err := elf.Open(path)
	if err != nil {
		return lang.BinaryFile{}, fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	st, err := os.Stat(path)
	if err != nil {
		return lang.BinaryFile{}, err
	}
	var ino uint64
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		ino = sys.Ino
	}
	return lang.BinaryFile{Relocated: f.Type == elf.ET_DYN, Inode: ino}, nil
}
