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
	Directives []*Directive `parser:"@@*"`
	Probes     []*Probe     `parser:"@@*"`

	// Src is the text the program was parsed from.
	Src *Source
}

// Directive is a `#` line before the probes: a `#!` interpreter line,
// `#include` or `#define`. hawk takes its types from BTF, not headers.
type Directive struct {
	Span
	Text string `parser:"@Directive"`
}

// Probe is one action block: attach points, an optional predicate, a body.
type Probe struct {
	Span
	Points []*AttachPoint `parser:"@@ ( Comma @@ )* Comma?"`
	Pred   *Predicate     `parser:"@@?"`
	Body   *Block         `parser:"@@"`
}

// AttachPoint is one `provider:target...` of a probe. Parse splits Raw
// into Provider (the canonical probe kind name) and Args.
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

// Block is a braced statement list.
type Block struct {
	Span
	Stmts []Stmt `parser:"LBrace ( @@ | ';' )* RBrace"`
}

// IfStmt is `if cond { ... } [else ...]`.
type IfStmt struct {
	Span
	Cond Expr   `parser:"'if' @@"`
	Then *Block `parser:"@@"`
	Else *Else  `parser:"( 'else' @@ )?"`
}

// Else is the else branch of an if: another if, or a block.
type Else struct {
	Span
	If    *IfStmt `parser:"  @@"`
	Block *Block  `parser:"| @@"`
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

func (*IfStmt) stmt()   {}
func (*ExprStmt) stmt() {}

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

// Call is `name(args...)`.
type Call struct {
	Span
	Name    string
	NameEnd Pos
	Args    []Expr
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

// CondExpr is `Cond ? Then : Else`.
type CondExpr struct {
	Span
	Cond, Then, Else Expr
}

func (*IntLit) expr()     {}
func (*StrLit) expr()     {}
func (*Ident) expr()      {}
func (*Var) expr()        {}
func (*Param) expr()      {}
func (*MapExpr) expr()    {}
func (*Call) expr()       {}
func (*FieldExpr) expr()  {}
func (*UnaryExpr) expr()  {}
func (*BinaryExpr) expr() {}
func (*CondExpr) expr()   {}
