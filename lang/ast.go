package lang

// Node is implemented by every AST node: it knows where it starts and ends.
type Node interface {
	Start() Pos
	End() Pos
}

// Span is embedded in every node. The parser fills Pos and EndPos for
// grammar nodes; the expression parser sets them to the exact token bounds.
type Span struct {
	Pos    Pos
	EndPos Pos
}

// Start returns where the node begins.
func (s Span) Start() Pos { return s.Pos }

// End returns where the node ends (one past its last character).
func (s Span) End() Pos { return s.EndPos }

// Program is a whole script.
type Program struct {
	Span
	Items []Item `parser:"@@*"`

	// Src is the text the program was parsed from.
	Src *Source
	// The items by kind, in script order, filled by Parse.
	Directives []*Directive
	Probes     []*Probe
	Config     []*ConfigBlock
	Imports    []*Import
	MapDecl    []*MapDecl
	Macros     []*Macro
	Structs    []*StructDecl
}

// Item is one top-level declaration or probe.
type Item interface {
	Node
	item()
}

// Directive is a `#` line outside probes: a `#!` interpreter line,
// `#include` or `#define`. hawk takes its types from BTF, not headers, but
// honours `#define NAME number`.
type Directive struct {
	Span
	Text string `parser:"@Directive"`
}

// ConfigBlock is `config = { name = value; ... }`.
type ConfigBlock struct {
	Span
	Entries []*ConfigEntry `parser:"'config' '=' '{' ( @@ ';'? )* '}' RootSemi?"`
}

// ConfigEntry is one `name = value` of a config block.
type ConfigEntry struct {
	Span
	Name  string `parser:"@Ident '='"`
	Value string `parser:"@( Int | String | Ident )"`
}

// Import is `import "path";`.
type Import struct {
	Span
	Path string `parser:"'import' @String DeclEnd"`
}

// MapDecl is `let @name = kind(max_entries);`.
type MapDecl struct {
	Span
	Name       string `parser:"'let' @Map '='"`
	Kind       string `parser:"@Ident '('"`
	MaxEntries string `parser:"@Int ')' DeclEnd"`
}

// Macro is `macro name(params) { body }`. A parameter is `$x` (a
// variable), `@m` (a map) or `x` (an expression).
type Macro struct {
	Span
	Name   string   `parser:"'macro' @Ident"`
	Params []string `parser:"( '(' ( @( Var | Map | Ident ) ( ',' @( Var | Map | Ident ) )* )? ')' )?"`
	Body   *Block   `parser:"@@"`
}

// StructDecl is a C struct or union defined in the script, with the
// attributes written after its closing brace (cdecl.go); or declared
// only (`struct foo;`), which Body nil, changes nothing.
type StructDecl struct {
	Span
	Union bool      `parser:"( 'struct' | @'union' )"`
	Name  string    `parser:"@Ident"`
	Body  *CBody    `parser:"( @@"`
	Attrs []*CAttrs `parser:"  @@* RootSemi? | DeclEnd )"`
}

// Probe is one action block: attach points, an optional predicate, a body.
type Probe struct {
	Span
	Points []*AttachPoint `parser:"@@ ( Comma @@ )* Comma?"`
	Pred   *Predicate     `parser:"@@?"`
	Body   *Block         `parser:"@@"`
}

func (*Directive) item()   {}
func (*ConfigBlock) item() {}
func (*Import) item()      {}
func (*MapDecl) item()     {}
func (*Macro) item()       {}
func (*StructDecl) item()  {}
func (*Probe) item()       {}

// AttachPoint is one `provider:target...` of a probe. Parse splits Raw
// into Kind and Args.
type AttachPoint struct {
	Span
	Raw string `parser:"@AttachPoint"`

	Kind ProbeKind
	Args []string // the parts after the provider, quotes removed
}

// Predicate is the `/cond/` filter of a probe.
type Predicate struct {
	Span
	Cond Expr `parser:"PredStart @@ PredEnd"`
}

// Stmt is a statement.
type Stmt interface {
	Node
	stmt()
}

// Block is a braced statement list: `{ stmt; ... }`. Its Parse method
// parses it (parse_stmt.go).
type Block struct {
	Span
	Stmts []Stmt
}

// IfStmt is `if cond { ... } [else ...]`. Its Parse method parses it
// (parse_stmt.go).
type IfStmt struct {
	Span
	Cond Expr
	Then *Block
	Else *Else
	// Comptime is set for bpftrace's `if comptime cond { ... }`: the
	// condition must be known at compile time (check_meta.go).
	Comptime bool
}

// Else is the else branch of an if: another if, or a block. Its Parse
// method parses it (parse_stmt.go).
type Else struct {
	Span
	If    *IfStmt
	Block *Block
}

// VarDecl names the variable a let or for statement declares.
type VarDecl struct {
	Span
	Name string `parser:"@Var"`
}

// LetStmt declares a scratch variable in the current block:
// `let $x [: type] [= value];`.
type LetStmt struct {
	Span
	Var   *VarDecl  `parser:"'let' @@"`
	Type  *TypeExpr `parser:"( ':' @@ )?"`
	Value Expr      `parser:"( '=' @@ )? ';'?"`
}

// WhileStmt is `while cond { ... }`: a loop the verifier must bound.
type WhileStmt struct {
	Span
	Cond Expr   `parser:"'while' @@"`
	Body *Block `parser:"@@"`
}

// UnrollStmt is `unroll(N) { ... }`: the body N times.
type UnrollStmt struct {
	Span
	Count Expr   `parser:"'unroll' '(' @@ ')'"`
	Body  *Block `parser:"@@"`
}

// ForStmt is `for ($x : @map) { ... }` or `for ($i : start..end) { ... }`.
type ForStmt struct {
	Span
	// Open and Close note the parentheses around the head, which
	// bpftrace lets a script leave out (`for $kv : @m { }`); the parser
	// refuses one without the other (checkForParens).
	Open  bool     `parser:"'for' @'('?"`
	Var   *VarDecl `parser:"@@ ':'"`
	From  Expr     `parser:"@@"`
	To    Expr     `parser:"( '..' @@ )?"`
	Close bool     `parser:"@')'?"`
	Body  *Block   `parser:"@@"`
}

// JumpStmt is `break`, `continue` or `return`, which may give the
// probe's return value: `return 1;` (the checker refuses a value after
// break and continue).
type JumpStmt struct {
	Span
	Kind  string `parser:"@( 'break' | 'continue' | 'return' )"`
	Value Expr   `parser:"@@? ';'?"`
}

// BlockStmt is a nested block used as a statement.
type BlockStmt struct {
	Span
	Block *Block
}

// ExprStmt is an expression statement, or an assignment when Op is set:
// `X = Value`, `X += Value`, ... Its Parse method parses it.
type ExprStmt struct {
	Span
	X     Expr
	Op    string
	Value Expr
	Semi  bool // followed by ';'
}

func (*IfStmt) stmt()     {}
func (*LetStmt) stmt()    {}
func (*WhileStmt) stmt()  {}
func (*UnrollStmt) stmt() {}
func (*ForStmt) stmt()    {}
func (*JumpStmt) stmt()   {}
func (*BlockStmt) stmt()  {}
func (*ExprStmt) stmt()   {}

// Expr is an expression.
type Expr interface {
	Node
	expr()
}

// IntLit is an integer literal; Text is its spelling.
type IntLit struct {
	Span
	Value uint64
	Text  string
}

// StrLit is a string literal with its escapes resolved.
type StrLit struct {
	Span
	Value string
}

// Ident is a bare name: a builtin such as pid or comm.
type Ident struct {
	Span
	Name string
}

// Var is a scratch variable `$name`.
type Var struct {
	Span
	Name string // with the $
}

// Param is a positional parameter `$1`... (N >= 1), or `$#` (N == 0).
type Param struct {
	Span
	N int
}

// MapExpr is a map `@name` or `@`, with keys when indexed.
type MapExpr struct {
	Span
	Name string // with the @
	Keys []Expr
}

// Call is `name(args...)`; Bang is set for `name!(args...)`, the macro
// call spelling.
type Call struct {
	Span
	Name    string
	NameEnd Pos
	Args    []Expr
	Bang    bool
}

// FieldExpr is `X.Field` or `X->Field`.
type FieldExpr struct {
	Span
	X        Expr
	Field    string
	FieldPos Pos
	Arrow    bool
}

// UnaryExpr is a prefix or postfix operator applied to X.
type UnaryExpr struct {
	Span
	Op Op
	X  Expr
}

// BinaryExpr is `X Op Y`.
type BinaryExpr struct {
	Span
	Op    Op
	OpPos Pos
	X, Y  Expr
}

// CondExpr is `Cond ? Then : Else`, or `Cond ?: Else` with Then nil: the
// value of Cond when it is true (not zero), else that of Else; Cond is
// evaluated once.
type CondExpr struct {
	Span
	Cond, Then, Else Expr
}

// IndexExpr is `X[Index]`: an array element or a tuple member.
type IndexExpr struct {
	Span
	X, Index Expr
}

// CastExpr is `(Type)X`.
type CastExpr struct {
	Span
	Type *TypeExpr
	X    Expr
}

// TupleExpr is `(a, b, ...)`.
type TupleExpr struct {
	Span
	Elems []Expr
}

// RecordExpr is `(name = a, other = b, ...)`.
type RecordExpr struct {
	Span
	Names []string
	Elems []Expr
}

// SizeofExpr is `sizeof(type)` or `sizeof(expr)`.
type SizeofExpr struct {
	Span
	Type *TypeExpr // one of Type and X
	X    Expr
}

// OffsetofExpr is `offsetof(type, field.sub)` or `offsetof(expr, field)`.
type OffsetofExpr struct {
	Span
	Type *TypeExpr // one of Type and X
	X    Expr
	Path []string
}

// BlockExpr is `{ stmts; value }`: the statements run, then the value is
// the block's. Macro calls expand to block expressions.
type BlockExpr struct {
	Span
	Stmts []Stmt
	Value Expr // nil when the block has no value
	// Macro names the macro whose call the block replaced (its Span is
	// the call's); "" for a block written in the script.
	Macro string
}

// TypeExpr is a type as written: a base name, then pointer and array
// suffixes in order (`struct task_struct *`, `uint8[4]`, `string[32]`).
// The base may be `typeof(type)` (Of) or `typeof(expr)` (OfX) instead of
// a name: the type of a type, or of an expression that is not run.
type TypeExpr struct {
	Span
	Name     string    // "uint32", "struct task_struct", "unsigned int", "string"; "" for typeof
	Of       *TypeExpr // typeof(type)
	OfX      Expr      // typeof(expr)
	Suffixes []string  // "*" or "[N]" (or "[]"), left to right
}

// TypeofExpr is `typeof(type)` or `typeof(expr)` written where a value
// goes: a type passed to a macro, whose parameter then stands for it where
// a type goes (`sizeof(t)`, `(t *)x`, `let $v: t`).
type TypeofExpr struct {
	Span
	Type *TypeExpr // its Of or OfX is set
}

func (*IntLit) expr()       {}
func (*StrLit) expr()       {}
func (*Ident) expr()        {}
func (*Var) expr()          {}
func (*Param) expr()        {}
func (*MapExpr) expr()      {}
func (*Call) expr()         {}
func (*FieldExpr) expr()    {}
func (*UnaryExpr) expr()    {}
func (*BinaryExpr) expr()   {}
func (*CondExpr) expr()     {}
func (*IndexExpr) expr()    {}
func (*CastExpr) expr()     {}
func (*TupleExpr) expr()    {}
func (*RecordExpr) expr()   {}
func (*SizeofExpr) expr()   {}
func (*OffsetofExpr) expr() {}
func (*TypeofExpr) expr()   {}
func (*BlockExpr) expr()    {}
