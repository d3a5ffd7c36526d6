package codegen

// What dw_ustack's unwinder and user space share: the tables user space
// compiles from the binaries' call frame information (runtime/dwunwind)
// and the maps the unwinder reads them from and keeps its stacks in.
//
// A binary is known by its file: the key of DwFilesMap is its inode
// number (uint64) and its device (uint32, the kernel's encoding,
// major<<20 | minor), then 4 zero bytes. The value says where the
// binary's rows are in DwRowsMap: the first row's index (uint32) and the
// number of rows (uint32). A binary's rows are sorted by file offset; each
// holds from its offset up to the next row's.
const (
	// DwFilesMap maps binaries to their rows (a hash map).
	DwFilesMap = "hawk_dw_files"
	// DwRowsMap holds every binary's rows (an array).
	DwRowsMap = "hawk_dw_rows"
	// DwFileKeySize is the size of a DwFilesMap key.
	DwFileKeySize = 16
	// DwFileValueSize is the size of a DwFilesMap value.
	DwFileValueSize = 8
)

// DwProcsMap holds, by process id (uint32), the process's mappings of
// binaries with rows, so that the unwinder need not ask the kernel
// (bpf_find_vma, which works once per NMI: profile probes could not go
// past the first binary): the number of mappings (uint64), then up to
// DwMaxMappings entries sorted by start, DwMapEntrySize bytes each: the
// start and end addresses (uint64), the start minus the offset in the
// file (uint64), then the file's DwFilesMap key (16 bytes).
const (
	DwProcsMap      = "hawk_dw_procs"
	DwMaxProcs      = 64
	DwMaxMappings   = 256
	DwMapEntrySize  = 40
	DwMapSearch     = 9 // binary search steps over DwMaxMappings
	DwProcValueSize = 8 + DwMaxMappings*DwMapEntrySize
)

// A row, DwRowSize bytes: the file offset where it starts (uint64), the
// CFA's offset from its register (int32), where rbp is saved relative to
// the CFA (int16; 0: rbp is unchanged), the row's kind (uint8), and an
// argument of the kind (uint8). The return address is at CFA-8.
const (
	DwRowSize      = 16
	DwRowOffOff    = 0
	DwRowCFAOff    = 8
	DwRowBPOff     = 12
	DwRowKindOff   = 14
	DwRowArgOff    = 15
	DwMaxRowSearch = 32 // binary search steps: 2^32 rows at most
)

// Row kinds.
const (
	// DwRowStop ends the walk: the outermost frame (the return address
	// is undefined), or a rule the unwinder cannot follow.
	DwRowStop = 0
	// DwRowRSP: the CFA is rsp plus the offset.
	DwRowRSP = 1
	// DwRowRBP: the CFA is rbp plus the offset.
	DwRowRBP = 2
	// DwRowPLT is the PLT's expression: the CFA is rsp plus the offset,
	// plus 8 when (ip & mask) >= arg, where mask is the row's rbp field.
	DwRowPLT = 3
)

// DwStackBit marks the stack ids of dw_ustack: the unwinder keeps its
// stacks in its own maps (DwStackMaps, by frame limit), keyed by a hash
// of the frames with this bit set, which bpf_get_stackid's ids (below the
// stack map's size) never have. The value of a stack is its 64-bit hash,
// then the frames, zero after the last.
const DwStackBit = 1 << 30

// DwStackHashSize is the size of the hash before a dw_ustack's frames.
const DwStackHashSize = 8
