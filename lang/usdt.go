package lang

// USDTProbe is one site of a USDT probe in a binary, as its ELF notes
// describe it: where a uprobe attaches and where each argument is.
type USDTProbe struct {
	Provider, Name string
	Path           string
	// Offset is the site's file offset, where the uprobe attaches.
	Offset uint64
	// SemaphoreOffset is the file offset of the probe's semaphore, which
	// the kernel counts up while the probe is attached; 0 when it has none.
	SemaphoreOffset uint64
	Args            []USDTArg
	// ArgsErr says why hawk cannot read the site's arguments, when Args
	// is nil for that reason.
	ArgsErr string
}

// USDTArgKind says where a USDT argument's value is.
type USDTArgKind int

// Kinds of USDT arguments.
const (
	USDTConst USDTArgKind = iota // a constant
	USDTReg                      // in a register
	USDTMem                      // in memory at Reg + Index*Scale + Offset
)

// USDTArg is one argument of a USDT site.
type USDTArg struct {
	Size   int // bytes: 1, 2, 4 or 8
	Signed bool
	Kind   USDTArgKind
	Const  int64 // USDTConst
	// RegOffset is the offset in struct pt_regs of the (base) register;
	// -1 when a memory argument has none.
	RegOffset int
	// RegSize is the width of the register as written: 4 for %edi.
	RegSize int
	Offset  int64 // USDTMem: displacement
	// IndexOffset is the pt_regs offset of a memory argument's index
	// register, -1 when it has none.
	IndexOffset int
	Scale       int
}

// ConstValue is a USDTConst argument's value: Const cut to Size bytes,
// sign-extended if Signed, else zero-extended, as the probe's C argument
// of that type holds it (4@$-1 is 4294967295, -4@$-1 is -1).
func (a USDTArg) ConstValue() int64 {
	if a.Size <= 0 || a.Size >= 8 {
		return a.Const
	}
	shift := uint(64 - 8*a.Size)
	if a.Signed {
		return a.Const << shift >> shift
	}
	return int64(uint64(a.Const) << shift >> shift)
}
