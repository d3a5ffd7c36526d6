package codegen

import (
	"fmt"
	"os"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/hawktrace/hawk/lang"
)

// Options tune code generation; the config variables of the script
// (lang.Info.Settings) set the rest.
type Options struct {
	// RingbufSize is the size in bytes of the event ring buffer, a power
	// of two multiple of the page size.
	RingbufSize int
	// PidFilter makes the programs of probes the kernel cannot attach to
	// one process (tracepoints, kprobes, fentry, ...) return early for
	// every process but the one -p names, whose pid the runtime stores in
	// the read-only data before loading (0: no filter). Objects that
	// --emit-elf writes have it, so -p works where they run.
	PidFilter bool
	// PerfSyscalls attaches syscall tracepoints to their perf tracepoints
	// instead of the raw tracepoints sys_enter and sys_exit, whose
	// programs need the kernel's BTF (the verifier types the registers
	// they read from it).
	PerfSyscalls bool
	// DispatchPerProbe gives each probe its own program on the raw
	// syscall tracepoints, rather than one for the script's syscall
	// probes of each direction (syscalls_dispatch.go): the REPL attaches
	// and detaches probes one by one.
	DispatchPerProbe bool
	// NoIA32 says the kernel runs no 32-bit x86 processes (no
	// CONFIG_IA32_EMULATION): programs on the raw syscall tracepoints
	// skip the check that tells their syscalls apart (kernel.IA32Emulation).
	NoIA32 bool
	// CountHits makes every program count the runs of its action (once
	// past its kind's filters and the predicate) in a per-CPU array the
	// manifest names (Manifest.HitsMap), one slot per program: the REPL's
	// `.probes` shows them.
	CountHits bool
	// HelperErrors makes a map read that finds no entry count at its
	// place in the script, and a probe_read that fails store its error at
	// its pointer expression, for user space to warn once (bpftrace's -k).
	HelperErrors bool
	// PidNamespace makes pid and tid translate to the pid namespace whose
	// device and inode the runtime stores in the read-only data (hawk's
	// own): needed when hawk runs inside a pid namespace, and in objects,
	// which may run anywhere. Without it they are the initial namespace's
	// ids, which are the same there, in fewer instructions.
	PidNamespace bool
	// KernelBeginEnd keeps BEGIN and END programs in the kernel even when
	// user space can do all they do (UserBlock).
	KernelBeginEnd bool
}

// DefaultRingbufSize is the event ring buffer's size for a script whose
// programs send records, unless perf_rb_pages or Options.RingbufSize says
// otherwise (sizeRingbuf). The reader drains it at least every
// millisecond while records flow (runtime's lingerTime): at the million
// printf records a second the per-event bench makes, 1 MiB holds about
// 20 ms of them, and 256 KiB already lost none of 3 million. The kernel
// maps the whole buffer into hawk (twice over: the data pages are mapped
// again after themselves), so its size counts in hawk's RSS from the
// start: 4 MiB made opensnoop.bt's peak RSS 20.3 MiB against 14.3 now.
const DefaultRingbufSize = 1 << 20

// Output is a compiled script.
type Output struct {
	Spec     *ebpf.CollectionSpec
	Manifest *Manifest
	// Src is the script's text (with the files it imports), for messages
	// that point into it, such as the kernel's refusal of a program; nil
	// for an output read back from an object.
	Src *lang.Source
}

// Names of hawk's internal maps.
const (
	ringbufMapName = "hawk_events"
	lostMapName    = "hawk_lost"
	rodataMapName  = ".rodata"
	scratchMapName = "hawk_scratch"
	hitsMapName    = "hawk_hits"
)

// compiler holds what all programs of a script share.
type compiler struct {
	info   *lang.Info
	src    *lang.Source
	opts   Options
	spec   *ebpf.CollectionSpec
	man    *Manifest
	maps   map[string]*MapMeta
	rodata *rodata
	// scratch need of each program that uses the scratch map, by index.
	scratchNeed []int // the bytes each entry of the scratch map must hold
	diags       lang.Diagnostics
	// sites indexes Manifest.Sites by kind and node: a place compiled
	// more than once (unrolled, in two programs) counts in one counter.
	sites map[siteKey]int
	// optionOffsets places in the read-only data the options getopt()
	// reads at load time, by name (declareOptions).
	optionOffsets map[string]int
	// exits is set when the script calls exit(): its probes then stop at
	// once after the first exit() (stopAfterExit).
	exits bool
	// records is set when a program sends a record other than exit()'s.
	records bool
	// inKernel is set for BEGIN or END once a program of the kind stays in
	// the kernel: the blocks after it stay too, so that their records
	// follow its records (inUserSpace).
	inKernel map[lang.ProbeKind]bool
}

// siteKey names a Site.
type siteKey struct {
	kind SiteKind
	node lang.Node
}

// Generate compiles a checked program.
func Generate(prog *lang.Program, info *lang.Info, opts Options) (out *Output, err error) {
	if opts.RingbufSize <= 0 {
		if pages := info.Settings.PerfRbPages; pages > 0 {
			// bpftrace sizes a buffer per CPU; hawk shares one ring, whose
			// size the kernel wants a power of two number of pages.
			opts.RingbufSize = 4096
			for opts.RingbufSize < pages*4096 {
				opts.RingbufSize *= 2
			}
		}
	}
	defer func() {
		// An internal invariant broke: report it instead of crashing.
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("internal compiler error: %v", r)
			if os.Getenv("HAWK_DEBUG") != "" {
				err = fmt.Errorf("%w\n%s", err, debug.Stack())
			}
		}
	}()
	c := &compiler{
		info: info, src: prog.Src, opts: opts,
		spec: &ebpf.CollectionSpec{Maps: map[string]*ebpf.MapSpec{}, Programs: map[string]*ebpf.ProgramSpec{}},
		man: &Manifest{
			RingbufMap: ringbufMapName, LostMap: lostMapName, RodataMap: rodataMapName,
			PrintMapsOnExit: info.Settings.PrintMapsOnExit,
			StrTruncTrailer: info.Settings.StrTruncTrailer,
			MaxCatBytes:     info.Settings.MaxCatBytes,
			NoDebugInfo:     !info.Settings.ShowDebugInfo,
		},
		maps: map[string]*MapMeta{},
	}
	c.exits = callsExit(prog, info)
	c.declareMaps(prog)
	if err := c.diags.Err(); err != nil {
		return nil, err
	}
	// The zeros clear buffers, join()'s records, and stand for the value
	// of a missing key: a copy of one must not run past them.
	zeros := max(info.Settings.MaxStrlen, joinZeros(prog, info))
	for _, m := range c.man.Maps {
		zeros = max(zeros, m.ValueSize)
	}
	c.rodata = newRodata(zeros)
	c.declareOptions()
	groups := make([][]programGroup, len(prog.Probes))
	for i, p := range prog.Probes {
		groups[i] = c.splitProbe(p)
	}
	dispatchers := c.chooseRawSyscalls(prog, groups)
	for i, p := range prog.Probes {
		c.probe(i, p, groups[i])
	}
	c.finishDispatchers(dispatchers)
	if err := c.diags.Err(); err != nil {
		return nil, err
	}
	c.sizeRingbuf()
	c.internalMaps()
	c.wakeMap()
	return &Output{Spec: c.spec, Manifest: c.man, Src: prog.Src}, nil
}

// probe compiles one probe: one program for all its attach points, or
// one per attach point when the body reads a tracepoint's fields, whose
// offsets differ between tracepoints, and one per usdt site when it reads
// usdt arguments, whose places differ between sites.
func (c *compiler) probe(index int, p *lang.Probe, groups []programGroup) {
	for _, grp := range groups {
		aps := grp.aps
		name := fmt.Sprintf("hawk_%s%d", kindCodes[aps[0].Kind].short, len(c.man.Programs))
		g := newGen(c, name, p, aps, len(c.scratchNeed))
		g.site, g.raw, g.index = grp.site, grp.raw, len(c.man.Programs)
		if grp.raw.dispatcher() != nil {
			// A dispatcher's section: its labels start with its name.
			g.prefix, g.exit = name+".", name+"."+g.exit
		}
		g.ignoresReturn = grp.raw != nil || grp.btf || kindCodes[aps[0].Kind].prog == ebpf.RawTracepoint
		records, wake := c.records, c.man.WakeMap
		insns, scratchNeed := g.program()
		// One entry of the scratch map for each region the program uses.
		for range g.scratch.regions() {
			c.scratchNeed = append(c.scratchNeed, scratchNeed)
		}
		meta := &ProgramMeta{Name: name, Kind: aps[0].Kind, Probe: index, Pos: c.src.For(p).Pos(p.Pos.Offset)}
		if grp.raw != nil {
			meta.RawSyscall = grp.raw.tracepoint()
		}
		meta.User = c.inUserSpace(aps[0].Kind, insns)
		switch d := grp.raw.dispatcher(); {
		case meta.User != nil:
			// User space sends its records: they need no ring buffer.
			c.records, c.man.WakeMap = records, wake
		case d != nil:
			d.addSection(g, insns, meta)
		default:
			if grp.raw != nil {
				grp.raw.btf = callsKfuncs(insns)
			}
			c.spec.Programs[name] = programSpec(name, grp, insns, c.info.Settings.License)
		}
		var texts []string
		for _, ap := range aps {
			meta.Points = append(meta.Points, c.attachMeta(ap, grp.site))
			texts = append(texts, ap.Raw)
		}
		meta.Text = strings.Join(texts, ",")
		meta.Written = c.written(aps)
		c.man.Programs = append(c.man.Programs, meta)
	}
}

// written is how the script writes attach points: each pattern once,
// as written, comma-separated.
func (c *compiler) written(aps []*lang.AttachPoint) string {
	type span struct {
		file       string
		start, end int
	}
	seen := map[span]bool{}
	var texts []string
	for _, ap := range aps {
		sp := span{ap.Pos.Filename, ap.Pos.Offset, ap.EndPos.Offset}
		if seen[sp] {
			continue
		}
		seen[sp] = true
		texts = append(texts, c.src.For(ap).Snippet(sp.start, sp.end))
	}
	return strings.Join(texts, ",")
}

// programGroup is the attach points one program serves, the usdt site
// when it serves one site only, and the raw syscall tracepoint it runs
// from, if any.
type programGroup struct {
	aps  []*lang.AttachPoint
	site *lang.USDTProbe
	raw  *rawSyscall
	// btf is set for a raw tracepoint compiled to a BTF raw tracepoint
	// program (lang.Info.BTFRaw), which the kernel binds to one
	// tracepoint at load time.
	btf bool
}

// splitProbe splits a probe into the programs that serve it: one for all
// its attach points unless their code differs. It differs when the body
// reads a tracepoint's fields (at offsets that differ between
// tracepoints), `probe` or `func`; between kinds; between the functions
// of tracing programs (fentry, fexit), which the kernel binds to one
// function at load time; and between usdt sites when the body reads their
// arguments.
func (c *compiler) splitProbe(p *lang.Probe) []programGroup {
	usdtArgs := p.Points[0].Kind == lang.ProbeUsdt && lang.UsesName(p, "argN")
	if !perAttachPoint(p) && sameKind(p.Points) && !usdtArgs && kindCodes[p.Points[0].Kind].prog != ebpf.Tracing && !c.info.BTFRaw[p] {
		return []programGroup{{aps: p.Points}}
	}
	var groups []programGroup
	for _, ap := range p.Points {
		if ap.Kind == lang.ProbeUsdt && usdtArgs {
			for i := range c.info.USDT[ap] {
				groups = append(groups, programGroup{aps: []*lang.AttachPoint{ap}, site: &c.info.USDT[ap][i]})
			}
			continue
		}
		groups = append(groups, programGroup{aps: []*lang.AttachPoint{ap}, btf: ap.Kind == lang.ProbeRawtracepoint && c.info.BTFRaw[p]})
	}
	return groups
}

// attachMeta tells the runtime how to attach ap: the period, event or
// address the kind needs, and the usdt sites (site alone, when the
// program serves one).
func (c *compiler) attachMeta(ap *lang.AttachPoint, site *lang.USDTProbe) *AttachMeta {
	am := &AttachMeta{Raw: ap.Raw, Kind: ap.Kind, Args: ap.Args, Pos: c.src.For(ap).Pos(ap.Pos.Offset), End: ap.EndPos.Offset}
	switch ap.Kind {
	case lang.ProbeInterval, lang.ProbeProfile:
		am.PeriodNs, _ = lang.IntervalPeriod(ap.Args)
	case lang.ProbeSoftware, lang.ProbeHardware:
		e, n := lang.PerfEventOf(ap)
		am.PerfConfig, am.PerfCount = e.Config, n
	case lang.ProbeWatchpoint:
		am.Watch, _ = lang.WatchpointOf(ap.Args)
	case lang.ProbeUsdt:
		am.USDT = c.info.USDT[ap]
		if site != nil {
			am.USDT = []lang.USDTProbe{*site}
		}
	}
	return am
}

// perAttachPoint reports whether a probe's code depends on its attach
// point: tracepoint fields sit at different offsets, `probe` differs.
func perAttachPoint(p *lang.Probe) bool {
	return lang.UsesName(p, "args", "probe", "func")
}

// usesCtx reports whether a probe needs its context: for tracepoint
// fields, registers (argN, retval, usermode, reg()) and stacks.
func usesCtx(p *lang.Probe) bool {
	// An iterator's printf reads the context for its output (seqprintf.go).
	return lang.UsesName(p, "args", "kstack", "ustack", "ppid", "retval", "argN", "ctx", "usermode", "reg", "override") ||
		p.Points[0].Kind == lang.ProbeIter && lang.UsesName(p, "printf")
}

func sameKind(aps []*lang.AttachPoint) bool {
	for _, ap := range aps {
		if ap.Kind != aps[0].Kind {
			return false
		}
	}
	return true
}

// declareMaps creates a map spec for every user map, in name order.
func (c *compiler) declareMaps(prog *lang.Program) {
	names := make([]string, 0, len(c.info.Maps))
	for name := range c.info.Maps {
		names = append(names, name)
	}
	sort.Strings(names)
	used := map[string]bool{}
	uses := lang.MapUses(prog, c.info)
	for _, name := range names {
		mi := c.info.Maps[name]
		if mi.Value == nil {
			continue // only read, and the checker said so
		}
		m := &MapMeta{Name: name, Value: mi.Value, SpecName: specMapName(name, used), Index: len(c.man.Maps)}
		if u := uses[name]; u != nil {
			m.KeyNames, m.Reset = u.KeyNames, u.Reset
		}
		keys := mi.Keys
		m.Agg, m.ValueSize = aggOf(mi.Value), storedSize(mi.Value)
		switch m.Agg {
		case AggNone:
		case AggCount:
			m.ValueSize, m.PerCPU = ScalarSize, true
		case AggHist, AggLhist:
			// One entry per bucket: the bucket is the key's last part.
			m.ValueSize, m.PerCPU = ScalarSize, true
			keys = append(append([]*lang.Type(nil), keys...), lang.Uint64)
		case AggTseries:
			// One entry per interval of the series, the key's last part.
			m.ValueSize, m.PerCPU = TseriesValueSize, true
			keys = append(append([]*lang.Type(nil), keys...), lang.Uint64)
		default:
			m.ValueSize, m.PerCPU = AggPairSize, true
		}
		ms := &ebpf.MapSpec{Name: m.SpecName, ValueSize: uint32(m.ValueSize)}
		if len(keys) > 0 {
			m.Key = keyLayout(keys)
			c.checkSize(mi, "key", m.Key.Size)
			ms.KeySize, ms.MaxEntries = uint32(m.Key.Size), uint32(c.info.Settings.MaxMapKeys)
			if mi.MaxEntries > 0 {
				ms.MaxEntries = uint32(mi.MaxEntries)
			}
			ms.Type = declaredMapType(mi.Kind, m.PerCPU)
			m.PerCPU = ms.Type == ebpf.PerCPUHash || ms.Type == ebpf.LRUCPUHash
		} else {
			ms.KeySize, ms.MaxEntries = 4, 1
			ms.Type = ebpf.Hash
			if m.PerCPU {
				// A scalar aggregation: a per-CPU array, whose one entry needs
				// no insertion.
				ms.Type, m.Array = ebpf.PerCPUArray, true
			}
		}
		c.checkSize(mi, "value", m.ValueSize)
		c.spec.Maps[m.SpecName] = ms
		c.maps[name] = m
		c.man.Maps = append(c.man.Maps, m)
	}
}

// MaxScratch is the most a per-CPU map's value holds (the kernel's
// PCPU_MIN_UNIT_SIZE; Linux 6.18 refuses a byte more), and so the most
// scratch memory a program has for the values it builds there: a map key
// or value over 64 bytes among them. (Hash maps take keys and values of
// up to 4 MiB together.) The checker refuses a tuple or record larger
// than this: it is lang.MaxValueSize.
const MaxScratch = lang.MaxValueSize

// checkSize reports a map key or value larger than the scratch area
// where the programs build it, at the map's first use.
func (c *compiler) checkSize(mi *lang.MapInfo, what string, size int) {
	if size <= MaxScratch || mi.First == nil {
		return
	}
	src := c.src.For(mi.First)
	start := mi.First.Start().Offset
	c.diags.AddSpan(src, start, start+len(mi.Name), "map %s of %d bytes is larger than the kernel's %d (the most a per-CPU buffer holds, where it is built)", what, size, MaxScratch)
}

// aggOf is the aggregation a map value type is.
func aggOf(t *lang.Type) Agg {
	switch t.Kind {
	case lang.KindCount:
		return AggCount
	case lang.KindSum:
		return AggSum
	case lang.KindAvg:
		return AggAvg
	case lang.KindMin:
		return AggMin
	case lang.KindMax:
		return AggMax
	case lang.KindStats:
		return AggStats
	case lang.KindHist:
		return AggHist
	case lang.KindLhist:
		return AggLhist
	case lang.KindTseries:
		return AggTseries
	}
	return AggNone
}

// declaredMapType is the kernel map type of a keyed map: what `let @m =
// kind(n)` asked for, else a hash, per CPU for aggregations.
func declaredMapType(kind string, perCPU bool) ebpf.MapType {
	switch kind {
	case "lruhash":
		if perCPU {
			return ebpf.LRUCPUHash
		}
		return ebpf.LRUHash
	case "percpuhash":
		return ebpf.PerCPUHash
	case "percpulruhash":
		return ebpf.LRUCPUHash
	}
	if perCPU {
		return ebpf.PerCPUHash
	}
	return ebpf.Hash
}

// specMapName turns "@name" into a kernel object name: AT_name, at most 15
// characters, unique.
func specMapName(name string, used map[string]bool) string {
	var b strings.Builder
	b.WriteString("AT_")
	for _, r := range strings.TrimPrefix(name, "@") {
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	s := b.String()
	if len(s) > 15 {
		s = s[:15]
	}
	for i := 1; used[s]; i++ {
		suffix := fmt.Sprint(i)
		s = s[:min(len(s), 15-len(suffix))] + suffix
	}
	used[s] = true
	return s
}

// storedSize is the size of a value of t in a map, key, variable or
// record: scalars take 8 bytes; a buffer holds its length first.
func storedSize(t *lang.Type) int {
	if t.IsScalar() {
		return ScalarSize
	}
	return t.StoredSize()
}

// keyLayout places a map's key parts as a tuple of them lays out, so that
// for ($kv : @m) copies a key into $kv.0 as it is. A single part is the
// key itself.
func keyLayout(types []*lang.Type) *Layout {
	if len(types) == 1 {
		return &Layout{Size: storedSize(types[0]), Parts: []Part{{Type: types[0]}}}
	}
	t := lang.TupleType(types)
	l := &Layout{Size: t.Size}
	for _, f := range t.Fields {
		l.Parts = append(l.Parts, Part{Offset: f.Offset, Type: f.Type})
	}
	return l
}

// internalMaps adds the ring buffer, the lost-event counter, the scratch
// map and the read-only data.
func (c *compiler) internalMaps() {
	c.spec.Maps[ringbufMapName] = &ebpf.MapSpec{
		Name: ringbufMapName, Type: ebpf.RingBuf, MaxEntries: uint32(c.opts.RingbufSize),
	}
	c.spec.Maps[lostMapName] = &ebpf.MapSpec{
		Name: lostMapName, Type: ebpf.Array, KeySize: 4, ValueSize: uint32(StateSize(c.man)), MaxEntries: 1,
	}
	if len(c.scratchNeed) > 0 {
		size := 0
		for _, n := range c.scratchNeed {
			size = max(size, n)
		}
		c.spec.Maps[scratchMapName] = &ebpf.MapSpec{
			Name: scratchMapName, Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: uint32(size),
			MaxEntries: uint32(len(c.scratchNeed)),
		}
	}
	for limit, name := range c.man.StackMaps {
		c.spec.Maps[name] = &ebpf.MapSpec{
			Name: name, Type: ebpf.StackTrace, KeySize: 4, ValueSize: uint32(8 * limit),
			MaxEntries: uint32(c.info.Settings.MaxMapKeys),
		}
	}
	for limit, name := range c.man.BuildIDStackMaps {
		c.spec.Maps[name] = &ebpf.MapSpec{
			Name: name, Type: ebpf.StackTrace, KeySize: 4, ValueSize: uint32(BuildIDFrameSize * limit),
			MaxEntries: uint32(c.info.Settings.MaxMapKeys), Flags: stackBuildIDFlag,
		}
	}
	c.dwMaps()
	if c.man.PidMap != "" {
		c.spec.Maps[c.man.PidMap] = &ebpf.MapSpec{
			Name: c.man.PidMap, Type: ebpf.LRUHash, KeySize: 4, ValueSize: 4, MaxEntries: pidMapSize,
		}
	}
	if c.opts.CountHits && len(c.man.Programs) > 0 {
		c.man.HitsMap = hitsMapName
		c.spec.Maps[hitsMapName] = &ebpf.MapSpec{
			Name: hitsMapName, Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: 8,
			MaxEntries: uint32(len(c.man.Programs)),
		}
	}
	c.spec.Maps[rodataMapName] = c.rodata.spec()
}
