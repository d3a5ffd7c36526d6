package lang

import (
	"strings"
)

// Builtin is a builtin variable such as pid or comm.
type Builtin int

// Builtin variables.
const (
	BuiltinInvalid Builtin = iota
	BuiltinPid
	BuiltinTid
	BuiltinUid
	BuiltinGid
	BuiltinComm
	BuiltinNsecs
	BuiltinElapsed
	BuiltinCpu
	BuiltinNcpus
	BuiltinCurtask
	BuiltinCgroup
	BuiltinRand
	BuiltinJiffies
	BuiltinUsername
	BuiltinPpid
	BuiltinProbe
	BuiltinFunc
	BuiltinRetval
	BuiltinArgs
	BuiltinArg // arg0, arg1, ...
	BuiltinKstack
	BuiltinUstack
	BuiltinCtx
	BuiltinCpid
	BuiltinProbetype
	BuiltinUsermode
	BuiltinConfig
	// value functions (issue 14)
	BuiltinPcomm
	BuiltinLeaderComm
	BuiltinLeaderTid
	BuiltinNumaid
	BuiltinHasCpid
	// dw_ustack (issue 14)
	BuiltinDwUstack
	numBuiltins
)

type builtinInfo struct {
	name  string
	typ   *Type       // nil when the checker computes it
	kinds []ProbeKind // the probe kinds that have it; nil for all
	doc   string
}

var builtins = [numBuiltins]builtinInfo{
	BuiltinPid:       {name: "pid", typ: Uint32, doc: "process id"},
	BuiltinTid:       {name: "tid", typ: Uint32, doc: "thread id"},
	BuiltinUid:       {name: "uid", typ: Uint32, doc: "user id"},
	BuiltinGid:       {name: "gid", typ: Uint32, doc: "group id"},
	BuiltinComm:      {name: "comm", typ: StringType(16), doc: "thread name"},
	BuiltinNsecs:     {name: "nsecs", typ: Uint64, doc: "nanoseconds on the boot clock; nsecs(monotonic|boot|tai)"},
	BuiltinElapsed:   {name: "elapsed", typ: Uint64, doc: "nanoseconds since hawk started"},
	BuiltinCpu:       {name: "cpu", typ: Uint64, doc: "the CPU the probe runs on"},
	BuiltinNcpus:     {name: "ncpus", typ: Uint64, doc: "number of CPUs"},
	BuiltinCurtask:   {name: "curtask", doc: "the current struct task_struct *"},
	BuiltinCgroup:    {name: "cgroup", typ: Uint64, doc: "cgroup v2 id of the current task"},
	BuiltinRand:      {name: "rand", typ: Uint32, doc: "a pseudo-random number"},
	BuiltinJiffies:   {name: "jiffies", typ: Uint64, doc: "the kernel's jiffies"},
	BuiltinUsername:  {name: "username", typ: &Type{Kind: KindUsername, Size: 8}, doc: "the current user's name"},
	BuiltinPpid:      {name: "ppid", doc: "parent process id: curtask->real_parent->tgid, a pid_t (int32)"},
	BuiltinProbe:     {name: "probe", doc: "the attach point that fired"},
	BuiltinFunc:      {name: "func", kinds: []ProbeKind{ProbeKprobe, ProbeKretprobe, ProbeUprobe, ProbeUretprobe, ProbeFentry, ProbeFexit}, doc: "the traced function (kprobes, uprobes, fentry, fexit)"},
	BuiltinRetval:    {name: "retval", typ: Uint64, kinds: []ProbeKind{ProbeKretprobe, ProbeUretprobe, ProbeFexit}, doc: "the traced function's return value (kretprobe, uretprobe, fexit)"},
	BuiltinArgs:      {name: "args", typ: &Type{Kind: KindCtx}, kinds: []ProbeKind{ProbeTracepoint, ProbeRawtracepoint, ProbeFentry, ProbeFexit}, doc: "the typed arguments: a tracepoint's fields, a raw tracepoint's or a kernel function's (fentry, fexit) arguments"},
	BuiltinArg:       {name: "arg0", typ: Uint64, kinds: []ProbeKind{ProbeKprobe, ProbeUprobe, ProbeUsdt, ProbeRawtracepoint}, doc: "arguments of the traced function (kprobes, uprobes, usdt, raw tracepoints): arg0, arg1, ..."},
	BuiltinKstack:    {name: "kstack", typ: &Type{Kind: KindStack, Size: 8}, doc: "the kernel stack"},
	BuiltinUstack:    {name: "ustack", typ: &Type{Kind: KindStack, Size: 8, Name: "ustack"}, doc: "the user-space stack"},
	BuiltinCpid:      {name: "cpid", typ: Uint32, doc: "the pid of the command -c runs"},
	BuiltinProbetype: {name: "probetype", doc: "the kind of the probe that fired: kprobe, tracepoint, ...; special for BEGIN and END"},
	BuiltinUsermode:  {name: "usermode", typ: Uint8, doc: "1 when the probe fired in user mode, else 0 (x86-64); 1 in BEGIN and END, which run in hawk"},
	BuiltinConfig:    {name: "config", doc: "a record of the config values: config.max_strlen, config.stack_mode, ..."},
	BuiltinCtx:       {name: "ctx", doc: "the probe's context: the iterator's (iter probes: ctx->task, ctx->file, ...), else a void * to cast"},
	// value functions (issue 14)
	BuiltinPcomm:      {name: "pcomm", doc: "the parent process's name, curtask->real_parent->comm; pcomm(task) for another task's"},
	BuiltinLeaderComm: {name: "leader_comm", doc: "the thread group leader's name, curtask->group_leader->comm; leader_comm(task)"},
	BuiltinLeaderTid:  {name: "leader_tid", doc: "the thread group leader's thread id, curtask->group_leader->pid; leader_tid(task)"},
	BuiltinNumaid:     {name: "numaid", typ: Uint32, doc: "the NUMA node the probe runs on"},
	BuiltinHasCpid:    {name: "has_cpid", typ: Bool, doc: "true when hawk runs a command (-c), whose pid cpid is"},
	// dw_ustack (issue 14)
	BuiltinDwUstack: {name: "dw_ustack", doc: "the user-space stack unwound with the binaries' call frame information (.eh_frame): dw_ustack(mode, limit) as ustack"},
}

// String returns the name scripts use for b.
func (b Builtin) String() string { return builtins[b].name }

// Builtins lists every builtin variable.
func Builtins() []Builtin { return enumValues(numBuiltins) }

func builtinSpelling(b Builtin) []string { return []string{builtins[b].name} }

// builtinByName finds a builtin by its name.
var builtinByName = nameIndex(numBuiltins, builtinSpelling)

// builtinPrefix spells a builtin so that no macro can hide it, as
// bpftrace's standard library does: __builtin_comm is comm.
const builtinPrefix = "__builtin_"

// builtinWrapped are the builtins that have a __builtin_NAME spelling, as
// in bpftrace, whose comm() and the like are macros around it.
var builtinWrapped = map[Builtin]bool{
	BuiltinComm: true, BuiltinCpid: true, BuiltinCpu: true, BuiltinElapsed: true, BuiltinFunc: true,
	BuiltinNcpus: true, BuiltinProbe: true, BuiltinProbetype: true, BuiltinRetval: true,
	BuiltinUsermode: true, BuiltinConfig: true, BuiltinDwUstack: true,
}

func lookupBuiltin(name string) Builtin {
	if n, ok := ArgIndex(name); ok && n >= 0 {
		return BuiltinArg
	}
	if bare, ok := strings.CutPrefix(name, builtinPrefix); ok {
		if b := builtinByName(bare); builtinWrapped[b] {
			return b
		}
		return BuiltinInvalid
	}
	return builtinByName(name)
}

// ArgIndex reads N from argN.
func ArgIndex(name string) (int, bool) {
	digits, ok := strings.CutPrefix(name, "arg")
	if !ok || digits == "" || len(digits) > 2 || (len(digits) > 1 && digits[0] == '0') {
		return 0, false
	}
	return atoi(digits)
}

// Func is a builtin function such as printf or count.
type Func int

// Builtin functions.
const (
	FuncInvalid Func = iota
	FuncPrintf
	FuncStr
	FuncCount
	FuncSum
	FuncExit
	FuncStrncmp
	FuncStrcontains
	FuncStrlen
	FuncStrstr
	FuncBuf
	FuncKptr
	FuncUptr
	FuncBswap
	FuncAvg
	FuncMin
	FuncMax
	FuncStats
	FuncHist
	FuncLhist
	FuncPrint
	FuncClear
	FuncZero
	FuncDelete
	FuncHasKey
	FuncLen
	FuncTime
	FuncJoin
	FuncKaddr
	FuncNtop
	FuncKsym
	FuncCat
	FuncSystem
	FuncErrorf
	FuncWarnf
	FuncSignal
	FuncStrftime
	FuncUsym
	FuncUaddr
	FuncGetopt
	FuncReg
	FuncPton
	FuncComm
	FuncTseries
	// value functions (issue 14)
	FuncStrerror
	FuncSignalName
	FuncSyscallName
	FuncMacaddr
	FuncContainerOf
	FuncDefaultStrLength
	FuncStrcap
	FuncMemcmp
	FuncStrConcat
	FuncFind
	FuncPath
	// Compile-time helpers and diagnostics (issue 14, stdlibmeta).
	FuncDebugf
	FuncStaticAssert
	FuncFail
	FuncAssertStr
	FuncIsStr
	FuncIsPtr
	FuncIsArray
	FuncIsInteger
	FuncIsUnsignedInteger
	FuncIsLiteral
	FuncKfuncExist
	FuncKfuncAllowed
	FuncSignalNum // only as __builtin_signal_num
	// functions that reach into the kernel (issue 14, kernelfns)
	FuncWriteUser
	FuncSignalThread
	FuncOverride
	FuncUnwatch
	FuncSocketCookie
	FuncSkboutput
	FuncPercpuKaddr
	FuncCgroupPath
	FuncCgroupid
	numFuncs
)

type funcInfo struct {
	name             string
	minArgs, maxArgs int // maxArgs < 0: any number
	// aggregation functions are only assigned to maps: @m[k] = count()
	aggregation bool
	check       func(c *checker, call *Call) *Type
	sig         string // the signature, for documentation
}

// funcs is filled in init to break the cycle between the table and the
// checker methods it names.
var funcs [numFuncs]funcInfo

func init() {
	funcs = [numFuncs]funcInfo{
		FuncPrintf:      {name: "printf", minArgs: 1, maxArgs: -1, check: (*checker).checkPrintf, sig: "void printf(string fmt, ...)"},
		FuncStr:         {name: "str", minArgs: 1, maxArgs: 2, check: (*checker).checkStr, sig: "string str(char *data [, int64 length])"},
		FuncCount:       {name: "count", minArgs: 0, maxArgs: 0, aggregation: true, check: (*checker).checkCount, sig: "count_t count()"},
		FuncSum:         {name: "sum", minArgs: 1, maxArgs: 1, aggregation: true, check: (*checker).checkSum, sig: "sum_t sum(int64 n)"},
		FuncExit:        {name: "exit", minArgs: 0, maxArgs: 1, check: (*checker).checkExit, sig: "void exit([int64 code])"},
		FuncStrncmp:     {name: "strncmp", minArgs: 3, maxArgs: 3, check: (*checker).checkStrncmp, sig: "int64 strncmp(string s1, string s2, int64 n)"},
		FuncStrcontains: {name: "strcontains", minArgs: 2, maxArgs: 2, check: (*checker).checkStrcontains, sig: "bool strcontains(string haystack, string needle)"},
		FuncStrlen:      {name: "strlen", minArgs: 1, maxArgs: 1, check: (*checker).checkStrlen, sig: "uint64 strlen(string s)"},
		FuncStrstr:      {name: "strstr", minArgs: 2, maxArgs: 2, check: (*checker).checkStrstr, sig: "int64 strstr(string haystack, string needle)"},
		FuncBuf:         {name: "buf", minArgs: 1, maxArgs: 2, check: (*checker).checkBuf, sig: "buffer buf(void *data [, int64 length])"},
		FuncKptr:        {name: "kptr", minArgs: 1, maxArgs: 1, check: (*checker).checkSpacePtr, sig: "T *kptr(T *ptr)"},
		FuncUptr:        {name: "uptr", minArgs: 1, maxArgs: 1, check: (*checker).checkSpacePtr, sig: "T *uptr(T *ptr)"},
		FuncBswap:       {name: "bswap", minArgs: 1, maxArgs: 1, check: (*checker).checkBswap, sig: "uintN bswap(intN n)"},
		FuncAvg:         {name: "avg", minArgs: 1, maxArgs: 1, aggregation: true, check: (*checker).checkAgg, sig: "avg_t avg(int64 n)"},
		FuncMin:         {name: "min", minArgs: 1, maxArgs: 1, aggregation: true, check: (*checker).checkAgg, sig: "min_t min(int64 n)"},
		FuncMax:         {name: "max", minArgs: 1, maxArgs: 1, aggregation: true, check: (*checker).checkAgg, sig: "max_t max(int64 n)"},
		FuncStats:       {name: "stats", minArgs: 1, maxArgs: 1, aggregation: true, check: (*checker).checkAgg, sig: "stats_t stats(int64 n)"},
		FuncHist:        {name: "hist", minArgs: 1, maxArgs: 2, aggregation: true, check: (*checker).checkHist, sig: "hist_t hist(int64 n [, int64 k])"},
		FuncLhist:       {name: "lhist", minArgs: 4, maxArgs: 4, aggregation: true, check: (*checker).checkLhist, sig: "lhist_t lhist(int64 n, int64 min, int64 max, int64 step)"},
		FuncPrint:       {name: "print", minArgs: 1, maxArgs: 3, check: (*checker).checkPrint, sig: "void print(map [, int64 top [, int64 div]]) | void print(value)"},
		FuncClear:       {name: "clear", minArgs: 1, maxArgs: 1, check: (*checker).checkMapArg, sig: "void clear(map)"},
		FuncZero:        {name: "zero", minArgs: 1, maxArgs: 1, check: (*checker).checkMapArg, sig: "void zero(map)"},
		FuncDelete:      {name: "delete", minArgs: 1, maxArgs: -1, check: (*checker).checkDelete, sig: "bool delete(map[key]) | bool delete(map, key)"},
		FuncHasKey:      {name: "has_key", minArgs: 2, maxArgs: -1, check: (*checker).checkHasKey, sig: "bool has_key(map, key)"},
		FuncLen:         {name: "len", minArgs: 1, maxArgs: 1, check: (*checker).checkLen, sig: "int64 len(map)"},
		FuncTime:        {name: "time", minArgs: 0, maxArgs: 1, check: (*checker).checkTime, sig: "void time([string fmt])"},
		FuncJoin:        {name: "join", minArgs: 1, maxArgs: 2, check: (*checker).checkJoin, sig: "void join(char *argv[] [, string sep])"},
		FuncKaddr:       {name: "kaddr", minArgs: 1, maxArgs: 1, check: (*checker).checkKaddr, sig: "uint64 kaddr(string symbol)"},
		FuncNtop:        {name: "ntop", minArgs: 1, maxArgs: 2, check: (*checker).checkNtop, sig: "inet ntop([int64 af,] int addr | char addr[4|16])"},
		FuncKsym:        {name: "ksym", minArgs: 1, maxArgs: 1, check: (*checker).checkKsym, sig: "ksym_t ksym(uint64 addr)"},
		FuncCat:         {name: "cat", minArgs: 1, maxArgs: -1, check: (*checker).checkPrintf, sig: "void cat(string namefmt, ...)"},
		FuncSystem:      {name: "system", minArgs: 1, maxArgs: -1, check: (*checker).checkSystem, sig: "void system(string cmdfmt, ...) (--unsafe)"},
		FuncErrorf:      {name: "errorf", minArgs: 1, maxArgs: -1, check: (*checker).checkPrintf, sig: "void errorf(string fmt, ...)"},
		FuncWarnf:       {name: "warnf", minArgs: 1, maxArgs: -1, check: (*checker).checkPrintf, sig: "void warnf(string fmt, ...)"},
		FuncSignal:      {name: "signal", minArgs: 1, maxArgs: 1, check: (*checker).checkSignal, sig: "void signal(string sig | uint32 signum) (--unsafe)"},
		FuncStrftime:    {name: "strftime", minArgs: 2, maxArgs: 2, check: (*checker).checkStrftime, sig: "timestamp strftime(string fmt, int64 nsecs)"},
		FuncUsym:        {name: "usym", minArgs: 1, maxArgs: 1, check: (*checker).checkUsym, sig: "usym_t usym(uint64 addr)"},
		FuncUaddr:       {name: "uaddr", minArgs: 1, maxArgs: 1, check: (*checker).checkUaddr, sig: "T *uaddr(string symbol)"},
		FuncPton:        {name: "pton", minArgs: 1, maxArgs: 1, check: (*checker).checkPton, sig: "char addr[4|16] pton(string addr)"},
		FuncComm:        {name: "comm", minArgs: 0, maxArgs: 1, check: (*checker).commOf, sig: "string comm([int32 pid])"},
		FuncReg:         {name: "reg", minArgs: 1, maxArgs: 1, check: (*checker).checkReg, sig: "uint64 reg(string name)"},
		FuncTseries:     {name: "tseries", minArgs: 3, maxArgs: 4, aggregation: true, check: (*checker).checkTseries, sig: "tseries_t tseries(int64 n, int64 interval_ns, int64 num_intervals [, string agg])"},
		FuncGetopt:      {name: "getopt", minArgs: 1, maxArgs: 3, check: (*checker).checkGetopt, sig: "bool|uint64|int64|string getopt(string name [, default [, string description]])"},
		// value functions (issue 14)
		FuncStrerror:         {name: "strerror", minArgs: 1, maxArgs: 1, check: (*checker).checkNameTable, sig: "string strerror(int errno)"},
		FuncSignalName:       {name: "signal_name", minArgs: 1, maxArgs: 1, check: (*checker).checkNameTable, sig: "string signal_name(int sig)"},
		FuncSyscallName:      {name: "syscall_name", minArgs: 1, maxArgs: 1, check: (*checker).checkNameTable, sig: "string syscall_name(int nr)"},
		FuncContainerOf:      {name: "container_of", minArgs: 3, maxArgs: 3, check: (*checker).checkContainerOf, sig: "T *container_of(M *ptr, typeof(T), member)"},
		FuncDefaultStrLength: {name: "default_str_length", minArgs: 0, maxArgs: 0, check: (*checker).checkDefaultStrLength, sig: "uint64 default_str_length()"},
		FuncStrcap:           {name: "strcap", minArgs: 1, maxArgs: 1, check: (*checker).checkStrcap, sig: "int64 strcap(string s | int8 s[N] | int8 *s)"},
		FuncMemcmp:           {name: "memcmp", minArgs: 3, maxArgs: 3, check: (*checker).checkMemcmp, sig: "int64 memcmp(left, right, uint64 count)"},
		FuncStrConcat:        {name: "str_concat", minArgs: 2, maxArgs: 2, check: (*checker).checkStrConcat, sig: "string str_concat(string s1, string s2)"},
		FuncFind:             {name: "find", minArgs: 3, maxArgs: 3, check: (*checker).checkFind, sig: "bool find(map m, key k, $result)"},
		FuncPath:             {name: "path", minArgs: 1, maxArgs: 2, check: (*checker).checkPath, sig: "string path(struct path *p [, int32 size])"},
		FuncMacaddr:          {name: "macaddr", minArgs: 1, maxArgs: 1, check: (*checker).checkMacaddr, sig: "macaddr_t macaddr(char mac[6] | char *mac)"},
		// Compile-time helpers and diagnostics (issue 14, stdlibmeta).
		FuncDebugf:            {name: "debugf", minArgs: 1, maxArgs: -1, check: (*checker).checkDebugf, sig: "void debugf(string fmt, ...)"},
		FuncStaticAssert:      {name: "static_assert", minArgs: 2, maxArgs: 2, check: (*checker).checkStaticAssert, sig: "void static_assert(bool condition, string msg)"},
		FuncFail:              {name: "fail", minArgs: 1, maxArgs: -1, check: (*checker).checkFail, sig: "void fail(string fmt, ...)"},
		FuncAssertStr:         {name: "assert_str", minArgs: 1, maxArgs: 1, check: (*checker).checkAssertStr, sig: "void assert_str(any expression)"},
		FuncIsStr:             {name: "is_str", minArgs: 1, maxArgs: 1, check: (*checker).checkTypePredicate, sig: "bool is_str(any expression)"},
		FuncIsPtr:             {name: "is_ptr", minArgs: 1, maxArgs: 1, check: (*checker).checkTypePredicate, sig: "bool is_ptr(any expression)"},
		FuncIsArray:           {name: "is_array", minArgs: 1, maxArgs: 1, check: (*checker).checkTypePredicate, sig: "bool is_array(any expression)"},
		FuncIsInteger:         {name: "is_integer", minArgs: 1, maxArgs: 1, check: (*checker).checkTypePredicate, sig: "bool is_integer(any expression)"},
		FuncIsUnsignedInteger: {name: "is_unsigned_integer", minArgs: 1, maxArgs: 1, check: (*checker).checkTypePredicate, sig: "bool is_unsigned_integer(any expression)"},
		FuncIsLiteral:         {name: "is_literal", minArgs: 1, maxArgs: 1, check: (*checker).checkIsLiteral, sig: "bool is_literal(any expression)"},
		FuncKfuncExist:        {name: "kfunc_exist", minArgs: 1, maxArgs: 1, check: (*checker).checkKfunc, sig: "bool kfunc_exist(string kfunc)"},
		FuncKfuncAllowed:      {name: "kfunc_allowed", minArgs: 1, maxArgs: 1, check: (*checker).checkKfunc, sig: "bool kfunc_allowed(string kfunc)"},
		FuncSignalNum:         {name: "signal_num", minArgs: 1, maxArgs: 1, check: (*checker).checkSignalNum, sig: "uint32 __builtin_signal_num(string name)"},
		// functions that reach into the kernel (issue 14, kernelfns)
		FuncWriteUser:    {name: "write_user", minArgs: 3, maxArgs: 3, check: (*checker).checkWriteUser, sig: "bool write_user(T *dst, T *src, uint32 len) (--unsafe)"},
		FuncSignalThread: {name: "signal_thread", minArgs: 1, maxArgs: 1, check: (*checker).checkSignal, sig: "void signal_thread(string sig | uint32 signum) (--unsafe)"},
		FuncOverride:     {name: "override", minArgs: 1, maxArgs: 1, check: (*checker).checkOverride, sig: "void override(uint64 rc) (kprobe, --unsafe)"},
		FuncUnwatch:      {name: "unwatch", minArgs: 1, maxArgs: 1, check: (*checker).checkUnwatch, sig: "void unwatch(void *addr)"},
		FuncSocketCookie: {name: "socket_cookie", minArgs: 1, maxArgs: 1, check: (*checker).checkSocketCookie, sig: "uint64 socket_cookie(struct sock *sk)"},
		FuncSkboutput:    {name: "skboutput", minArgs: 4, maxArgs: 4, check: (*checker).checkSkboutput, sig: "uint32 skboutput(string path, struct sk_buff *skb, uint64 length, const uint64 offset)"},
		FuncPercpuKaddr:  {name: "percpu_kaddr", minArgs: 1, maxArgs: 2, check: (*checker).checkPercpuKaddr, sig: "uint64 *percpu_kaddr(string name [, int cpu])"},
		FuncCgroupPath:   {name: "cgroup_path", minArgs: 1, maxArgs: 2, check: (*checker).checkCgroupPath, sig: "cgroup_path_t cgroup_path(uint64 cgroupid [, string filter])"},
		FuncCgroupid:     {name: "cgroupid", minArgs: 1, maxArgs: 1, check: (*checker).checkCgroupid, sig: "uint64 cgroupid(string path)"},
	}
}

// IsAggregation reports whether f is assigned to maps: count(), hist()...
func (f Func) IsAggregation() bool { return funcs[f].aggregation }

// String returns the name scripts use for f.
func (f Func) String() string { return funcs[f].name }

// Funcs lists every builtin function.
func Funcs() []Func { return enumValues(numFuncs) }

func funcSpelling(f Func) []string { return []string{funcs[f].name} }

// funcByName finds a function by its name.
var funcByName = nameIndex(numFuncs, funcSpelling)

func lookupFunc(name string) Func {
	if bare, ok := strings.CutPrefix(name, builtinPrefix); ok {
		if f := funcByName(bare); funcWrapped[f] {
			return f
		}
		return FuncInvalid
	}
	if f := funcByName(name); !funcPrefixOnly[f] {
		return f
	}
	return FuncInvalid
}

// builtinNames and funcNames list the spellings, for hints.
func builtinNames() []string { return allSpellings(numBuiltins, builtinSpelling) }
func funcNames() []string    { return allSpellings(numFuncs, funcSpelling) }
