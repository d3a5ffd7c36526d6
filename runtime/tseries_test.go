package runtime

import (
	"testing"

	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/output"
)

// The CPUs' values of a tseries() bucket merge as bpftrace's
// reduce_tseries_value merges them: values of older intervals and unused
// CPUs (interval 0) do not count.
func TestReduceTseries(t *testing.T) {
	cpus := []tseriesBucket{
		{V: 7, Meta: 300, Epoch: 10}, // last set at time 300
		{V: 0, Meta: 0, Epoch: 0},    // never used on this CPU
		{V: -3, Meta: 500, Epoch: 10},
		{V: 100, Meta: 900, Epoch: 9}, // an older interval: left out
		{V: 2, Meta: 100, Epoch: 10},
	}
	for _, tc := range []struct {
		agg    lang.TseriesAgg
		signed bool
		want   output.Value
	}{
		{lang.TseriesLast, true, output.IntValue(-3)},              // the latest time wins
		{lang.TseriesSum, true, output.IntValue(6)},                // 7 - 3 + 2
		{lang.TseriesAvg, true, output.IntValue(6 / 900)},          // the metas count values
		{lang.TseriesMin, true, output.IntValue(-3)},               // signed
		{lang.TseriesMin, false, output.UintValue(2)},              // unsigned: -3 is huge
		{lang.TseriesMax, true, output.IntValue(7)},                // signed
		{lang.TseriesMax, false, output.UintValue(^uint64(0) - 2)}, // unsigned
	} {
		epoch, got := reduceTseries(cpus, tc.agg, tc.signed)
		if epoch != 10 || output.Compare(got, tc.want) != 0 || got.Kind != tc.want.Kind {
			t.Errorf("%v signed=%v: got %d %+v, want 10 %+v", tc.agg, tc.signed, epoch, got, tc.want)
		}
	}
	// avg divides the sum by the number of values of every CPU.
	avg := []tseriesBucket{{V: 9, Meta: 2, Epoch: 4}, {V: 3, Meta: 1, Epoch: 4}, {V: -50, Meta: 7, Epoch: 3}}
	if _, got := reduceTseries(avg, lang.TseriesAvg, true); got.I != 4 {
		t.Errorf("avg: got %+v, want 4", got)
	}
	// A bucket no CPU set (after zero()) is interval 0, value 0.
	if epoch, got := reduceTseries(make([]tseriesBucket, 3), lang.TseriesAvg, false); epoch != 0 || got.Kind != output.Uint || got.U != 0 {
		t.Errorf("unused: got %d %+v", epoch, got)
	}
}
