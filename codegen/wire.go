package codegen

import "encoding/binary"

// The records a program sends to user space through the ring buffer. Every
// record starts with a header: the event kind and an id whose meaning
// depends on the kind. Everything that crosses between the two sides is
// described here, so they cannot drift apart.
const (
	// EventHeaderSize is the size of the header of every record.
	EventHeaderSize = 8
	// EventKindOffset is the offset of the uint32 event kind.
	EventKindOffset = 0
	// EventIDOffset is the offset of the uint32 id.
	EventIDOffset = 4
)

// Event kinds.
const (
	// EventPrintf carries a printf's arguments; the id indexes
	// Manifest.Printfs, whose layout says where each argument is.
	EventPrintf uint32 = 1
	// EventExit asks hawk to stop; the id is the exit code.
	EventExit uint32 = 2
	// EventPrintMap prints a map now; the id indexes Manifest.Maps, and
	// the record holds the top and div arguments (uint64 each).
	EventPrintMap uint32 = 3
	// EventClear empties a map; the id indexes Manifest.Maps.
	EventClear uint32 = 4
	// EventZero sets a map's values to zero; the id indexes Manifest.Maps.
	EventZero uint32 = 5
	// EventPrintValue prints a value; the id indexes Manifest.Values,
	// whose type says how to decode the record's payload.
	EventPrintValue uint32 = 6
	// EventTime prints the local time; the id indexes Manifest.TimeFormats.
	EventTime uint32 = 7
	// EventJoin prints strings joined; the id indexes Manifest.Joins. The
	// record holds the number of strings (uint64), then the strings, each
	// in a slot of JoinMeta.ArgSize bytes.
	EventJoin uint32 = 8
	// EventPid tells user space that a process's user stack or address
	// was taken for the first time, so that it reads the process's
	// mappings while it still runs; the id is the process id.
	EventPid uint32 = 9
)

// userStackFlag is bpf_get_stackid's BPF_F_USER_STACK.
const userStackFlag = 1 << 8

// stackBuildIDFlag is BPF_F_STACK_BUILD_ID, the flag of a stack map whose
// frames are build ids and offsets.
const stackBuildIDFlag = 1 << 5

// BuildIDFrameSize is the size of a frame of a build_id stack map, struct
// bpf_stack_build_id: int32 status (BuildIDValid, or BuildIDIP when the
// kernel could not read the binary's build id), the 20-byte build id, then
// the offset in the binary, or the address when status is BuildIDIP.
const BuildIDFrameSize = 32

// The statuses of a build_id stack frame (enum bpf_stack_build_id_status).
const (
	BuildIDEmpty = 0
	BuildIDValid = 1
	BuildIDIP    = 2
)

// A user stack is one scalar: the stack id in the low 32 bits, the
// process id above.
const StackPidShift = 32

// AggPairSize is the layout of sum(), avg(), stats(), min() and max()
// values: an int64 and a uint64 (the number of values for the first
// three; whether a value was set for min and max).
const AggPairSize = 16

// The value of a tseries() bucket: the interval's value (int64), what
// the aggregation keeps beside it (uint64: the time it was set at for
// the default, last value; the number of values for avg; whether a value
// is set for min and max) and the interval's number since the epoch,
// time / interval (uint64; 0 for a bucket never set), by which user space
// tells the current intervals from old ones and puts each CPU's value of
// one interval together.
const (
	TseriesValueOffset = 0
	TseriesMetaOffset  = 8
	TseriesEpochOffset = 16
	TseriesValueSize   = 24
)

// Ring buffer flags of bpf_ringbuf_submit.
const (
	ringbufNoWakeup    = 1
	ringbufForceWakeup = 2
)

// The state map (Manifest.LostMap) holds one value that programs update
// when the ring buffer is full: the number of events lost (uint64), and
// the exit word (uint64): StateExitUnsent | the exit code when an exit()
// could not be sent, which the runtime looks for as it looks for lost
// events, and StateExited once a probe called exit(), which makes the
// script's probes stop (exited.go). Then come the counts of problems found
// at run time, one uint64 for each place in the script that counts one
// (Manifest.Sites).
const (
	StateLostOffset  = 0
	StateExitOffset  = 8
	StateSitesOffset = 16
)

// The flags of the exit word, above its code.
const (
	StateExitUnsent = 1 << 32
	StateExited     = 1 << 33
)

// SiteCount is how many times a site's problem happened, from its counter
// in the state map: a SiteFull counter adds the update's own -E2BIG each
// time (one instruction fewer than adding 1), so it holds -7 times the
// count (objects written before added 1, and a count's insert adds 1
// (countOne): a positive counter is a count); a SiteLost counter adds
// bpf_ringbuf_output's -EAGAIN, -11 times the count; a SiteReadError
// counter holds an error, not a count.
func SiteCount(kind SiteKind, counter uint64) uint64 {
	if kind == SiteFull && int64(counter) < 0 {
		return uint64(-int64(counter)) / e2big
	}
	if kind == SiteLost && int64(counter) < 0 {
		return uint64(-int64(counter)) / eagain
	}
	return counter
}

// eagain is the errno of bpf_ringbuf_output finding no room: a SiteLost
// counter adds it each time (output.go).
const eagain = 11

// LostEvents is how many records the ring buffer had no room for, from
// the state map's value: its lost counter (reservations) and its SiteLost
// counters (bpf_ringbuf_output).
func LostEvents(m *Manifest, state []byte) uint64 {
	n := binary.NativeEndian.Uint64(state[StateLostOffset:])
	for i, site := range m.Sites {
		if site.Kind == SiteLost {
			n += SiteCount(SiteLost, binary.NativeEndian.Uint64(state[StateSitesOffset+8*i:]))
		}
	}
	return n
}

// StateSize is the size of the state map's value for a manifest.
func StateSize(m *Manifest) int { return StateSitesOffset + 8*len(m.Sites) }

// ScalarSize is how many bytes a scalar takes in maps, keys and records.
const ScalarSize = 8

// WireVersion numbers the layouts in this file (records, read-only data,
// state map): bump it whenever one changes, so that an object compiled
// by another hawk (--emit-elf) is refused instead of misread.
const WireVersion = 4

// The read-only data map holds, in order: the start time (uint64 boot
// nanoseconds, set by the runtime before loading, read by `elapsed`), the
// number of possible CPUs (uint64, set by the runtime, read by `ncpus`
// and by loops over per-CPU values), the process -p traces (uint64, read
// by the pid filter), the child -c runs (uint64, read by `cpid`), the
// device and inode numbers of hawk's pid namespace (uint64 each, read by
// pid and tid; both 0 in the initial namespace, where pid and tid need no
// translation), a run of zero bytes used to clear memory, then the string
// constants and, in objects, the values of the program options getopt()
// reads (Manifest.Options), which the runtime sets before loading.
const (
	RodataStartTimeOffset = 0
	RodataNcpusOffset     = 8
	RodataTargetPidOffset = 16
	RodataCpidOffset      = 24
	RodataPidNsDevOffset  = 32
	RodataPidNsInoOffset  = 40
	rodataZeroOffset      = 48
)
