package lang

import "strings"

// The documentation of builtins, functions and probe kinds that the REPL
// shows (.help NAME, a second Tab on a name): from the tables the checker
// uses, whose names, types, signatures and arities spec.md §3 and §6 are
// checked against (spec_*_test.go), with a line of text for each.

// DocKind says what a Doc documents.
type DocKind int

// What a Doc documents.
const (
	DocBuiltin DocKind = iota // a builtin variable: pid, comm
	DocFunc                   // a function: printf, count
	DocProbe                  // a probe kind: tracepoint, uprobe
)

// String names k as .help shows it.
func (k DocKind) String() string {
	return [...]string{DocBuiltin: "builtin", DocFunc: "function", DocProbe: "probe"}[k]
}

// Doc documents a builtin, a function or a probe kind.
type Doc struct {
	Kind DocKind
	// Name is how a script spells it: pid, printf, tracepoint.
	Name string
	// Sig is a builtin's type and name (`uint32 pid`), a function's
	// signature (`void printf(string fmt, ...)`), or the attach points of
	// a probe kind (`tracepoint:CATEGORY:NAME`, with its aliases).
	Sig string
	// Text says what it is or does, in a line.
	Text string
}

// Docs lists the documentation of every builtin, function and probe
// kind, in the order of lang's tables.
func Docs() []Doc {
	var docs []Doc
	for _, b := range Builtins() {
		docs = append(docs, builtinDoc(b))
	}
	for _, f := range Funcs() {
		docs = append(docs, funcDoc(f))
	}
	for _, k := range ProbeKinds() {
		docs = append(docs, probeDoc(k))
	}
	return docs
}

// DocsOf returns the documentation of what name spells: a builtin, a
// function (comm is both), or a probe kind by its name or an alias. The
// __builtin_ spellings and arg1, arg2... are their builtin's or
// function's.
func DocsOf(name string) []Doc {
	var docs []Doc
	if b := lookupBuiltin(name); b != BuiltinInvalid {
		docs = append(docs, builtinDoc(b))
	}
	if f := lookupFunc(name); f != FuncInvalid {
		docs = append(docs, funcDoc(f))
	}
	if k := lookupProvider(name); k != ProbeInvalid {
		docs = append(docs, probeDoc(k))
	}
	return docs
}

func builtinDoc(b Builtin) Doc {
	info := builtins[b]
	sig := info.name
	if info.typ != nil && info.typ.Kind != KindCtx {
		sig = info.typ.String() + " " + sig
	}
	return Doc{Kind: DocBuiltin, Name: info.name, Sig: sig, Text: info.doc}
}

func funcDoc(f Func) Doc {
	name := funcs[f].name
	if funcPrefixOnly[f] {
		name = builtinPrefix + name
	}
	return Doc{Kind: DocFunc, Name: name, Sig: funcs[f].sig, Text: funcDocs[f]}
}

func probeDoc(k ProbeKind) Doc {
	sig := probeDocs[k].points
	switch a := probeKinds[k].aliases; len(a) {
	case 0:
	case 1:
		sig += " (alias " + a[0] + ")"
	default:
		sig += " (aliases " + strings.Join(a, ", ") + ")"
	}
	return Doc{Kind: DocProbe, Name: probeKinds[k].name, Sig: sig, Text: probeDocs[k].text}
}

// probeDocs says how each probe kind's attach points are written and
// when it fires, as spec.md §3's table does.
var probeDocs = [numProbeKinds]struct{ points, text string }{
	ProbeBegin:         {"BEGIN", "once, before the other probes are attached"},
	ProbeEnd:           {"END", "once, after the other probes are detached"},
	ProbeInterval:      {"interval:UNIT:N", "every period (UNIT s, ms, us or hz), on CPU 0"},
	ProbeProfile:       {"profile:UNIT:N", "every period, on every online CPU, in whatever runs there"},
	ProbeSoftware:      {"software:EVENT[:COUNT]", "every COUNT occurrences of a software event, on every online CPU"},
	ProbeHardware:      {"hardware:EVENT[:COUNT]", "every COUNT occurrences of a CPU event, on every online CPU"},
	ProbeTracepoint:    {"tracepoint:CATEGORY:NAME", "when the kernel tracepoint fires; args holds its fields"},
	ProbeRawtracepoint: {"rawtracepoint:[MODULE:]NAME", "when the kernel tracepoint fires, with its raw arguments: args, arg0, arg1, ..."},
	ProbeKprobe:        {"kprobe:[MODULE:]FUNCTION[+OFFSET]", "when the kernel function is entered (or reaches the offset): arg0, arg1, ..., func"},
	ProbeKretprobe:     {"kretprobe:[MODULE:]FUNCTION", "when the kernel function returns: retval, func"},
	ProbeFentry:        {"fentry:[MODULE:]FUNCTION", "when the kernel function is entered: args, func"},
	ProbeFexit:         {"fexit:[MODULE:]FUNCTION", "when the kernel function returns: args, retval, func"},
	ProbeUprobe:        {"uprobe:BINARY:FUNCTION[+OFFSET]", "when a process runs the function of the binary or library (libc, /bin/bash): arg0, arg1, ..., func"},
	ProbeUretprobe:     {"uretprobe:BINARY:FUNCTION", "when the function of the binary or library returns: retval, func"},
	ProbeUsdt:          {"usdt:BINARY:[PROVIDER:]NAME", "when a process passes a site of the binary's USDT probe: arg0, arg1, ..."},
	ProbeWatchpoint:    {"watchpoint:ADDRESS:LENGTH:MODE", "when the address is read, written or executed, as MODE (r, w, x) says"},
	ProbeIter:          {"iter:task|task_file|task_vma", "once for each task, open file or memory mapping, then the script ends: ctx"},
	ProbeSelf:          {"self:signal:SIGUSR1", "each time hawk receives SIGUSR1, while the probes are attached"},
	ProbeTest:          {"test:NAME", "once, under --mode test only, after BEGIN"},
	ProbeBench:         {"bench:NAME", "many times, under --mode bench only, after BEGIN"},
}

// funcDocs says what each function does, in a line.
var funcDocs = [numFuncs]string{
	FuncPrintf:            "prints the values formatted by fmt, a string constant, as printf(3) does",
	FuncStr:               "the NUL-terminated string at data, at most length (max_strlen) bytes",
	FuncCount:             "counts the times the map's entry is assigned: @m[k] = count()",
	FuncSum:               "sums n into the map's entry",
	FuncExit:              "stops the script: END runs, the maps print, hawk exits with code",
	FuncStrncmp:           "compares the first n bytes of two strings: 0 when they are equal",
	FuncStrcontains:       "whether haystack contains needle",
	FuncStrlen:            "the length of a string",
	FuncStrstr:            "the index of needle in haystack, or -1",
	FuncBuf:               "length bytes at data, printed as hex escapes",
	FuncKptr:              "ptr, read from kernel memory",
	FuncUptr:              "ptr, read from user memory",
	FuncBswap:             "n with its bytes reversed",
	FuncAvg:               "the average of the n assigned to the map's entry",
	FuncMin:               "the least n assigned to the map's entry",
	FuncMax:               "the greatest n assigned to the map's entry",
	FuncStats:             "the count, average and total of the n assigned to the map's entry",
	FuncHist:              "a power-of-2 histogram of n (k: 2^k buckets per power of 2)",
	FuncLhist:             "a linear histogram of n from min to max in steps of step",
	FuncPrint:             "prints a map now, as at exit (top entries, values divided by div), or a value",
	FuncClear:             "deletes every entry of a map",
	FuncZero:              "sets every value of a map to zero",
	FuncDelete:            "deletes a map's entry; whether there was one",
	FuncHasKey:            "whether the map has an entry for key",
	FuncLen:               "the number of entries of a map",
	FuncTime:              "prints the local time in strftime format fmt (default %H:%M:%S)",
	FuncJoin:              "prints the strings of a NULL-terminated array, separated by sep",
	FuncKaddr:             "the address of a kernel symbol",
	FuncNtop:              "an IPv4 or IPv6 address, printed as text",
	FuncKsym:              "the kernel symbol at addr, printed by name",
	FuncCat:               "prints the file named by the formatted string",
	FuncSystem:            "runs the formatted command with /bin/sh -c and prints its output",
	FuncErrorf:            "prints an ERROR located at the call on stderr; the run goes on",
	FuncWarnf:             "prints a WARNING located at the call on stderr",
	FuncSignal:            "sends a signal to the current process",
	FuncStrftime:          "the boot-clock time nsecs, printed as the local time in strftime(3) format fmt",
	FuncUsym:              "the user symbol at addr, printed by name",
	FuncUaddr:             "the address of a symbol of the probe's binary",
	FuncGetopt:            "the value of the program's named option --name, or default",
	FuncReg:               "the value of a register in the probe's context: reg(\"ip\")",
	FuncPton:              "the bytes of an IPv4 or IPv6 address written as text, in network order",
	FuncComm:              "the name of the current thread, or of another process by its pid",
	FuncTseries:           "a time series of n: its values in num_intervals intervals of interval_ns",
	FuncStrerror:          "the text of an errno, printed as strerror(3) gives it",
	FuncSignalName:        "the name of a signal: SIGINT",
	FuncSyscallName:       "the name of a system call by its number",
	FuncMacaddr:           "a MAC address, printed as aa:bb:cc:dd:ee:ff",
	FuncContainerOf:       "the struct T that holds ptr as its member",
	FuncDefaultStrLength:  "the length str() reads by default (max_strlen)",
	FuncStrcap:            "the capacity of a string: the bytes it may hold",
	FuncMemcmp:            "compares count bytes of two values: 0 when they are equal",
	FuncStrConcat:         "the two strings joined",
	FuncFind:              "whether the map has key, and its value into $result",
	FuncPath:              "the file path of a struct path, as d_path gives it",
	FuncDebugf:            "writes the formatted text to the kernel's trace buffer",
	FuncStaticAssert:      "refuses the script when a compile-time condition fails",
	FuncFail:              "refuses the script with the formatted message where code runs it",
	FuncAssertStr:         "refuses the script unless the expression is a string",
	FuncIsStr:             "whether the expression is a string, at compile time",
	FuncIsPtr:             "whether the expression is a pointer, at compile time",
	FuncIsArray:           "whether the expression is an array, at compile time",
	FuncIsInteger:         "whether the expression is an integer, at compile time",
	FuncIsUnsignedInteger: "whether the expression is an unsigned integer, at compile time",
	FuncIsLiteral:         "whether the expression is a literal, at compile time",
	FuncKfuncExist:        "whether the kernel has the kernel function (kfunc)",
	FuncKfuncAllowed:      "whether the probe's programs may call the kernel function (kfunc)",
	FuncSignalNum:         "the number of a signal named by a string: SIGINT, INT or 2",
	FuncWriteUser:         "writes len bytes from src to user memory at dst",
	FuncSignalThread:      "sends a signal to the current thread",
	FuncOverride:          "makes the kprobed function return rc without running",
	FuncUnwatch:           "removes the watchpoint at addr",
	FuncSocketCookie:      "the socket's cookie, a number that names it",
	FuncSkboutput:         "writes length bytes of the packet to a pcap file",
	FuncPercpuKaddr:       "the address of a per-CPU kernel variable on cpu (the current one)",
	FuncCgroupPath:        "the path of the cgroup with the id, in the hierarchies filter matches",
	FuncCgroupid:          "the id of the cgroup (v2) at path",
}
