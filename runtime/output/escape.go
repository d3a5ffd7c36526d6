package output

import "strings"

const hexDigits = "0123456789abcdef"

// EscapeBuffer renders bytes as bpftrace's %r does: printable ASCII as is,
// the rest as \xNN; as 'x' (%rx) every byte as \xNN; as 'h' (%rh) as hex
// pairs separated by spaces.
func EscapeBuffer(b []byte, as byte) string {
	var s strings.Builder
	for i, c := range b {
		switch {
		case as == 'h':
			if i > 0 {
				s.WriteByte(' ')
			}
			s.WriteByte(hexDigits[c>>4])
			s.WriteByte(hexDigits[c&15])
		case as != 'x' && c >= 32 && c <= 126:
			s.WriteByte(c)
		default:
			s.WriteString(`\x`)
			s.WriteByte(hexDigits[c>>4])
			s.WriteByte(hexDigits[c&15])
		}
	}
	return s.String()
}
