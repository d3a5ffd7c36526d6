package lang

import "strconv"

// atoi is strconv.Atoi, reporting whether s is a number, without the
// error strconv makes (and allocates) for text that neither starts with a
// digit or a sign nor ends with a digit: the parser tries the name of
// every variable ($x), and the checker every identifier starting with
// "arg".
func atoi(s string) (int, bool) {
	if s == "" || !isDigit(s[len(s)-1]) || !isDigit(s[0]) && s[0] != '+' && s[0] != '-' {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
