package output

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hawktrace/hawk/internal/golden"
)

// series builds a time series from start (ns since the epoch), one point
// every step ns; nil values are intervals with no value.
func series(start, step int64, vals ...*Value) Value {
	v := Value{Kind: Series}
	for j, x := range vals {
		pt := SeriesPoint{Start: start + int64(j)*step, Missing: x == nil}
		if x != nil {
			pt.Value = *x
		}
		v.Points = append(v.Points, pt)
	}
	return v
}

func ip(n int64) *Value  { v := i(n); return &v }
func up(n uint64) *Value { v := u(n); return &v }

// seriesCases are time series as bpftrace v0.26.1 draws them: the text
// of "zigzag" and "keyed" is its tests/runtime/outputs/tseries_zigzag.txt
// and tseries_multiple.txt (in UTC), their JSON its tseries*.json.
var seriesCases = []outputCase{
	// The zigzag of bpftrace's docs: signed, a zero line, milliseconds.
	{"series_zigzag", func(w Writer) {
		var vals []*Value
		for _, n := range []int64{-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 4, 3, 2, 1, 0, -1, -2, -3, -4} {
			vals = append(vals, ip(n))
		}
		w.Map("@", PlainMap, series(100e6, 100e6, vals...))
	}},
	// Two keys; the first has no value in the second's intervals.
	{"series_keyed", func(w Writer) {
		w.Map("@a", PlainMap, entries(
			str("one"), series(0, 100e6, ip(0), ip(5), ip(5), ip(5), ip(5), nil, nil, nil, nil, nil),
			str("two"), series(500e6, 100e6, ip(4), ip(4), ip(4), ip(4), ip(4)),
		))
	}},
	// Unsigned, flat at 0: the scale cannot go below 0. Whole seconds.
	{"series_unsigned_seconds", func(w Writer) {
		w.Map("@s", PlainMap, series(3600e9, 1e9, up(0), up(0), up(0)))
	}},
	// Microseconds, values past the header's first column.
	{"series_microseconds", func(w Writer) {
		w.Map("@us", PlainMap, series(1e9+1000, 1000, ip(-1234567890123456789), nil, ip(1234567890123456789)))
	}},
	// One interval: nanoseconds. No intervals at all: <no data>, [].
	{"series_single_and_empty", func(w Writer) {
		w.Map("@one", PlainMap, series(42, 1, up(7)))
		w.Map("@none", PlainMap, series(0, 1))
	}},
}

// TestSeriesGolden renders each time series as text, in UTC, and as JSON,
// and compares them with testdata/NAME.txt and NAME.json (go test -update
// rewrites them).
func TestSeriesGolden(t *testing.T) {
	for _, tc := range seriesCases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errs, js strings.Builder
			text := NewText(&out, &errs, BufferAuto)
			text.loc = time.UTC
			tc.write(text)
			text.Flush()
			json := NewJSON(&js, BufferAuto)
			tc.write(json)
			json.Flush()
			golden.Check(t, filepath.Join("testdata", tc.name+".txt"), out.String())
			golden.Check(t, filepath.Join("testdata", tc.name+".json"), js.String())
		})
	}
}

// The zigzag is drawn byte for byte as bpftrace draws it.
func TestSeriesZigzagAsBpftrace(t *testing.T) {
	var out strings.Builder
	text := NewText(&out, &out, BufferAuto)
	text.loc = time.UTC
	seriesCases[0].write(text)
	text.Flush()
	want := `@:
             -5                                                  5
hh:mm:ss.ms  |___________________________________________________|
00:00:00.100 *                         .                         | -5
00:00:00.200 |    *                    .                         | -4
00:00:00.300 |         *               .                         | -3
00:00:00.400 |              *          .                         | -2
00:00:00.500 |                   *     .                         | -1
00:00:00.600 |                         *                         | 0
00:00:00.700 |                         .    *                    | 1
00:00:00.800 |                         .         *               | 2
00:00:00.900 |                         .              *          | 3
00:00:01.000 |                         .                   *     | 4
00:00:01.100 |                         .                         * 5
00:00:01.200 |                         .                   *     | 4
00:00:01.300 |                         .              *          | 3
00:00:01.400 |                         .         *               | 2
00:00:01.500 |                         .    *                    | 1
00:00:01.600 |                         *                         | 0
00:00:01.700 |                   *     .                         | -1
00:00:01.800 |              *          .                         | -2
00:00:01.900 |         *               .                         | -3
00:00:02.000 |    *                    .                         | -4
             v___________________________________________________v
             -5                                                  5

`
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}
