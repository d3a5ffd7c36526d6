package lang

import (
	"fmt"
	"strconv"
	"strings"
)

// Format is a parsed printf format string.
type Format struct {
	Parts []FormatPart
	Verbs []*Verb // the conversions in order, one per argument
}

// FormatPart is literal text or one conversion.
type FormatPart struct {
	Lit  string
	Verb *Verb
}

// Verb is one conversion specification such as %-10s or %08llx.
type Verb struct {
	Spec   string // as written, from % to the conversion letter
	Flags  string // any of "-0+ #"
	Width  int    // -1 when absent
	Prec   int    // -1 when absent
	Length string // "", "hh", "h", "l", "ll", "z", "j", "t"
	Conv   byte   // d i u x X o c s p r, or g for %gr (GFP flags)
	RawAs  byte   // for %r: 0, 'x' (%rx) or 'h' (%rh)
	Start  int    // byte offsets of Spec within the format string
	End    int
}

// The conversions hawk's printf accepts; g only as %gr.
const formatConvs = "diuxXocsprg"

// ParseFormat parses a printf format string. An error carries the byte
// offset within s where the bad conversion starts.
func ParseFormat(s string) (*Format, *FormatError) {
	f := &Format{}
	var lit strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			lit.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '%' {
			lit.WriteByte('%')
			i++
			continue
		}
		v, err := parseVerb(s, i)
		if err != nil {
			if err.End > len(s) || !isLetter(s[err.End-1]) {
				// A % that starts no conversion, as in "100%\n", is
				// itself, as in bpftrace.
				lit.WriteByte('%')
				continue
			}
			return nil, err
		}
		if lit.Len() > 0 {
			f.Parts = append(f.Parts, FormatPart{Lit: lit.String()})
			lit.Reset()
		}
		f.Parts = append(f.Parts, FormatPart{Verb: v})
		f.Verbs = append(f.Verbs, v)
		i = v.End - 1
	}
	if lit.Len() > 0 {
		f.Parts = append(f.Parts, FormatPart{Lit: lit.String()})
	}
	return f, nil
}

// FormatError is a bad conversion in a format string.
type FormatError struct {
	Start, End int
	Msg        string
}

func (e *FormatError) Error() string { return e.Msg }

func parseVerb(s string, start int) (*Verb, *FormatError) {
	v := &Verb{Width: -1, Prec: -1, Start: start}
	i := start + 1
	for i < len(s) && strings.IndexByte("-0+ #", s[i]) >= 0 {
		v.Flags += s[i : i+1]
		i++
	}
	num := func() int {
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i {
			return -1
		}
		n, _ := strconv.Atoi(s[i:j])
		i = j
		return n
	}
	v.Width = num()
	if i < len(s) && s[i] == '.' {
		i++
		if v.Prec = num(); v.Prec < 0 {
			v.Prec = 0
		}
	}
	for _, l := range []string{"hh", "h", "ll", "l", "z", "j", "t"} {
		if strings.HasPrefix(s[i:], l) {
			v.Length = l
			i += len(l)
			break
		}
	}
	if i >= len(s) {
		return nil, &FormatError{start, i + 1, "the format ends inside a conversion"}
	}
	if strings.IndexByte(formatConvs, s[i]) < 0 || s[i] == 'g' && !strings.HasPrefix(s[i:], "gr") {
		return nil, &FormatError{start, i + 1, fmt.Sprintf("unknown printf conversion %q", s[start:i+1])}
	}
	v.Conv = s[i]
	v.End = i + 1
	if v.Conv == 'g' {
		v.End++ // %gr
	}
	if v.Conv == 'r' && i+1 < len(s) && (s[i+1] == 'x' || s[i+1] == 'h') {
		v.RawAs = s[i+1]
		v.End++
	}
	v.Spec = s[start:v.End]
	return v, nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// accepts says what kind of argument v needs when t does not fit, or "".
func (v *Verb) accepts(t *Type) string {
	switch v.Conv {
	case 's':
		switch t.Kind {
		case KindString, KindUsername, KindStack, KindInet, KindKsym, KindUsym, KindTimestamp, KindMacaddr, KindCgroup:
			return ""
		}
		if t.IsEnum() {
			return "" // its enumerator's name
		}
		return "a string"
	case 'r':
		if t.Kind == KindBuffer || t.Kind == KindString {
			return ""
		}
		return "a buffer (buf())"
	}
	if t.IsInteger() {
		return ""
	}
	return "an integer"
}

// IsIntConv reports whether v prints an integer.
func (v *Verb) IsIntConv() bool { return strings.IndexByte("diuxXoc", v.Conv) >= 0 }

// lengthSize is the operand size a length modifier imposes, or 0.
func (v *Verb) lengthSize() int {
	switch v.Length {
	case "hh":
		return 1
	case "h":
		return 2
	case "l", "ll", "z", "j", "t":
		return 8
	}
	return 0
}

// AppendInt formats the integer bits x, which hold a value of size bytes
// (signed or not), as v directs, as bpftrace does, C style: the value,
// extended to 64 bits by its own type, is cast to the width its length
// modifier says, an int (4 bytes) without one, so `%x` of 0x12345678abcdef
// is 78abcdef and `%hhx` of 0x1ff is ff.
func (v *Verb) AppendInt(dst []byte, x uint64, size int, signed bool) []byte {
	if size < 8 {
		shift := 64 - 8*size
		if signed {
			x = uint64(int64(x<<shift) >> shift)
		} else {
			x &= 1<<(8*size) - 1
		}
	}
	size = v.lengthSize()
	switch {
	case v.Conv == 'p' || v.Conv == 'g':
		size = 8
	case v.Conv == 'c':
		size = 1
	case size == 0:
		size = 4
	}
	if size < 8 {
		x &= 1<<(8*size) - 1
	}
	sext := func() int64 {
		shift := 64 - 8*size
		return int64(x<<shift) >> shift
	}
	if v.Prec < 0 && (v.Flags == "" || v.Flags == "-") && (v.Conv == 'd' || v.Conv == 'i' || v.Conv == 'u') {
		// The common verbs, with at most a width: no strings to build.
		var digits [24]byte
		num := strconv.AppendUint(digits[:0], x, 10)
		if v.Conv != 'u' {
			num = strconv.AppendInt(digits[:0], sext(), 10)
		}
		return pad(v, dst, num)
	}
	var body, sign, prefix string
	switch v.Conv {
	case 'd', 'i':
		n := sext()
		if n < 0 {
			sign, body = "-", strconv.FormatUint(uint64(-n), 10)
		} else {
			body = strconv.FormatUint(uint64(n), 10)
			if strings.Contains(v.Flags, "+") {
				sign = "+"
			} else if strings.Contains(v.Flags, " ") {
				sign = " "
			}
		}
	case 'u':
		body = strconv.FormatUint(x, 10)
	case 'x', 'X', 'p':
		body = strconv.FormatUint(x, 16)
		if v.Conv == 'X' {
			body = strings.ToUpper(body)
		}
		if v.Conv == 'p' || strings.Contains(v.Flags, "#") && x != 0 {
			prefix = "0x"
			if v.Conv == 'X' {
				prefix = "0X"
			}
		}
	case 'o':
		body = strconv.FormatUint(x, 8)
		if strings.Contains(v.Flags, "#") && body != "0" {
			prefix = "0"
		}
	case 'c':
		return v.pad(dst, string([]byte{byte(x)}))
	case 'g':
		return v.pad(dst, GFPFlags(x))
	}
	if v.Prec >= 0 {
		if v.Prec == 0 && x == 0 && v.Conv != 'p' {
			body = ""
		}
		for len(body) < v.Prec {
			body = "0" + body
		}
	}
	head := sign + prefix
	if strings.Contains(v.Flags, "0") && !strings.Contains(v.Flags, "-") && v.Prec < 0 {
		for len(head)+len(body) < v.Width {
			body = "0" + body
		}
	}
	return v.pad(dst, head+body)
}

// AppendString formats s as v directs (%s: precision truncates, width pads).
func (v *Verb) AppendString(dst []byte, s string) []byte {
	if v.Prec >= 0 && len(s) > v.Prec {
		s = s[:v.Prec]
	}
	return v.pad(dst, s)
}

func (v *Verb) pad(dst []byte, s string) []byte { return pad(v, dst, s) }

// pad appends s, padded with spaces to v's width (on the right with the
// '-' flag).
func pad[S string | []byte](v *Verb, dst []byte, s S) []byte {
	n := v.Width - len(s)
	left := n > 0 && strings.Contains(v.Flags, "-")
	if left {
		dst = append(dst, s...)
	}
	for ; n > 0; n-- {
		dst = append(dst, ' ')
	}
	if left {
		return dst
	}
	return append(dst, s...)
}
