package main

import "testing"

// TestKeyWatch: Ctrl-C finds the line empty when nothing was typed since
// the line began (Enter or Ctrl-C), whatever came before.
func TestKeyWatch(t *testing.T) {
	tests := []struct {
		keys  string
		empty bool
	}{
		{"\x03", true},
		{"abc\x03", false},
		{"abc\x03\x03", true},
		{"abc\r\x03", true},
		{"abc\n\x03", true},
		{"\x1b[A\x03", false}, // Up recalls a line
		{"a\x7f\x03", false},  // typed, then erased: Ctrl-C only clears
		{"abc\x03x\x03", false},
	}
	for _, tt := range tests {
		var k keyWatch
		k.saw([]byte(tt.keys))
		if got := k.emptyAtCtrlC(); got != tt.empty {
			t.Errorf("%q: empty at Ctrl-C %v, want %v", tt.keys, got, tt.empty)
		}
	}
}
