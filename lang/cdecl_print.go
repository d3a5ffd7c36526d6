package lang

import (
	"strings"
)

// cbody prints a struct's members, one declaration a line, with what the
// parser made of them: `x: int *[4]`.
func (p *printer) cbody(depth int, b *CBody) {
	for _, m := range b.Members {
		spec := m.Spec.String()
		if len(m.Spec.Attrs) > 0 {
			spec += printAttrList(m.Spec.Attrs)
		}
		if len(m.Decls) == 0 {
			p.line(depth, "%s", spec)
		}
		for _, d := range m.Decls {
			p.line(depth, "%s: %s%s", d.Ident(), spec, printDeclarator(d))
		}
		if m.Spec.Body != nil {
			p.cbody(depth+1, m.Spec.Body)
		}
	}
}

// printDeclarator writes what a declarator adds to its type.
func printDeclarator(d *CDeclarator) string {
	var s strings.Builder
	s.WriteString(strings.Repeat(" *", d.Ptrs))
	if d.Func {
		s.WriteString(" ()")
	}
	for _, dim := range d.Dims {
		s.WriteString(" [" + dim.Text + "]")
	}
	if d.Inner != nil {
		s.WriteString(" (" + strings.TrimSpace(printDeclarator(d.Inner)) + ")")
	}
	if d.Width != nil {
		s.WriteString(" :" + d.Width.Text)
	}
	s.WriteString(printAttrList(d.Attrs))
	return s.String()
}

// printAttrs writes the attributes after a struct's closing brace.
func printAttrs(attrs []*CAttrs) string {
	var list []CAttr
	for _, a := range attrs {
		list = append(list, a.List...)
	}
	return printAttrList(list)
}

func printAttrList(list []CAttr) string {
	if len(list) == 0 {
		return ""
	}
	var names []string
	for _, a := range list {
		n := a.Name
		if a.Arg != nil {
			n += "(" + a.Arg.Text + ")"
		}
		names = append(names, n)
	}
	return " __attribute__((" + strings.Join(names, ", ") + "))"
}
