package codegen

import "github.com/hawktrace/hawk/lang"

// Manifest is what the runtime needs beside the bytecode: which program
// serves which attach points, what each map holds and how to decode what
// the programs send.
type Manifest struct {
	Programs    []*ProgramMeta
	Maps        []*MapMeta // user maps, sorted by name
	Printfs     []*PrintfMeta
	Values      []*lang.Type // what print(value) calls print
	TimeFormats []string
	Joins       []*JoinMeta
	// StackMaps names the stack trace map of each frame limit.
	StackMaps map[int]string
	// BuildIDStackMaps names the stack trace map of each frame limit of
	// user stacks in build_id mode, whose frames are struct
	// bpf_stack_build_id (BPF_F_STACK_BUILD_ID).
	BuildIDStackMaps map[int]string
	// Sites are the places in the script where a problem found at run
	// time is counted in the state map, one counter each: updates that
	// add keys to hash maps, refused when the map is full, divisions by
	// zero, array indexes out of bounds and (-k) map reads that find no
	// entry.
	Sites []Site
	// PidMap names the map of processes whose user stacks or addresses
	// were taken; empty when the script takes none.
	PidMap string
	// PrintMapsOnExit says whether the maps print when hawk stops (the
	// print_maps_on_exit setting).
	PrintMapsOnExit bool
	// StrTruncTrailer is what a string that fills its whole size, without
	// a NUL, prints after its bytes (the str_trunc_trailer setting).
	StrTruncTrailer string
	// MaxCatBytes is how much of a file cat() prints at most (the
	// max_cat_bytes setting); 0 in objects written before it, for 10240.
	MaxCatBytes int
	// NoDebugInfo says user stacks print without the source file:line
	// and inlined functions that DWARF gives (show_debug_info = 0);
	// false, the default, in objects written before it.
	NoDebugInfo bool
	// HitsMap names the per-CPU array where each program counts its runs,
	// by its index in Programs; empty unless Options.CountHits.
	HitsMap string
	// Options are the program options getopt() reads from the read-only
	// data, by name: those of objects (lang.Info.OptionsAtLoad), whose
	// values the runtime stores before loading.
	Options []*OptionMeta
	// TaiDeltaOffset is where in the read-only data the runtime stores
	// how far the TAI clock is ahead of the boot clock (int64
	// nanoseconds), which nsecs(sw_tai) adds to the boot clock; 0 when no
	// program reads it.
	TaiDeltaOffset int
	// Skboutputs are the skboutput() calls, which send packets through
	// the perf event array SkbMap (empty when there are none).
	Skboutputs []*SkbOutputMeta
	SkbMap     string
	// Spec names of hawk's internal maps.
	RingbufMap string
	LostMap    string
	RodataMap  string
	// WakeMap names the word the event reader sets to say how records
	// wake it (codegen/wakeup.go); empty when no program reads it, and in
	// objects written before it, whose records wake the reader as the
	// kernel does by default.
	WakeMap string
	// DwStackMaps names the map of dw_ustack's stacks of each frame limit
	// (DwStackBit). It is not nil (maybe empty: len(dw_ustack) keeps no
	// stack) when a program walks user stacks; the script then has the
	// unwinder's tables, DwFilesMap, DwRowsMap and DwProcsMap, which the
	// runtime sizes and fills.
	DwStackMaps map[int]string
}

// ProgramMeta describes one program of the collection.
type ProgramMeta struct {
	Name   string         // key in CollectionSpec.Programs
	Kind   lang.ProbeKind // every attach point of a program has one kind
	Points []*AttachMeta
	Probe  int    // index of the probe in the script, from 0
	Text   string // the attach points as written, for messages
	// Written is how the script writes the program's attach points,
	// patterns unexpanded (tracepoint:syscalls:sys_enter_*): what metrics
	// label the hits of a program that serves several with.
	Written string
	Pos     lang.Pos
	End     lang.Pos
	// RawSyscall is set when the program serves syscall tracepoints from
	// this raw tracepoint ("sys_enter" or "sys_exit"), filtering on the
	// syscall's number: it is attached once, whatever number of attach
	// points it serves.
	RawSyscall string
	// User is set for a BEGIN or END block that runs in user space, with
	// no program (userBlock): the collection has no program of Name.
	User *UserBlock
	// Func is set when several programs' code runs in program Name, a
	// dispatcher on a raw syscall tracepoint: the function in it that
	// holds this one's. Name is attached once, whatever number of
	// programs it runs.
	Func string
}

// AttachMeta is one attach point a program serves.
type AttachMeta struct {
	Raw  string
	Kind lang.ProbeKind
	Args []string
	// PeriodNs is the period of an interval or profile probe.
	PeriodNs uint64
	// PerfConfig is a software or hardware event (PERF_COUNT_SW_* or
	// PERF_COUNT_HW_*), which fires the probe every PerfCount events.
	PerfConfig, PerfCount uint64
	// Watch is what a watchpoint watches.
	Watch lang.Watchpoint
	// USDT holds the sites a usdt probe attaches to.
	USDT []lang.USDTProbe
	// Pos and End (a byte offset in Pos's file) are where the script
	// writes the attach point (the pattern, for one it matched), for
	// messages about attaching it.
	Pos lang.Pos
	End int
}

// Agg is the aggregation a map's values accumulate.
type Agg int

// Aggregations.
const (
	AggNone Agg = iota // plain values, assigned
	AggCount
	AggSum
	AggAvg
	AggMin
	AggMax
	AggStats
	AggHist    // the key's last part is the bucket
	AggLhist   // the key's last part is the bucket
	AggTseries // the key's last part is the interval's bucket; values are TseriesValueSize bytes
)

// Bucketed reports whether a map of the aggregation has one entry per
// bucket: its key's last part is the bucket, not one the script gives.
func (a Agg) Bucketed() bool { return a == AggHist || a == AggLhist || a == AggTseries }

// JoinMeta describes a join() call.
type JoinMeta struct {
	Sep     string
	Args    int // most strings
	ArgSize int // bytes per string
}

// MapMeta describes one user map.
type MapMeta struct {
	Name     string // as in the script: "@x", "@"
	SpecName string // key in CollectionSpec.Maps
	Agg      Agg
	Key      *Layout // nil for a scalar map; hist keys end with the bucket
	// Index is the map's place in Manifest.Maps.
	Index int
	Value *lang.Type
	// ValueSize is the size of one value in the kernel (per CPU if PerCPU).
	ValueSize int
	PerCPU    bool
	// Array is set for scalar aggregations kept in a one-entry array, whose
	// key 0 always exists: it is empty until its count is not zero.
	Array bool
	// KeyNames names the key's parts after the expressions the script
	// writes for them, "" where one is not a name (lang.MapUse.KeyNames);
	// nil when the script gives none. Metrics label the key parts with them.
	KeyNames []string
	// Reset is set when the script clears, zeroes or deletes from the map
	// (lang.MapUse.Reset): its values do not only grow.
	Reset bool
}

// Site is a place in the script where the program counts a problem, for
// user space to report.
type Site struct {
	Kind     SiteKind
	Map      int // SiteFull: index in Manifest.Maps
	Pos, End lang.Pos
	Line     string // the script's line, to show it
	// Helper names the helper a SiteReadError is about: probe_read_user,
	// probe_read_kernel_str, ...
	Helper string
}

// SiteKind is the problem a Site counts.
type SiteKind int

// Site kinds.
const (
	SiteFull       SiteKind = iota // an update refused because the map is full
	SiteZeroDiv                    // a division or modulo by zero, which gives 1
	SiteLookupMiss                 // a map read that found no entry (Options.HelperErrors)
	SiteIndexOOB                   // an array index out of bounds at run time
	SiteNoProcess                  // comm(pid) found no process with that pid
	SiteReadError                  // (-k) a probe_read helper failed: the counter holds its error, not a count
	SiteNoDwarf                    // dw_ustack: the process has no unwind data for its frame 0
	SiteLost                       // a record bpf_ringbuf_output found no room for: a lost event (LostEvents)
)

// Layout places the parts of a key or record in memory.
type Layout struct {
	Size  int
	Parts []Part
}

// Part is one value in a layout: a scalar takes ScalarSize bytes, a string
// its buffer.
type Part struct {
	Offset int
	Type   *lang.Type
	// Const is set for printf arguments known at compile time; they take no
	// room in the record.
	Const *lang.Const
}

// PrintfMeta describes one printf call.
type PrintfMeta struct {
	Format *lang.Format
	Args   *Layout // offsets from the start of the record, after the header
	Pos    lang.Pos
	End    lang.Pos
	// Func is what the formatted text is for: printf, cat, system, errorf
	// or warnf.
	Func lang.Func
	// Expanded are the macro calls an errorf or warnf came from, innermost
	// first, shown after its message as bpftrace does.
	Expanded []SourceSite
}

// SourceSite is a place in the script, with its line to show it.
type SourceSite struct {
	Pos, End lang.Pos
	Line     string
}
