package lang

import "strings"

// Scratch variables live in lexical scopes: a probe's body, and every
// block inside it. A variable is declared by `let`, by a for loop, or by
// the first assignment to a name no enclosing scope has.

// scoped is a variable declared in the scope at depth level.
type scoped struct {
	level int
	v     *VarInfo
}

// pushScope opens a scope inside the innermost one.
func (c *checker) pushScope() {
	c.work.step(1)
	c.scopes = append(c.scopes, map[string]*VarInfo{})
}

// popScope closes the innermost scope; its variables are no longer
// visible.
func (c *checker) popScope() {
	top := len(c.scopes) - 1
	c.work.step(1 + len(c.scopes[top]))
	for name := range c.scopes[top] {
		if s := c.visible[name]; len(s) > 0 && s[len(s)-1].level == top {
			c.visible[name] = s[:len(s)-1]
		}
	}
	c.scopes = c.scopes[:top]
}

// lookupVar finds the variable a name refers to, innermost scope first,
// in constant time: a lookup that walked the scopes outwards made code
// nested thousands of blocks deep take quadratic time.
func (c *checker) lookupVar(name string) *VarInfo {
	c.work.step(1)
	if s := c.visible[name]; len(s) > 0 {
		return s[len(s)-1].v
	}
	return nil
}

// declare creates a variable in the innermost scope. Its type is the one
// the first walk settled for decl, else t.
func (c *checker) declare(name string, decl Node, t *Type) *VarInfo {
	return c.declareIn(len(c.scopes)-1, name, decl, t)
}

// declareIn creates a variable in the scope at depth level.
func (c *checker) declareIn(level int, name string, decl Node, t *Type) *VarInfo {
	if settled, ok := c.varTypes[decl]; ok && !settled.IsInvalid() {
		// The type the walk before settled, widened by this walk's value:
		// the read of a map that a later assignment widened sees it wider.
		if merged, ok := unify(settled, t); ok && !t.IsInvalid() {
			t = merged
		} else {
			t = settled
		}
	}
	v := &VarInfo{Name: name, Type: t, Decl: decl}
	c.scopes[level][name] = v
	s := c.visible[name]
	i := len(s)
	for i > 0 && s[i-1].level > level {
		i--
	}
	// The entries passed over are moved up by one to make room.
	c.work.step(1 + len(s) - i)
	if i > 0 && s[i-1].level == level {
		s[i-1].v = v
	} else {
		s = append(s[:i], append([]scoped{{level, v}}, s[i:]...)...)
	}
	c.visible[name] = s
	c.varTypes[decl] = t
	c.info.Vars[decl] = v
	return v
}

// assignTo records that a value of type t is stored in v; errors point at
// value. It reports false when the types cannot share the variable.
func (c *checker) assignTo(v *VarInfo, t *Type, value Node) bool {
	merged, ok := unify(v.Type, t)
	if ok && !c.fits(value, merged, "storing this makes "+c.varName(v.Name)) {
		c.setVarType(v, Invalid)
		return false
	}
	if !ok {
		c.errorf(value, "%s holds %s, so it cannot store %s", c.varName(v.Name), v.Type, c.shownType(value, t))
		// Which of the two types was meant is unknown: later uses of the
		// variable say nothing more.
		c.setVarType(v, Invalid)
		return false
	}
	c.setVarType(v, merged)
	return true
}

// shownType is the type to name for a value stored as t: the value's own
// integer type (uint32 for pid) rather than the 64 bits it is stored in,
// except for literals, whose type is only a size.
func (c *checker) shownType(value Node, t *Type) *Type {
	if e, ok := value.(Expr); ok {
		if vt := c.info.Types[e]; vt != nil && vt.Kind == KindInt && !vt.Flexible {
			return vt
		}
	}
	return t
}

// varName is a variable's name as the script writes it: without the
// suffixes (__NAME1) that make a macro's own variables unique.
func (c *checker) varName(name string) string {
	for {
		i := strings.LastIndex(name, "__")
		if i <= 0 {
			return name
		}
		rest := strings.TrimRight(name[i+2:], "0123456789")
		if len(rest) == len(name[i+2:]) || c.macro(rest) == nil {
			return name
		}
		name = name[:i]
	}
}
