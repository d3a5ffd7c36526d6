package lang

import "strings"

// The C types of integer tracepoint fields, answered without the kernel.

// cIntType answers, for the C type of an integer tracepoint field, what
// the kernel's BTF would (Env.KernelType), so that typing the args of the
// common tracepoints (every syscall's) reads no BTF: C's base types as
// BTF spells them, the fixed-size integers and the kernel's common
// typedefs, whose sizes are the same on every 64-bit kernel. t is nil for
// a spelling BTF has no type of ("long", "unsigned", "unsigned short": it
// spells them "long int", "unsigned int", "short unsigned int"), for
// which the record's own type stands, as for pointers the record holds as
// integers ("void *const", the typedef cap_user_header_t). known is false
// for every other
// name: enums, char (unsigned since Linux 6.2, signed before on x86), and
// typedefs that differ between kernels, which go to BTF. A kernel test
// (runtime/kernel) checks every entry against the running kernel's BTF.
func cIntType(name string) (t *Type, known bool) {
	switch name {
	case "signed char", "s8", "__s8", "int8_t":
		return Int8, true
	case "unsigned char", "__u8", "uint8_t":
		return Uint8, true
	case "short int", "s16", "__s16", "int16_t":
		return Int16, true
	case "short unsigned int", "ushort", "u16", "__u16", "uint16_t", "umode_t", "sa_family_t",
		"__le16", "__be16":
		return Uint16, true
	case "int", "s32", "__s32", "int32_t", "pid_t", "__kernel_pid_t", "clockid_t", "timer_t", "key_t",
		"mqd_t", "rwf_t", "key_serial_t":
		return Int32, true
	case "unsigned int", "uint", "u32", "__u32", "uint32_t", "uid_t", "gid_t", "qid_t", "mode_t", "dev_t",
		"gfp_t", "fmode_t", "errseq_t", "nlink_t", "projid_t", "blk_opf_t", "__le32", "__be32":
		return Uint32, true
	case "long int", "long long int", "s64", "__s64", "int64_t", "ssize_t", "loff_t", "off_t", "time64_t",
		"ptrdiff_t", "__kernel_long_t":
		return Int64, true
	case "long unsigned int", "long long unsigned int", "ulong", "u64", "__u64", "uint64_t", "size_t",
		"__kernel_size_t", "__kernel_ulong_t", "uintptr_t", "aio_context_t", "ino_t", "sector_t",
		"blkcnt_t", "vm_flags_t", "__le64", "__be64":
		return Uint64, true
	case "_Bool", "bool":
		return Bool, true
	case "short", "unsigned short", "unsigned short int", "signed", "signed int", "unsigned", "long",
		"unsigned long", "unsigned long int", "long long", "unsigned long long",
		"u8", // two typedefs in the kernel's BTF, which finds no one type
		"cap_user_header_t", "cap_user_data_t":
		return nil, true
	}
	return nil, strings.HasSuffix(name, "*const")
}
