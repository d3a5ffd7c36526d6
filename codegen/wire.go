package codegen

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
)

// Ring buffer flags of bpf_ringbuf_submit.
const (
	ringbufNoWakeup    = 1
	ringbufForceWakeup = 2
)

// ScalarSize is how many bytes a scalar takes in maps, keys and records.
const ScalarSize = 8

// SumValueSize is the layout of a sum() map value: the int64 sum, then the
// uint64 number of values added (so a sum that was touched is known even
// when it adds up to zero).
const SumValueSize = 16

// The read-only data map holds, in order: the start time (uint64 boot
// nanoseconds, set by the runtime before loading, read by `elapsed`), a
// run of zero bytes used to clear memory, and the string constants.
const (
	RodataStartTimeOffset = 0
	rodataZeroOffset      = 8
)
