package cpp

import (
	"strings"
	"sync"
)

// typeSizeOf is a C type's size and signedness.
type typeSizeOf struct {
	size     int
	unsigned bool
}

// typeSizes are the sizes and signedness of the C types a constant's cast
// or sizeof may name: the basic ones and the common typedefs of the kernel's
// and glibc's headers, built on first use (not at every start).
var typeSizes = sync.OnceValue(func() map[string]typeSizeOf {
	return map[string]typeSizeOf{
		"char": {1, false}, "short": {2, false}, "int": {4, false}, "long": {8, false}, "_Bool": {1, true}, "bool": {1, true},
		"__u8": {1, true}, "u8": {1, true}, "uint8_t": {1, true}, "__uint8_t": {1, true},
		"__s8": {1, false}, "s8": {1, false}, "int8_t": {1, false}, "__int8_t": {1, false},
		"__u16": {2, true}, "u16": {2, true}, "uint16_t": {2, true}, "__uint16_t": {2, true}, "__be16": {2, true}, "__le16": {2, true},
		"__s16": {2, false}, "s16": {2, false}, "int16_t": {2, false}, "__int16_t": {2, false},
		"__u32": {4, true}, "u32": {4, true}, "uint32_t": {4, true}, "__uint32_t": {4, true}, "__be32": {4, true}, "__le32": {4, true},
		"__s32": {4, false}, "s32": {4, false}, "int32_t": {4, false}, "__int32_t": {4, false},
		"__u64": {8, true}, "u64": {8, true}, "uint64_t": {8, true}, "__uint64_t": {8, true}, "__be64": {8, true}, "__le64": {8, true},
		"__s64": {8, false}, "s64": {8, false}, "int64_t": {8, false}, "__int64_t": {8, false},
		"size_t": {8, true}, "__kernel_size_t": {8, true}, "uintptr_t": {8, true}, "__kernel_ulong_t": {8, true},
		"ssize_t": {8, false}, "__kernel_ssize_t": {8, false}, "intptr_t": {8, false}, "ptrdiff_t": {8, false},
		"__kernel_long_t": {8, false}, "off_t": {8, false}, "loff_t": {8, false}, "__off_t": {8, false},
		"pid_t": {4, false}, "__pid_t": {4, false}, "__kernel_pid_t": {4, false},
		"uid_t": {4, true}, "gid_t": {4, true}, "__uid_t": {4, true}, "__gid_t": {4, true}, "mode_t": {4, true},
		"__kernel_mode_t": {4, true}, "umode_t": {2, true}, "dev_t": {8, true}, "__kernel_dev_t": {4, true},
	}
})

// typeSize reads a type name's words: its size, signedness, and whether
// it is known. A pointer is 8 bytes; struct, union and unknown typedefs are
// not known.
func typeSize(words []string) (size int, unsigned, ok bool) {
	longs := 0
	for _, w := range words {
		switch w {
		case "*":
			return 8, true, true
		case "const", "volatile", "restrict", "__restrict", "__const", "signed", "__signed__":
		case "unsigned", "__unsigned__":
			unsigned = true
		case "long":
			longs++
		case "struct", "union", "enum", "void", "float", "double":
			if w == "enum" {
				return 4, false, true
			}
			return 0, false, false
		default:
			t, known := typeSizes()[w]
			if !known {
				return 0, false, false
			}
			size, unsigned = t.size, unsigned || t.unsigned
		}
	}
	switch {
	case longs > 0:
		size = 8
	case size == 0 && unsigned:
		size = 4 // unsigned alone is unsigned int
	}
	return size, unsigned, size > 0
}

// cast converts x to the type words name; an unknown type leaves it as
// it is (casts to typedefs hawk does not know are ignored).
func cast(x val, words []string) val {
	size, unsigned, ok := typeSize(words)
	if !ok || strings.Join(words, " ") == "void" {
		return x
	}
	switch size {
	case 1, 2:
		// char and short promote to int: cut to size, then zero- or
		// sign-extend.
		shift := 64 - 8*uint(size)
		if unsigned {
			return val{v: x.v << shift >> shift}
		}
		return val{v: uint64(int64(x.v<<shift) >> shift)}
	case 4:
		return val{v: x.v, unsigned: unsigned}.norm()
	}
	return val{v: x.v, unsigned: unsigned, long: true}
}
