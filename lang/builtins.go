package lang

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
	BuiltinArgs
	numBuiltins
)

type builtinInfo struct {
	name  string
	typ   *Type
	kinds []ProbeKind // the probe kinds that have it; nil for all
}

var builtins = [numBuiltins]builtinInfo{
	BuiltinPid:     {name: "pid", typ: Uint32},
	BuiltinTid:     {name: "tid", typ: Uint32},
	BuiltinUid:     {name: "uid", typ: Uint32},
	BuiltinGid:     {name: "gid", typ: Uint32},
	BuiltinComm:    {name: "comm", typ: StringType(16)},
	BuiltinNsecs:   {name: "nsecs", typ: Uint64},
	BuiltinElapsed: {name: "elapsed", typ: Uint64},
	BuiltinCpu:     {name: "cpu", typ: Uint64},
	BuiltinArgs:    {name: "args", typ: &Type{Kind: KindCtx}, kinds: []ProbeKind{ProbeTracepoint}},
}

// String returns the name scripts use for b.
func (b Builtin) String() string { return builtins[b].name }

// Builtins lists every builtin variable.
func Builtins() []Builtin { return enumValues(numBuiltins) }

func builtinSpelling(b Builtin) []string { return []string{builtins[b].name} }

func lookupBuiltin(name string) Builtin { return lookupName(numBuiltins, builtinSpelling, name) }

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
	numFuncs
)

type funcInfo struct {
	name             string
	minArgs, maxArgs int // maxArgs < 0: any number
	// aggregation functions are only assigned to maps: @m[k] = count()
	aggregation bool
	check       func(c *checker, call *Call) *Type
}

// funcs is filled in init to break the cycle between the table and the
// checker methods it names.
var funcs [numFuncs]funcInfo

func init() {
	funcs = [numFuncs]funcInfo{
		FuncPrintf: {name: "printf", minArgs: 1, maxArgs: -1, check: (*checker).checkPrintf},
		FuncStr:    {name: "str", minArgs: 1, maxArgs: 2, check: (*checker).checkStr},
		FuncCount:  {name: "count", minArgs: 0, maxArgs: 0, aggregation: true, check: (*checker).checkCount},
		FuncSum:    {name: "sum", minArgs: 1, maxArgs: 1, aggregation: true, check: (*checker).checkSum},
		FuncExit:   {name: "exit", minArgs: 0, maxArgs: 1, check: (*checker).checkExit},
	}
}

// String returns the name scripts use for f.
func (f Func) String() string { return funcs[f].name }

// Funcs lists every builtin function.
func Funcs() []Func { return enumValues(numFuncs) }

func funcSpelling(f Func) []string { return []string{funcs[f].name} }

func lookupFunc(name string) Func { return lookupName(numFuncs, funcSpelling, name) }

// builtinNames and funcNames list the spellings, for hints.
func builtinNames() []string { return allSpellings(numBuiltins, builtinSpelling) }
func funcNames() []string    { return allSpellings(numFuncs, funcSpelling) }
