package lang

import (
	"strings"
	"testing"
)

func TestTseriesType(t *testing.T) {
	info, err := checkWithIncludes(t, `BEGIN { @a[1] = tseries((uint8)3, 100ms, 20, "max"); @b = tseries(-1, 1s, 1); @c = tseries((uint32)1, 1us, 2); @c = tseries(-1, 1us, 2); }`, Config{})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]struct {
		interval, n int64
		agg         TseriesAgg
		signed      bool
		str         string
	}{
		"@a": {100e6, 20, TseriesMax, false, "tseries_t (20 x 100ms, max)"},
		"@b": {1e9, 1, TseriesLast, true, "tseries_t (1 x 1s, last)"},
		"@c": {1e3, 2, TseriesLast, true, "tseries_t (2 x 1µs, last)"}, // a signed value makes it signed
	} {
		v := info.Maps[name].Value
		interval, n, agg := v.TseriesArgs()
		if v.Kind != KindTseries || interval != want.interval || n != want.n || agg != want.agg || v.IsSigned() != want.signed || v.String() != want.str {
			t.Errorf("%s: got %s (%d, %d, %v, signed %v)", name, v, interval, n, agg, v.IsSigned())
		}
		if !v.IsAggregation() || v.IsReadable() {
			t.Errorf("%s: a tseries is an aggregation that cannot be read", name)
		}
	}
}

// BPFTRACE_DUMMY_TS_MAP names the map tseries() reads the time from: a
// scalar map of an unsigned integer; ignored without tseries() calls.
func TestDummyTSMap(t *testing.T) {
	const env = "BPFTRACE_DUMMY_TS_MAP=@ts"
	for _, tc := range []struct {
		text, env, want, err string
	}{
		{`BEGIN { @ts = (uint64)0; @a = tseries(1, 1ms, 5); }`, env, "@ts", ""},
		{`BEGIN { @ts = (uint64)0; @a = tseries(1, 1ms, 5); }`, "", "", ""},
		{`BEGIN { @ts = (uint64)0; @a = count(); }`, env, "", ""},
		{`BEGIN { @ts = 0; @a = tseries(1, 1ms, 5); }`, env, "", "BPFTRACE_DUMMY_TS_MAP=@ts: tseries() reads the time from a map of an unsigned integer, not of int64"},
		{`BEGIN { @ts[1] = (uint64)0; @a = tseries(1, 1ms, 5); }`, env, "", "tseries() reads the time from a map without keys; @ts has keys"},
		{`BEGIN { @a = tseries(1, 1ms, 5); }`, env, "", "the script assigns no map @ts for tseries() to read the time from"},
	} {
		var environ []string
		if tc.env != "" {
			environ = []string{"PATH=/bin", tc.env}
		}
		info, err := checkWithIncludes(t, tc.text, Config{Environ: environ})
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%s: %v", tc.text, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s: got error %v, want %q", tc.text, err, tc.err)
		case tc.err != "" && !strings.Contains(err.Error(), "t.bt:1:"):
			t.Errorf("%s: the error is not positioned: %v", tc.text, err)
		case err == nil && info.DummyTSMap != tc.want:
			t.Errorf("%s: DummyTSMap = %q, want %q", tc.text, info.DummyTSMap, tc.want)
		}
	}
}
