package lang

import "testing"

// TestUSDTConstValue: a constant argument keeps the size and sign its note
// gives it (bpftrace's usdt_args test program's const_* probes).
func TestUSDTConstValue(t *testing.T) {
	const c = -579005069656919568 // 0xf7f6f5f4f3f2f1f0
	for _, tc := range []struct {
		size   int
		signed bool
		c      int64
		want   int64
	}{
		{8, false, c, c},
		{8, true, c, c},
		{4, false, -202182160, 4092785136},
		{4, true, -202182160, -202182160},
		{2, false, -3600, 61936},
		{2, true, -3600, -3600},
		{1, false, -16, 240},
		{1, true, -16, -16},
		{4, true, 0x1_0000_0005, 5},
	} {
		a := USDTArg{Size: tc.size, Signed: tc.signed, Kind: USDTConst, Const: tc.c}
		if got := a.ConstValue(); got != tc.want {
			t.Errorf("size %d signed %v const %d: %d, want %d", tc.size, tc.signed, tc.c, got, tc.want)
		}
	}
}
