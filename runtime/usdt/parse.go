package usdt

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// operand is a parsed argument before the symbol in it, if any, is
// resolved.
type operand struct {
	Arg
	sym string // a symbol whose address adds to Offset, "" if none
}

// parseArgs parses a note's argument string: arguments separated by
// blanks, each SIZE@OPERAND.
func parseArgs(s string) ([]operand, error) {
	var ops []operand
	for i, a := range splitArgs(s) {
		op, err := parseArg(a)
		if err != nil {
			return nil, fmt.Errorf("arg%d %q: %w", i, a, err)
		}
		ops = append(ops, op)
	}
	return ops, nil
}

// splitArgs splits s at runs of blanks outside parentheses.
func splitArgs(s string) []string {
	var args []string
	depth, start := 0, -1
	for i, c := range s {
		switch {
		case c == '(':
			depth++
		case c == ')':
			depth--
		case (c == ' ' || c == '\t') && depth <= 0:
			if start >= 0 {
				args = append(args, s[start:i])
			}
			start = -1
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		args = append(args, s[start:])
	}
	return args
}

// parseArg parses one argument, SIZE@OPERAND, where a negative SIZE
// means signed and OPERAND is in GNU as syntax: $CONST, %REG or
// DISP(%BASE,%INDEX,SCALE) with any of its parts left out.
func parseArg(s string) (operand, error) {
	sizeText, op, ok := strings.Cut(s, "@")
	if !ok {
		return operand{}, errors.New("no SIZE@ before the operand")
	}
	size, err := strconv.Atoi(sizeText)
	if err != nil {
		return operand{}, fmt.Errorf("size %q is not a number", sizeText)
	}
	a := Arg{Size: size, Signed: size < 0, Scale: 1}
	if a.Signed {
		a.Size = -size
	}
	if a.Size != 1 && a.Size != 2 && a.Size != 4 && a.Size != 8 {
		return operand{}, fmt.Errorf("size %d is not 1, 2, 4 or 8", a.Size)
	}
	switch {
	case op == "":
		return operand{}, errors.New("no operand after @")
	case op[0] == '$':
		a.Kind = ArgConst
		if a.Const, err = parseInt(op[1:]); err != nil {
			return operand{}, fmt.Errorf("constant %q is not a number", op[1:])
		}
		return operand{Arg: a}, nil
	case strings.Contains(op, ":"):
		return operand{}, fmt.Errorf("segment-relative operand %q is not supported", op)
	case op[0] == '%':
		a.Kind = ArgReg
		var ok bool
		if a.RegOffset, a.RegSize, ok = PtRegsOffset(op[1:]); !ok {
			return operand{}, fmt.Errorf("unknown register %s", op)
		}
		a.Reg = regTables().subRegs[op[1:]].full
		return operand{Arg: a}, nil
	}
	return parseMem(a, op)
}

// parseMem parses a memory operand, DISP(%BASE,%INDEX,SCALE), into a.
func parseMem(a Arg, op string) (operand, error) {
	a.Kind = ArgMem
	disp, inner, paren := op, "", false
	if i := strings.IndexByte(op, '('); i >= 0 {
		if !strings.HasSuffix(op, ")") {
			return operand{}, fmt.Errorf("memory operand %q does not end in )", op)
		}
		disp, inner, paren = op[:i], op[i+1:len(op)-1], true
	}
	var sym string
	var err error
	if a.Offset, sym, err = parseDisp(disp); err != nil {
		return operand{}, err
	}
	if !paren {
		return operand{Arg: a, sym: sym}, nil
	}
	parts := strings.Split(inner, ",")
	if len(parts) > 3 {
		return operand{}, fmt.Errorf("memory operand %q has more than base, index and scale", op)
	}
	if base := strings.TrimSpace(parts[0]); base != "" {
		if a.Reg, a.RegOffset, err = addrReg(base); err != nil {
			return operand{}, err
		}
		a.RegSize = 8
	}
	if len(parts) > 1 {
		if a.Index, a.IndexOffset, err = addrReg(strings.TrimSpace(parts[1])); err != nil {
			return operand{}, err
		}
		if a.Index == "rip" {
			return operand{}, errors.New("%rip cannot be an index register")
		}
	}
	if len(parts) > 2 {
		scale := strings.TrimSpace(parts[2])
		if a.Scale, err = strconv.Atoi(scale); err != nil || a.Scale != 1 && a.Scale != 2 && a.Scale != 4 && a.Scale != 8 {
			return operand{}, fmt.Errorf("scale %q is not 1, 2, 4 or 8", scale)
		}
	}
	if a.Reg == "" && a.Index == "" {
		return operand{}, fmt.Errorf("memory operand %q has neither base nor index register", op)
	}
	return operand{Arg: a, sym: sym}, nil
}

// addrReg returns the register of a base or index, which must be a
// 64-bit one, and its offset in pt_regs.
func addrReg(s string) (string, int, error) {
	if s == "" {
		return "", 0, errors.New("missing index register")
	}
	name, ok := strings.CutPrefix(s, "%")
	off, size, known := PtRegsOffset(name)
	switch {
	case !ok || !known:
		return "", 0, fmt.Errorf("unknown register %s", s)
	case size != 8:
		return "", 0, fmt.Errorf("address register %s is not a 64-bit register", s)
	}
	return name, off, nil
}

// parseDisp parses a displacement: empty, a number, or a symbol plus or
// minus numbers, as in "-16", "counter" and "40+CheckpointStats".
func parseDisp(s string) (off int64, sym string, err error) {
	for i := 0; i < len(s); {
		neg := s[i] == '-'
		if s[i] == '+' || s[i] == '-' {
			i++
		}
		j := i
		for j < len(s) && s[j] != '+' && s[j] != '-' {
			j++
		}
		term := s[i:j]
		switch {
		case term == "":
			return 0, "", fmt.Errorf("displacement %q has an empty term", s)
		case term[0] >= '0' && term[0] <= '9':
			v, err := parseInt(term)
			if err != nil {
				return 0, "", fmt.Errorf("displacement %q: %q is not a number", s, term)
			}
			if neg {
				v = -v
			}
			off += v
		case neg || sym != "":
			return 0, "", fmt.Errorf("displacement %q is not SYMBOL plus or minus numbers", s)
		case !isSymbol(term):
			return 0, "", fmt.Errorf("displacement %q: %q is not a symbol", s, term)
		default:
			sym = term
		}
		i = j
	}
	return off, sym, nil
}

// isSymbol reports whether s can be a symbol in GNU as: letters, digits,
// '_', '.' and '$', not starting with a digit.
func isSymbol(s string) bool {
	for i, c := range s {
		switch {
		case c == '_' || c == '.' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return s != ""
}

// parseInt parses a decimal, hex (0x) or octal (0) integer; one too
// large for int64 but within uint64 wraps, as the assembler does.
func parseInt(s string) (int64, error) {
	v, err := strconv.ParseInt(s, 0, 64)
	if err == nil {
		return v, nil
	}
	u, uerr := strconv.ParseUint(s, 0, 64)
	if uerr != nil {
		return 0, err
	}
	return int64(u), nil
}
