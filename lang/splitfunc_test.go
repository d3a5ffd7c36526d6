package lang

import "testing"

// TestSplitFunc holds SplitFunc to a probe function's three forms: an
// address, a symbol, and a symbol with an offset, where a symbol may be
// any text a quoted function gives.
func TestSplitFunc(t *testing.T) {
	for _, tc := range []struct {
		in     string
		sym    string
		offset uint64
	}{
		{"readline", "readline", 0},
		{"readline+4", "readline", 4},
		{"readline+0x10", "readline", 16},
		{"0x10", "", 16},
		{"10", "", 10},
		{"net/http.init", "net/http.init", 0},
		{"net/http.init+8", "net/http.init", 8},
		{"operator+", "operator+", 0},
		{"operator+=+2", "operator+=", 2},
		{"a+b", "a+b", 0},
	} {
		sym, off := SplitFunc(tc.in)
		if sym != tc.sym || off != tc.offset {
			t.Errorf("SplitFunc(%q) = %q, %d; want %q, %d", tc.in, sym, off, tc.sym, tc.offset)
		}
	}
}
