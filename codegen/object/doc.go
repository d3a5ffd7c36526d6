// Package object writes a compiled script as an ELF object and reads it
// back: hawk's --emit-elf. The object holds everything a script needs to
// run on another host: the programs, the maps, the read-only data, BTF and
// the manifest.
//
// # Layout
//
// The object is an ELF64 little-endian relocatable file for EM_BPF, laid
// out the way clang lays out BPF objects, so that cilium/ebpf's
// ebpf.LoadCollectionSpec and libbpf read it:
//
//   - Programs go into executable sections named by program type, attach
//     type and attach target, with libbpf's prefixes: "tracepoint",
//     "kprobe", "uprobe", "perf_event", "raw_tracepoint", "fentry/vfs_read".
//     Programs that get the same name share a section, each under its own
//     global function symbol. A section name is chosen from the program's
//     probe kind when that names a prefix meaning the same program type
//     (a uprobe goes into "uprobe", a kretprobe into "kretprobe"),
//     otherwise from the program type alone.
//   - Functions a program calls or passes to a helper (bpf_loop callbacks)
//     go into .text as static functions, called through relocations
//     against the .text section symbol, as clang emits them. Their symbols
//     are named "program.function", since names must be unique in an
//     object.
//   - Maps are declared in .maps, described by a BTF Datasec of variables
//     with libbpf's __uint(type, ...) encoding (pointers to arrays). Map
//     loads are R_BPF_64_64 relocations against the map symbols, with the
//     immediate zeroed.
//   - Maps that programs read directly (BPF_PSEUDO_MAP_VALUE, such as the
//     read-only data and the state map) are data sections: .rodata holds
//     the read-only data map and its contents; any other such map becomes
//     .data.NAME (or .rodata.NAME when read-only), and Read gives it back
//     its name.
//   - Calls of kernel functions (kfuncs, such as comm(pid)'s
//     bpf_task_from_pid) are R_BPF_64_32 relocations against undefined
//     global symbols, declared as extern functions in BTF's virtual
//     .ksyms Datasec, as clang emits `extern ... __ksym` calls: the
//     loader resolves them in the kernel's BTF.
//   - Jump labels are local NOTYPE symbols, which loaders ignore, so that
//     Read gives instructions back with their labels; func_info and
//     line_info (the script's lines) are in .BTF.ext.
//   - The "license" section holds the programs' license and the
//     "hawk.manifest" section the manifest.
//   - Program options (getopt()) are read from .rodata, which holds their
//     defaults; the manifest lists each one's place there
//     (codegen.Manifest.Options), for the runtime to store the values a
//     run gives before loading.
//
// # The manifest
//
// The hawk.manifest section starts with a line "hawk-manifest N", N being
// the format version (FormatVersion), followed by the fingerprint of the
// manifest's Go types, the hawk that wrote it and the manifest, in binary
// (codec.go). The code that encodes and decodes each type
// (codec_gen.go) is generated from the types by TestCodecGenerated, which
// fails until it is generated again after a field is added to
// codegen.Manifest or a type it holds: no reflection runs when an object
// is written or read. Every pointer is written once and referred to by
// its number after that, which keeps shared pointers shared and lets
// types refer to themselves (a script's struct pointing to itself). An
// object written by a hawk whose manifest types differ is refused with an
// error asking to compile the script again, rather than misread. Integers
// of types with a String method carry their name too, so that a
// renumbered enum (a probe kind inserted before others) is caught the
// same way. Strings keep their bytes, valid UTF-8 or not (a printf format
// or literal with a \xdc byte, a path).
package object
