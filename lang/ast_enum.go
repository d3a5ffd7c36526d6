package lang

// EnumDecl is a C enum declared in the script, named or anonymous:
// `enum Foo { A = 1, B, C = 0x10 };`. An enumerator without a value is
// one more than the one before it (the first is 0). Its enumerators are
// constants anywhere in the script, of the enum's type.
type EnumDecl struct {
	Span
	Name    string        `parser:"'enum' @Ident?"`
	Members []*EnumMember `parser:"'{' ( @@ ( ',' @@ )* ','? )? '}' RootSemi?"`
}

// EnumMember is one enumerator of an EnumDecl, with the constant
// expression of its value when one is written.
type EnumMember struct {
	Span
	Name  string `parser:"@Ident"`
	Value Expr   `parser:"( '=' @@ )?"`
}

func (*EnumDecl) item() {}

// enumDecls lists the enums the program declares, in script order.
func (p *Program) enumDecls() []*EnumDecl {
	var decls []*EnumDecl
	for _, it := range p.Items {
		if d, ok := it.(*EnumDecl); ok {
			decls = append(decls, d)
		}
	}
	return decls
}
