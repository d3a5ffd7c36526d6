package runtime

import "fmt"

// macaddrString spells the six bytes of a MAC address as bpftrace does:
// upper-case hex, colon-separated.
func macaddrString(b []byte) string {
	if len(b) < 6 {
		return ""
	}
	return fmt.Sprintf("%02X:%02X:%02X:%02X:%02X:%02X", b[0], b[1], b[2], b[3], b[4], b[5])
}
