package lang

// What the checker is told (Config, Env) and what it finds out about a
// program (Info and the descriptions it holds).

// Config holds what the checker is told from outside the script.
type Config struct {
	// Params are the positional parameters $1, $2, ...
	Params []string
	// Environ holds KEY=VALUE environment variables; BPFTRACE_* ones set
	// config variables, over the script's config block.
	Environ []string
	// MaxStrlen, when set, overrides max_strlen.
	MaxStrlen int
	// Unsafe allows the actions that change the system: system(),
	// signal() (hawk's --unsafe).
	Unsafe bool
	// Child says the script runs a command (-c), whose pid cpid is.
	Child bool
	// IncludeDirs are searched for #include'd headers before the
	// system's directories (hawk's -I).
	IncludeDirs []string
	// Includes are headers read as if the script #include'd them first
	// (hawk's --include).
	Includes []string
	// Options are the program's named options, given after `--` as
	// --name=value or --name: each without its dashes, "name=value" or
	// "name". getopt() reads them.
	Options []string
	// OptionsAtLoad leaves getopt()'s values to be given when the program
	// loads, for objects: the code reads them from the read-only data,
	// where the runtime stores them (lang.ResolveOptions), and Options is
	// not read. A string option is then max_strlen bytes.
	OptionsAtLoad bool
	// UnwindTargets says the run names the processes whose binaries
	// dw_ustack unwinds (-p, -c, --dwarf-pid), or that the program runs
	// elsewhere, later, where they will be named.
	UnwindTargets bool
	// Session says the program is what a REPL session has typed so far
	// (hawk's REPL): it may have no probes yet, and a map declared may be
	// used by a later entry.
	Session bool
}

// DefaultMaxStrlen is bpftrace's default max_strlen.
const DefaultMaxStrlen = 1024

// Env is what the checker learns from the system it will run on.
type Env interface {
	// TracepointFormat returns the record layout of a tracepoint.
	TracepointFormat(category, name string) (*TracepointFormat, error)
	// Tracepoints lists the tracepoints matching category:name, glob
	// patterns both, as sorted "category:name" strings.
	Tracepoints(category, name string) ([]string, error)
	// Binaries finds the files a uprobe's or usdt probe's binary names: a
	// path, a program in $PATH or a library name such as libc names one;
	// a glob of paths, or * (the binaries of the process -p traces), may
	// name several or none.
	Binaries(name string) ([]string, error)
	// KernelType resolves a type of the kernel's BTF by its C name:
	// "struct task_struct", "u32", "sector_t", "enum skb_drop_reason".
	KernelType(name string) (*Type, error)
	// StructFields lists the members of a kernel struct or union; anonymous
	// members have no name.
	StructFields(t *Type) ([]Field, error)
	// EnumConstant finds a kernel enum constant by name: its value and
	// its enum. The enum of a constant is the same each time.
	EnumConstant(name string) (value uint64, enum *EnumDef, ok bool)
	// KernelSymbol returns the address of a kernel symbol.
	KernelSymbol(name string) (uint64, error)
	// UserSymbol returns the address and size of a symbol in an ELF
	// binary, as uaddr() uses it.
	UserSymbol(binary, name string) (addr, size uint64, err error)
	// AttachTargets lists the targets of kind that args names: those a
	// pattern matches, or the one named if it exists. Each is an attach
	// point's parts; none is an empty list, not an error.
	AttachTargets(kind ProbeKind, args []string) ([][]string, error)
	// ProbeArgs describes the typed arguments (args.NAME, and retval for
	// fexit) of a raw tracepoint, fentry or fexit probe.
	ProbeArgs(kind ProbeKind, args []string) (*TracepointFormat, error)
	// KfuncAllowed says why programs of a probe kind may not call a
	// kernel function (kfunc), or nil when they may.
	KfuncAllowed(name string, kind ProbeKind) error
	// USDT lists the sites of a binary's USDT probe provider:name; provider
	// "" matches any.
	USDT(binary, provider, name string) ([]USDTProbe, error)
	// CgroupID returns the id of the cgroup (v2) at path, as cgroupid()
	// reads it at compile time.
	CgroupID(path string) (uint64, error)
	// PercpuVar says why the kernel has no per-CPU variable name in its
	// BTF, as percpu_kaddr() needs, or nil when it has.
	PercpuVar(name string) error
	// BinaryFile says how a binary's addresses become a process's: uaddr()
	// of a relocated one is found at run time.
	BinaryFile(path string) (BinaryFile, error)
}

// BinaryFile is what the checker needs to know of a uprobe's binary
// beside its symbols.
type BinaryFile struct {
	// Relocated is true for a PIE or shared library, whose addresses are
	// relative to where a process maps it; false for an executable
	// linked at fixed addresses.
	Relocated bool
	// Inode is the file's inode number, by which a program finds the
	// binary among a process's mappings.
	Inode uint64
}

// Const is the value of an expression known at compile time.
type Const struct {
	Int   uint64 // the bits of an integer constant
	Str   string
	IsStr bool
}

// VarInfo describes one scratch variable: one declaration in one scope.
type VarInfo struct {
	Name string
	Type *Type
	// Decl is the node that declared it: a let, a for, or the first
	// assignment.
	Decl Node
	// Declared is set when a let wrote the type (`let $x: uint8`): values
	// stored later convert to it, and it never widens.
	Declared bool
	// seenAt is the first read in a settling walk whose type depended on
	// the variable's (check_settle.go).
	seenAt Node
}

// MapInfo describes one global map, merged from all its uses.
type MapInfo struct {
	Name  string
	Keys  []*Type // nil for a map used without keys
	Value *Type
	First Node // where the map is first used
	// Declared kind and size, from `let @m = kind(n);`, else "" and 0.
	Kind       string
	MaxEntries int
	// badValue is set when an assignment's value had an error.
	badValue bool
	// selfRead is set when the map's own assignment read it before it had
	// a type: `@n = @n + 1`; guessed when that made it an int64, and
	// reguessed when the assignment stored another type, which replaced
	// the guess (`@b = !@b`).
	selfRead, guessed, reguessed bool
	// seenAt is the first read in the current settling walk whose type
	// depended on the map's value, keysSeenAt on its keys
	// (check_settle.go).
	seenAt, keysSeenAt Node
}

// Info is what the checker found out about a program: side tables keyed by
// AST node, as go/types does.
type Info struct {
	Types    map[Expr]*Type
	Consts   map[Expr]Const
	Builtins map[*Ident]Builtin
	Funcs    map[*Call]Func
	Formats  map[*Call]*Format
	Vars     map[Node]*VarInfo // *Var uses, *VarDecl and first assignments
	Maps     map[string]*MapInfo
	MapOrder []string // map names in order of first use
	// Tracepoints holds the typed arguments of each attach point that has
	// them: tracepoints' fields, raw tracepoints', fentry's and fexit's
	// arguments.
	Tracepoints map[*AttachPoint]*TracepointFormat
	// USDT holds the sites of each usdt attach point.
	USDT map[*AttachPoint][]USDTProbe
	// Fields resolves struct member accesses: the member and the offset
	// from the start of the outermost struct.
	Fields map[Expr]*ResolvedField
	// Rewrites maps an expression to the one it stands for: pid() to pid,
	// ppid to curtask->real_parent->tgid. Check puts them into the tree;
	// the table says what was replaced.
	Rewrites map[Expr]Expr
	// MapArgs holds the map entry a map function's arguments name:
	// has_key(@m, k) and delete(@m, k) act on @m[k].
	MapArgs map[*Call]*MapExpr
	// Clocks holds nsecs' clock where one was named: monotonic, boot, tai, sw_tai.
	Clocks map[*Ident]string
	// Namespaces holds the pid namespace pid and tid were asked for in,
	// where one was named: "init" (the initial one); otherwise hawk's own
	// (curr_ns), as in bpftrace.
	Namespaces map[*Ident]string
	// CommOffsets holds, for each comm(pid) call, the offset of comm in
	// the kernel's struct task_struct.
	CommOffsets map[*Call]int
	// Addresses holds the bytes of each pton() call, in network order,
	// worked out at compile time.
	Addresses map[*Call][]byte
	// UaddrBases holds each uaddr() call of a relocated binary (a PIE or
	// shared library): its address is found when the probe fires, from
	// where the process maps the binary (check_uaddr.go).
	UaddrBases map[*Call]UaddrBase
	// Settings are the config variables in force.
	Settings Settings
	// Warnings are the diagnostics that are not errors, such as tracepoints
	// skipped under missing_probes = warn.
	Warnings Diagnostics
	// Options are the named options the script reads with getopt(), by
	// name.
	Options []*NamedOption
	// OptionsAtLoad says that getopt() calls stay in the program, to read
	// their values when it loads (Config.OptionsAtLoad), rather than
	// standing for constants.
	OptionsAtLoad bool
	// DummyTSMap names the map tseries() reads the time from instead of
	// the clock, when BPFTRACE_DUMMY_TS_MAP names one: a testing aid, as
	// in bpftrace, that makes time series repeatable. Empty otherwise.
	DummyTSMap string
	// BTFRaw holds the probes whose raw tracepoints compile to BTF raw
	// tracepoint programs (tp_btf), whose arguments the kernel types:
	// only those pass kernel objects to socket_cookie and skboutput.
	BTFRaw map[*Probe]bool
	// DwOffsets holds the offsets in kernel structs dw_ustack's unwinder
	// reads, when the program takes one (check_dwustack.go).
	DwOffsets *DwOffsets
}

// ResolvedField is a struct member found by name, through anonymous
// members if needed.
type ResolvedField struct {
	Field
	Offset int // from the start of the struct the access is on
}

// TypeOf returns the type recorded for e, or Invalid.
func (info *Info) TypeOf(e Expr) *Type {
	if t, ok := info.Types[e]; ok {
		return t
	}
	return Invalid
}
