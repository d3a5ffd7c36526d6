package lang

// Scratch variables live in lexical scopes: a probe's body, and every
// block inside it. A variable is declared by `let`, by a for loop, or by
// the first assignment to a name no enclosing scope has.

func (c *checker) pushScope() { c.scopes = append(c.scopes, map[string]*VarInfo{}) }
func (c *checker) popScope()  { c.scopes = c.scopes[:len(c.scopes)-1] }

// lookupVar finds the variable a name refers to, innermost scope first.
func (c *checker) lookupVar(name string) *VarInfo {
	for i := len(c.scopes) - 1; i >= 0; i-- {
		if v := c.scopes[i][name]; v != nil {
			return v
		}
	}
	return nil
}

// declare creates a variable in the innermost scope. Its type is the one
// the first walk settled for decl, else t.
func (c *checker) declare(name string, decl Node, t *Type) *VarInfo {
	if settled, ok := c.varTypes[decl]; ok && !settled.IsInvalid() {
		t = settled
	}
	v := &VarInfo{Name: name, Type: t, Decl: decl}
	c.scopes[len(c.scopes)-1][name] = v
	c.varTypes[decl] = t
	c.info.Vars[decl] = v
	return v
}

// assignTo records that a value of type t is stored in v; errors point at
// value. It reports false when the types cannot share the variable.
func (c *checker) assignTo(v *VarInfo, t *Type, value Node) bool {
	merged, ok := unify(v.Type, t)
	if !ok {
		c.errorf(value, "%s holds %s, so it cannot store %s", v.Name, v.Type, t)
		return false
	}
	v.Type = merged
	c.varTypes[v.Decl] = merged
	return true
}
