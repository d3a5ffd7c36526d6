package lang

// Op is an operator.
type Op int

// Operators, binary then unary.
const (
	OpInvalid Op = iota
	OpOr         // ||
	OpAnd        // &&
	OpBitOr      // |
	OpBitXor     // ^
	OpBitAnd     // &
	OpEq         // ==
	OpNe         // !=
	OpLt         // <
	OpLe         // <=
	OpGt         // >
	OpGe         // >=
	OpShl        // <<
	OpShr        // >>
	OpAdd        // +
	OpSub        // -
	OpMul        // *
	OpDiv        // /
	OpMod        // %

	OpNeg     // -x
	OpNot     // !x
	OpCompl   // ~x
	OpPreInc  // ++x
	OpPreDec  // --x
	OpPostInc // x++
	OpPostDec // x--
	OpDeref   // *p
	OpAddr    // &x
)

var opSpelling = [...]string{
	OpInvalid: "?", OpOr: "||", OpAnd: "&&", OpBitOr: "|", OpBitXor: "^", OpBitAnd: "&",
	OpEq: "==", OpNe: "!=", OpLt: "<", OpLe: "<=", OpGt: ">", OpGe: ">=",
	OpShl: "<<", OpShr: ">>", OpAdd: "+", OpSub: "-", OpMul: "*", OpDiv: "/", OpMod: "%",
	OpNeg: "-", OpNot: "!", OpCompl: "~", OpPreInc: "++", OpPreDec: "--", OpPostInc: "++", OpPostDec: "--",
	OpDeref: "*", OpAddr: "&",
}

func (o Op) String() string { return opSpelling[o] }

// IsComparison reports whether o yields a truth value from two operands.
func (o Op) IsComparison() bool { return o >= OpEq && o <= OpGe }

// IsLogical reports whether o is && or ||.
func (o Op) IsLogical() bool { return o == OpOr || o == OpAnd }

// IsIncDec reports whether o is one of the ++/-- forms.
func (o Op) IsIncDec() bool { return o >= OpPreInc && o <= OpPostDec }

// binaryOps is C's operator table: precedence grows with the number.
var binaryOps = map[string]struct {
	op   Op
	prec int
}{
	"||": {OpOr, 1}, "&&": {OpAnd, 2}, "|": {OpBitOr, 3}, "^": {OpBitXor, 4}, "&": {OpBitAnd, 5},
	"==": {OpEq, 6}, "!=": {OpNe, 6},
	"<": {OpLt, 7}, "<=": {OpLe, 7}, ">": {OpGt, 7}, ">=": {OpGe, 7},
	"<<": {OpShl, 8}, ">>": {OpShr, 8},
	"+": {OpAdd, 9}, "-": {OpSub, 9},
	"*": {OpMul, 10}, "/": {OpDiv, 10}, "%": {OpMod, 10},
}

// assignOps maps a compound assignment to its binary operator.
var assignOps = map[string]Op{
	"+=": OpAdd, "-=": OpSub, "*=": OpMul, "/=": OpDiv, "%=": OpMod,
	"&=": OpBitAnd, "|=": OpBitOr, "^=": OpBitXor, "<<=": OpShl, ">>=": OpShr,
}

// AssignOp returns the binary operator of a compound assignment (OpInvalid
// for a plain `=`), and whether s is an assignment at all.
func AssignOp(s string) (Op, bool) {
	if s == "=" {
		return OpInvalid, true
	}
	op, ok := assignOps[s]
	return op, ok
}
