package lang

import (
	"strconv"
	"strings"
)

// parseInt reads an integer literal: decimal, 0x hex, 0 or 0o octal, 0b
// binary, `_` separators, C suffixes (u, l, ul, ll, ull) and duration
// suffixes (ns, us, ms, s, m, h, d) which turn the value into nanoseconds.
func parseInt(text string) (uint64, error) {
	digits := strings.ReplaceAll(text, "_", "")
	base := 10
	var scale uint64 = 1
	prefix := ""
	if len(digits) > 2 {
		prefix = strings.ToLower(digits[:2])
	}
	switch {
	case prefix == "0x":
		base, digits = 16, strings.TrimRight(digits[2:], "uUlL")
	case prefix == "0o":
		base, digits = 8, strings.TrimRight(digits[2:], "uUlL")
	case prefix == "0b":
		base, digits = 2, strings.TrimRight(digits[2:], "uUlL")
	default:
		end := 0
		for end < len(digits) && digits[end] >= '0' && digits[end] <= '9' {
			end++
		}
		num, suffix := digits[:end], digits[end:]
		var exp int
		if strings.HasPrefix(suffix, "e") || strings.HasPrefix(suffix, "E") {
			n, err := strconv.Atoi(suffix[1:])
			if err != nil || n > 19 {
				return 0, errorString("invalid integer literal " + strconv.Quote(text))
			}
			exp, suffix = n, ""
		}
		if s, ok := durationScale[suffix]; ok {
			scale = s
		} else if !isCSuffix(suffix) {
			return 0, errorString("invalid suffix " + strconv.Quote(suffix) + " on integer literal")
		}
		for ; exp > 0; exp-- {
			scale *= 10
		}
		digits = num
		if len(num) > 1 && num[0] == '0' {
			base, digits = 8, num[1:]
		}
	}
	v, err := strconv.ParseUint(digits, base, 64)
	if err != nil {
		return 0, errorString("integer literal " + strconv.Quote(text) + " is out of range or malformed")
	}
	if scale != 1 {
		if v > ^uint64(0)/scale {
			return 0, errorString("integer literal " + strconv.Quote(text) + " is out of range")
		}
		v *= scale
	}
	return v, nil
}

var durationScale = map[string]uint64{
	"ns": 1, "us": 1_000, "ms": 1_000_000, "s": 1_000_000_000,
	"m": 60_000_000_000, "h": 3_600_000_000_000, "d": 86_400_000_000_000,
}

func isCSuffix(s string) bool {
	switch strings.ToLower(s) {
	case "", "u", "l", "ul", "lu", "ll", "ull", "llu":
		return true
	}
	return false
}

type errorString string

func (e errorString) Error() string { return string(e) }

// unquote resolves the C escapes of a double-quoted literal.
func unquote(lit string) (string, error) {
	s := lit[1 : len(lit)-1]
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	v, _, err := unquoteMap(lit)
	return v, err
}

// unquoteMap resolves the escapes of lit and also returns, for each byte of
// the value, its offset in lit, so errors about part of a string can point
// at it.
func unquoteMap(lit string) (string, []int, error) {
	s := lit[1 : len(lit)-1]
	var b strings.Builder
	var offsets []int
	for i := 0; i < len(s); i++ {
		c := s[i]
		offsets = append(offsets, i+1)
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		c = s[i]
		switch c {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case 'e':
			b.WriteByte(0x1b)
		case '\\', '"', '\'', '?':
			b.WriteByte(c)
		case 'x':
			j := i + 1
			for j < len(s) && j < i+3 && isHex(s[j]) {
				j++
			}
			if j == i+1 {
				return "", nil, errorString(`\x needs hex digits`)
			}
			v, _ := strconv.ParseUint(s[i+1:j], 16, 8)
			b.WriteByte(byte(v))
			i = j - 1
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i
			for j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7' {
				j++
			}
			v, _ := strconv.ParseUint(s[i:j], 8, 16)
			if v > 255 {
				return "", nil, errorString("octal escape " + strconv.Quote(`\`+s[i:j]) + " is out of range")
			}
			b.WriteByte(byte(v))
			i = j - 1
		default:
			return "", nil, errorString("unknown escape sequence " + strconv.Quote(`\`+string(c)))
		}
	}
	return b.String(), append(offsets, len(lit)-1), nil
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
