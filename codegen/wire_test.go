package codegen

import "testing"

// TestSiteCount: a full map's counter holds -E2BIG times its count; one
// of an older object holds the count itself.
func TestSiteCount(t *testing.T) {
	neg := func(n int64) uint64 { return uint64(-n) }
	for _, tc := range []struct {
		kind    SiteKind
		counter uint64
		want    uint64
	}{
		{SiteFull, 0, 0},
		{SiteFull, neg(21), 3},
		{SiteFull, 3, 3},
		{SiteZeroDiv, 5, 5},
		{SiteReadError, neg(14), neg(14)},
	} {
		if got := SiteCount(tc.kind, tc.counter); got != tc.want {
			t.Errorf("SiteCount(%d, %#x) = %d, want %d", tc.kind, tc.counter, got, tc.want)
		}
	}
}
