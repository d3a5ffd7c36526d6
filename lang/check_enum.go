package lang

import (
	"fmt"
	"strings"
)

// enumConst is what the name of an enumerator stands for: its value and
// its enum.
type enumConst struct {
	value uint64
	def   *EnumDef
}

// scriptEnum is an enum the script declares, with the size it has in C,
// in a struct member or behind a pointer.
type scriptEnum struct {
	def  *EnumDef
	size int
}

// enumValueSize is the size of an enumerator and of a cast to an enum, as
// bpftrace makes them: 64 bits, whatever the enum's size in C.
const enumValueSize = 8

// declareEnums builds the enums the script declares, in order: an
// enumerator's value may use those before it. It runs in the first walk,
// whose types the later walks keep, so that the types of one enum stay
// one; checkEnums reports the mistakes.
func (c *checker) declareEnums() {
	c.enums, c.enumerators = c.buildEnums()
}

// checkEnums reports the mistakes in the script's enums, which the first
// walk, which keeps no diagnostics, left out of the types.
func (c *checker) checkEnums() {
	if c.report {
		c.buildEnums()
	}
}

// buildEnums reads the script's enum declarations into enums by name
// ("enum NAME") and enumerators by name.
func (c *checker) buildEnums() (map[string]*scriptEnum, map[string]enumConst) {
	enums, consts := map[string]*scriptEnum{}, map[string]enumConst{}
	decls := map[string]*EnumDecl{}
	where := map[string]*EnumMember{}
	for _, d := range c.prog.enumDecls() {
		def := &EnumDef{Name: d.Name}
		if d.Name != "" {
			if first := decls[d.Name]; first != nil {
				c.errorHead(d, "enum %s is declared twice (first at %s)", d.Name, first.Pos)
				continue
			}
			decls[d.Name] = d
		}
		if len(d.Members) == 0 {
			c.errorHead(d, "an enum needs at least one enumerator")
		}
		next := uint64(0)
		for _, m := range d.Members {
			v := next
			if m.Value != nil {
				// A value in error was reported; the enumerator is
				// declared all the same, so that its uses say no more.
				if x, ok := c.enumValue(m.Value, consts); ok {
					v = x
				}
			}
			next = v + 1
			if first := where[m.Name]; first != nil {
				c.errorf(m, "enumerator %s is declared twice (first at %s)", m.Name, first.Pos)
				continue
			}
			where[m.Name] = m
			def.Values = append(def.Values, Enumerator{Name: m.Name, Value: v})
			consts[m.Name] = enumConst{value: v, def: def}
		}
		if d.Name != "" {
			enums["enum "+d.Name] = &scriptEnum{def: def, size: enumSize(def)}
		}
	}
	return enums, consts
}

// errorHead reports a mistake in an enum declaration at its head: `enum`
// and its name.
func (c *checker) errorHead(d *EnumDecl, format string, args ...any) {
	end := endOf(d.Pos, "enum")
	if d.Name != "" {
		text := c.src.For(d).Snippet(d.Pos.Offset, d.EndPos.Offset)
		if i := strings.Index(text[len("enum"):], d.Name); i >= 0 {
			end = c.src.For(d).Pos(d.Pos.Offset + len("enum") + i + len(d.Name))
		}
	}
	c.errorSpan(d.Pos, end, format, args...)
}

// enumSize is the size of an enum in C, as compilers lay it out: an int
// while its values fit in 32 bits, else a long.
func enumSize(def *EnumDef) int {
	for _, e := range def.Values {
		if v := int64(e.Value); v < -1<<31 || v > 1<<32-1 {
			return 8
		}
	}
	return 4
}

// enumValue works out the constant value of an enumerator: integers,
// earlier enumerators, #define constants and kernel enum constants, with
// C's operators, in 64-bit signed arithmetic.
func (c *checker) enumValue(e Expr, consts map[string]enumConst) (uint64, bool) {
	switch e := e.(type) {
	case *IntLit:
		return e.Value, true
	case *Ident:
		if k, ok := consts[e.Name]; ok {
			return k.value, true
		}
		if v, ok := c.defineConst(e.Name); ok {
			return uint64(v), true
		}
		if c.env != nil {
			if v, _, ok := c.env.EnumConstant(e.Name); ok {
				return v, true
			}
		}
		if lookupBuiltin(e.Name) != BuiltinInvalid {
			c.errorf(e, "%s is not a constant: an enumerator's value is a constant integer expression", e.Name)
		} else {
			c.errorf(e, "unknown constant %q: an enumerator's value is a constant integer expression", e.Name)
		}
		return 0, false
	case *UnaryExpr:
		x, ok := c.enumValue(e.X, consts)
		if !ok {
			return 0, false
		}
		switch e.Op {
		case OpNeg:
			return -x, true
		case OpCompl:
			return ^x, true
		case OpNot:
			return b2i(x == 0), true
		}
	case *BinaryExpr:
		x, ok := c.enumValue(e.X, consts)
		if !ok {
			return 0, false
		}
		y, ok := c.enumValue(e.Y, consts)
		if !ok {
			return 0, false
		}
		return c.enumBinary(e, x, y)
	case *CondExpr:
		cond, ok := c.enumValue(e.Cond, consts)
		if !ok {
			return 0, false
		}
		if cond != 0 {
			return c.enumValue(e.Then, consts)
		}
		return c.enumValue(e.Else, consts)
	}
	c.errorf(e, "an enumerator's value must be a constant integer expression")
	return 0, false
}

// defineConst finds a #define constant (the one place this file reads
// the #define table).
func (c *checker) defineConst(name string) (int64, bool) {
	return c.defines.lookup(name)
}

// enumBinary applies a binary operator to the constants x and y, signed.
func (c *checker) enumBinary(e *BinaryExpr, x, y uint64) (uint64, bool) {
	switch e.Op {
	case OpAdd:
		return x + y, true
	case OpSub:
		return x - y, true
	case OpMul:
		return x * y, true
	case OpDiv, OpMod:
		if y == 0 {
			c.errorf(e.Y, "division by zero in an enumerator's value")
			return 0, false
		}
		return divide(e.Op, x, y, true), true
	case OpShl, OpShr:
		return shift(x, y, e.Op == OpShl), true
	case OpBitAnd:
		return x & y, true
	case OpBitOr:
		return x | y, true
	case OpBitXor:
		return x ^ y, true
	case OpAnd:
		return b2i(x != 0 && y != 0), true
	case OpOr:
		return b2i(x != 0 || y != 0), true
	case OpEq:
		return b2i(x == y), true
	case OpNe:
		return b2i(x != y), true
	}
	if e.Op.IsComparison() {
		return b2i(compare(e.Op, x, y, true)), true
	}
	c.errorf(e, "an enumerator's value must be a constant integer expression")
	return 0, false
}

// enumConstant finds what a bare name means as an enumerator: one the
// script declares, or one of the kernel's. Its type is the enum's, of
// enumValueSize bytes.
func (c *checker) enumConstant(name string) (uint64, *Type, bool) {
	if k, ok := c.enumerators[name]; ok {
		return k.value, c.enumValueType(k.def), true
	}
	if c.env != nil {
		if v, def, ok := c.env.EnumConstant(name); ok {
			return v, c.enumValueType(def), true
		}
	}
	return 0, nil, false
}

// enumValueType returns the type of the values of an enum, shared by all
// of them so that they unify as one.
func (c *checker) enumValueType(def *EnumDef) *Type {
	if t, ok := c.enumTypes[def]; ok {
		return t
	}
	t := EnumType(def, enumValueSize)
	c.enumTypes[def] = t
	return t
}

// scriptEnumType returns the type "enum NAME" names in the script, in
// its C size, or nil.
func (c *checker) scriptEnumType(name string) *Type {
	e := c.enums[name]
	if e == nil {
		return nil
	}
	return EnumType(e.def, e.size)
}

// enumCast checks a cast to an enum: the enum must be known, and an
// integer constant must be one of its values, as bpftrace requires. The
// value has enumValueSize bytes.
func (c *checker) enumCast(e *CastExpr, to *Type) (*Type, bool) {
	t := c.enumValueType(to.Enum)
	k, isConst := c.info.Consts[e.X]
	if isConst && !k.IsStr {
		if _, ok := t.EnumName(k.Int); !ok {
			c.errorf(e, "%s has no enumerator of value %s", to, fmt.Sprint(int64(k.Int)))
			return Invalid, false
		}
	}
	return t, true
}
