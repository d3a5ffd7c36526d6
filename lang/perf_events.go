package lang

// PerfEvent is a software or hardware perf event a probe can count, as
// bpftrace names it: `software:page-faults:100`, `hardware:cycles`.
type PerfEvent struct {
	Name  string // bpftrace's name, e.g. "context-switches"
	Alias string // its short name, e.g. "cs"; "" if none
	// Config is the event's perf_event_attr.config: a PERF_COUNT_SW_* or
	// PERF_COUNT_HW_* value.
	Config uint64
	// DefaultCount is how many events fire the probe once when the probe
	// names no count.
	DefaultCount uint64
}

// SoftwareEvents are the events of software: probes, in bpftrace's order.
var SoftwareEvents = []PerfEvent{
	{"alignment-faults", "", 7, 1},
	{"bpf-output", "", 10, 1},
	{"context-switches", "cs", 3, 1000},
	{"cpu-clock", "cpu", 0, 1000000},
	{"cpu-migrations", "", 4, 1},
	{"dummy", "", 9, 1},
	{"emulation-faults", "", 8, 1},
	{"major-faults", "", 6, 1},
	{"minor-faults", "", 5, 100},
	{"page-faults", "faults", 2, 100},
	{"task-clock", "", 1, 1},
}

// HardwareEvents are the events of hardware: probes, in bpftrace's order.
var HardwareEvents = []PerfEvent{
	{"backend-stalls", "", 8, 1000000},
	{"branch-instructions", "branches", 4, 100000},
	{"branch-misses", "", 5, 100000},
	{"bus-cycles", "", 6, 100000},
	{"cache-misses", "", 3, 1000000},
	{"cache-references", "", 2, 1000000},
	{"cpu-cycles", "cycles", 0, 1000000},
	{"frontend-stalls", "", 7, 1000000},
	{"instructions", "", 1, 1000000},
	{"ref-cycles", "", 9, 1000000},
}

// FindPerfEvent finds an event of list by its name or alias.
func FindPerfEvent(list []PerfEvent, name string) (PerfEvent, bool) {
	for _, e := range list {
		if e.Name == name || e.Alias != "" && e.Alias == name {
			return e, true
		}
	}
	return PerfEvent{}, false
}
