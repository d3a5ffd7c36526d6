package lang

import (
	"fmt"
	"strings"
	"time"
)

// tseries(n, interval_ns, num_intervals [, agg]): a time series of an
// integer, one value per interval for the last num_intervals intervals.

// TseriesAgg is how tseries() combines the values given in one interval.
type TseriesAgg int64

// tseries() aggregations. TseriesLast, the default, keeps the last value.
const (
	TseriesLast TseriesAgg = iota
	TseriesAvg
	TseriesMax
	TseriesMin
	TseriesSum
)

// tseriesAggNames spells the aggregations as scripts do; the default has
// no name.
var tseriesAggNames = [...]string{TseriesLast: "", TseriesAvg: "avg", TseriesMax: "max", TseriesMin: "min", TseriesSum: "sum"}

// String is the aggregation's name: avg, max, min, sum, or last.
func (a TseriesAgg) String() string {
	if a == TseriesLast || a < 0 || int(a) >= len(tseriesAggNames) {
		return "last"
	}
	return tseriesAggNames[a]
}

// MaxTseriesIntervals is the most intervals a tseries() keeps, as in
// bpftrace.
const MaxTseriesIntervals = 1000000

// TseriesArgs are what a tseries() map was made with: the interval in
// nanoseconds, how many intervals it keeps and how it combines values.
func (t *Type) TseriesArgs() (interval, intervals int64, agg TseriesAgg) {
	if t.Kind != KindTseries || len(t.Args) != 3 {
		return 0, 0, TseriesLast
	}
	return t.Args[0], t.Args[1], TseriesAgg(t.Args[2])
}

func tseriesString(t *Type) string {
	if len(t.Args) != 3 {
		return "tseries_t"
	}
	interval, n, agg := t.TseriesArgs()
	return fmt.Sprintf("tseries_t (%d x %v, %s)", n, time.Duration(interval), agg)
}

func (c *checker) checkTseries(call *Call) *Type {
	if c.firstTseries == nil {
		c.firstTseries = call
	}
	signed, ok := c.aggArg(call)
	interval, ok1 := c.constArg(call, 1, "interval (in nanoseconds)", 1, 1<<63-1)
	n, ok2 := c.constArg(call, 2, "number of intervals", 1, MaxTseriesIntervals)
	agg, ok3 := TseriesLast, true
	if len(call.Args) == 4 {
		agg, ok3 = c.tseriesAgg(call)
	}
	if !ok || !ok1 || !ok2 || !ok3 {
		return Invalid
	}
	return AggType(KindTseries, signed, interval, n, int64(agg))
}

// tseriesAgg checks tseries()'s last argument: "avg", "max", "min" or
// "sum".
func (c *checker) tseriesAgg(call *Call) (TseriesAgg, bool) {
	name, ok := c.literalArg(call, 3)
	if !ok {
		return 0, false
	}
	for a, n := range tseriesAggNames {
		if n != "" && n == name {
			return TseriesAgg(a), true
		}
	}
	c.errorf(call.Args[3], "tseries() combines the values of an interval with one of %s, not %q", strings.Join(tseriesAggNames[1:], ", "), name)
	return 0, false
}

// dummyTSMapVar names the environment variable of the testing aid that
// makes tseries() read the time from a map (Info.DummyTSMap).
const dummyTSMapVar = "BPFTRACE_DUMMY_TS_MAP"

// checkDummyTSMap sets Info.DummyTSMap when the environment names a map
// for tseries() to read the time from, and the script has tseries()
// calls: the map must hold an unsigned integer and have no keys. Without
// tseries() calls, or without the variable, nothing changes.
func (c *checker) checkDummyTSMap() {
	name := ""
	for _, kv := range c.cfg.Environ {
		if k, v, _ := strings.Cut(kv, "="); k == dummyTSMapVar {
			name = v
		}
	}
	if name == "" || c.firstTseries == nil {
		return
	}
	info := c.info.Maps[name]
	switch {
	case info == nil || info.Value == nil:
		c.errorf(c.firstTseries, "%s=%s: the script assigns no map %s for tseries() to read the time from", dummyTSMapVar, name, name)
	case len(info.Keys) > 0:
		c.errorf(c.firstTseries, "%s=%s: tseries() reads the time from a map without keys; %s has keys", dummyTSMapVar, name, name)
	case info.Value.Kind != KindInt || info.Value.Signed:
		c.errorf(c.firstTseries, "%s=%s: tseries() reads the time from a map of an unsigned integer, not of %s", dummyTSMapVar, name, info.Value)
	default:
		c.info.DummyTSMap = name
	}
}
