package main

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// tseries() runs in BEGIN with BPFTRACE_DUMMY_TS_MAP=@ts, which makes it
// read the time from @ts: 100 values, 0 to 9 over and over, 10ms apart,
// fill intervals of 100ms, of which the map keeps the last 5.
func tseriesScript(args string) string {
	return `BEGIN { @ts = (uint64)0; $i = (uint64)0; while ($i < 100) { @a = tseries($i % 10, 100ms, 5` + args + `); @ts += 10ms; $i++; } clear(@ts); exit(); }`
}

// tseriesEnv makes the times repeatable: the dummy clock, printed in UTC.
var tseriesEnv = []string{"BPFTRACE_DUMMY_TS_MAP=@ts", "TZ=UTC"}

// flatSeries is the chart of a value that every interval from 0.5s to
// 0.9s holds, between the scale's lo and hi.
func flatSeries(name, lo, hi, v string) string {
	head := "             " + lo + strings.Repeat(" ", 21-len(lo)) + strings.Repeat(" ", 32-len(hi)) + hi + "\n"
	s := name + ":\n" + head + "hh:mm:ss.ms  |___________________________________________________|\n"
	for _, t := range []string{"500", "600", "700", "800", "900"} {
		s += "00:00:00." + t + " |                         *                         | " + v + "\n"
	}
	return s + "             v___________________________________________________v\n" + head + "\n"
}

// onePoint is the chart of a series of one interval, starting at the
// second at, with value v between lo and hi: as in bpftrace, a single
// interval shows nanoseconds.
func onePoint(name, lo, hi, at, v string) string {
	head := strings.Repeat(" ", 19) + lo + strings.Repeat(" ", 21-len(lo)) + strings.Repeat(" ", 32-len(hi)) + hi + "\n"
	return name + ":\n" + head + "hh:mm:ss.ns        |___________________________________________________|\n" +
		at + ".000000000 |                         *                         | " + v + "\n" +
		strings.Repeat(" ", 19) + "v___________________________________________________v\n" + head + "\n"
}

func TestTseries(t *testing.T) {
	runConstructs(t, []construct{
		{
			// Each interval keeps its last value, 9.
			name: "last", script: tseriesScript(""), env: tseriesEnv,
			maps: flatSeries("@a", "8", "10", "9"),
		},
		{name: "avg", script: tseriesScript(`, "avg"`), env: tseriesEnv, maps: flatSeries("@a", "3", "5", "4")},
		{name: "sum", script: tseriesScript(`, "sum"`), env: tseriesEnv, maps: flatSeries("@a", "44", "46", "45")},
		{name: "max", script: tseriesScript(`, "max"`), env: tseriesEnv, maps: flatSeries("@a", "8", "10", "9")},
		{
			// 0 is unsigned: the scale cannot start below it.
			name: "min", script: tseriesScript(`, "min"`), env: tseriesEnv,
			maps: strings.ReplaceAll(flatSeries("@a", "0", "1", "0"), "|                         *", "*                          "),
		},
		{
			// Signed values and the zero line; an interval with no value
			// is "-"; keys of two parts, printed in the order of their
			// bytes.
			name: "keyed_signed",
			script: `BEGIN { @ts = (uint64)1s; @a["x", 2] = tseries(-3, 1s, 3, "sum"); @ts += 2s; @a["x", 2] = tseries(3, 1s, 3, "sum"); ` +
				`@a["w", 1] = tseries(7, 1s, 3, "sum"); @a["w", 1] = tseries(-1, 1s, 3, "sum"); clear(@ts); exit(); }`,
			env: tseriesEnv,
			maps: onePoint("@a[w, 1]", "5", "7", "00:00:03", "6") +
				"@a[x, 2]:\n" +
				"         -3                                                  3\n" +
				"hh:mm:ss |___________________________________________________|\n" +
				"00:00:01 *                         .                         | -3\n" +
				"00:00:02 |                         .                         | -\n" +
				"00:00:03 |                         .                         * 3\n" +
				"         v___________________________________________________v\n" +
				"         -3                                                  3\n\n",
		},
		{
			// A value of an interval the bucket held before is dropped:
			// interval 6 takes interval 1's bucket back from 7.
			name: "bucket_reused", script: `BEGIN { @ts = (uint64)1s; @a = tseries(7, 1s, 5, "sum"); @ts = (uint64)6s; @a = tseries(1, 1s, 5, "sum"); clear(@ts); exit(); }`,
			env:  tseriesEnv,
			maps: onePoint("@a", "0", "2", "00:00:06", "1"),
		},
		{
			// clear() leaves nothing to print; zero() leaves buckets of no
			// interval: <no data>.
			name: "clear_zero", script: `BEGIN { @ts = (uint64)10s; @c[1] = tseries(1, 1ms, 5); @z = tseries(1, 1ms, 5); @k["k"] = tseries(1, 1ms, 5); clear(@c); zero(@z); zero(@k); clear(@ts); exit(); }`,
			env:  tseriesEnv,
			maps: "@k[k]:\n<no data>\n@z:\n<no data>\n",
		},
		{
			// delete(@scalar) empties a time series without keys;
			// has_key() finds a key in any bucket; print() draws it now.
			name: "delete_has_key_print",
			script: `BEGIN { @ts = (uint64)1s; @d = tseries(1, 1s, 2); @k[5] = tseries(2, 1s, 2); delete(@d); ` +
				`printf("%d %d\n", has_key(@k, 5), has_key(@k, 6)); print(@k); clear(@k); clear(@ts); exit(); }`,
			env: tseriesEnv,
			out: "1 0\n" + onePoint("@k[5]", "1", "3", "00:00:01", "2"),
		},
		{
			// delete(@scalar) of a histogram empties it too: each bucket
			// is an entry (it removed bucket 0's alone).
			name: "delete_scalar_hist", script: `BEGIN { @h = hist(5); @l = lhist(0, 0, 10, 1); delete(@h); delete(@l); @k = 1; exit(); }`,
			maps: "@k: 1\n",
		},
		{
			// Without the testing aid, the intervals are the wall clock's
			// (TAI) seconds.
			name: "clock", script: `BEGIN { @ = tseries(5, 1s, 3); exit(); }`, env: []string{"TZ=UTC"},
			re: `^\n\n@:\n {19}4 {51}6\nhh:mm:ss\.ns {8}\|_{51}\|\n\d\d:\d\d:\d\d\.000000000 \| {25}\* {25}\| 5\n`,
		},
	})
}

// The clock's intervals are those of the wall clock, give or take the
// kernel's TAI offset.
func TestTseriesClockIsWallClock(t *testing.T) {
	stdout, _ := checkConstruct(t, construct{name: "clock", script: `BEGIN { @ = tseries(5, 1s, 3); exit(); }`, env: []string{"TZ=UTC"}, re: `\d\d:\d\d:\d\d\.0`})
	m := regexp.MustCompile(`(\d\d:\d\d:\d\d)\.0`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("no time in %q", stdout)
	}
	now := time.Now().UTC()
	at, err := time.Parse("15:04:05", m[1])
	if err != nil {
		t.Fatal(err)
	}
	got := time.Date(now.Year(), now.Month(), now.Day(), at.Hour(), at.Minute(), at.Second(), 0, time.UTC)
	d := now.Sub(got)
	switch { // around midnight the day may have changed
	case d > 12*time.Hour:
		d -= 24 * time.Hour
	case d < -12*time.Hour:
		d += 24 * time.Hour
	}
	if d < -time.Minute || d > time.Minute {
		t.Errorf("interval %s is %v from now, %s", m[1], d, now.Format("15:04:05"))
	}
}

// -f json writes {"type": "tseries"} with the intervals that have a value,
// their start in UTC.
func TestTseriesJSON(t *testing.T) {
	run := func(script string) string {
		t.Helper()
		cmd := hawkCmd(t, "-q", "-f", "json", "-e", script)
		cmd.Env = append(os.Environ(), "BPFTRACE_DUMMY_TS_MAP=@ts", "TZ=America/New_York")
		var out, errw bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errw
		if err := cmd.Run(); err != nil {
			t.Fatalf("%v: %s", err, errw.String())
		}
		return out.String()
	}
	point := func(start, v string) string {
		return `{"interval_start":"1970-01-01 00:00:0` + start + `","value":` + v + `}`
	}
	var avg []string
	for _, s := range []string{"0.5", "0.6", "0.7", "0.8", "0.9"} {
		avg = append(avg, point(s+"00000000", "4"))
	}
	if got, want := run(tseriesScript(`, "avg"`)), `{"type": "tseries", "data": {"@a": [`+strings.Join(avg, ",")+`]}}`+"\n"; got != want {
		t.Errorf("avg: got\n%s\nwant\n%s", got, want)
	}
	keyed := `BEGIN { @ts = (uint64)1s; @a["one"] = tseries(-5, 1s, 2); @ts = (uint64)2s; @a["two"] = tseries(4, 1s, 2); clear(@ts); exit(); }`
	want := `{"type": "tseries", "data": {"@a": {"one": [` + point("1.000000000", "-5") + `], "two": [` + point("2.000000000", "4") + `]}}}` + "\n"
	if got := run(keyed); got != want {
		t.Errorf("keyed: got\n%s\nwant\n%s", got, want)
	}
	zero := `BEGIN { @ts = (uint64)3s; @a = tseries(1, 1s, 2); zero(@a); clear(@ts); exit(); }`
	if got, want := run(zero), `{"type": "tseries", "data": {"@a": []}}`+"\n"; got != want {
		t.Errorf("zero: got\n%s\nwant\n%s", got, want)
	}
}
