package repl

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hawktrace/hawk/runtime/output"
)

// keyed is a map read of string keys and unsigned counts.
func keyed(kv ...any) *output.Value {
	v := &output.Value{Kind: output.Map}
	for i := 0; i < len(kv); i += 2 {
		v.Entries = append(v.Entries, output.Entry{Key: output.StringValue(kv[i].(string)), Value: output.UintValue(uint64(kv[i+1].(int)))})
	}
	return v
}

// hist is a histogram read: counts of the buckets [1,2), [2,4), [4,8)...
func hist(counts ...uint64) output.Value {
	v := output.Value{Kind: output.Hist}
	for i, c := range counts {
		lo, hi := int64(1)<<i, int64(2)<<i
		v.Rows = append(v.Rows, output.HistRow{Label: "[" + itoa(lo) + ", " + itoa(hi) + ")", Count: c, Lo: lo, Hi: hi, HasLo: true, HasHi: true})
	}
	return v
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// text renders what .watch shows of @m, as the text writer does.
func text(v *output.Value) string {
	if v == nil {
		return "<nil>"
	}
	var b bytes.Buffer
	w := output.NewText(&b, &b, output.BufferFull)
	w.Map("@m", output.PlainMap, *v)
	w.Flush()
	return b.String()
}

// TestWatchShow: what each mode shows of counts, sums, integers and
// histograms, with and without keys, and top N.
func TestWatchShow(t *testing.T) {
	sum := func(i int64) *output.Value { v := output.IntValue(i); return &v }
	count := func(u uint64) *output.Value { v := output.UintValue(u); return &v }
	for _, tc := range []struct {
		name      string
		view      view
		prev, cur *output.Value
		want      string
	}{
		{"values as print shows them", view{}, keyed("a", 1), keyed("a", 5, "b", 2), "@m[a]: 5\n@m[b]: 2\n"},
		{"values, top 1", view{top: 1}, nil, keyed("a", 5, "b", 2, "c", 3), "@m[a]: 5\n"},
		{"values, top 2 in print order", view{top: 2}, nil, keyed("a", 5, "b", 2, "c", 3), "@m[c]: 3\n@m[a]: 5\n"},
		{"delta: unchanged and gone entries left out, new ones counted from 0", view{mode: watchDelta}, keyed("a", 1, "b", 4, "gone", 7), keyed("a", 5, "b", 4, "new", 2), "@m[new]: 2\n@m[a]: 4\n"},
		{"delta: a count that went down was reset", view{mode: watchDelta}, keyed("a", 10), keyed("a", 3), "@m[a]: 3\n"},
		{"delta of a count without keys", view{mode: watchDelta}, count(7), count(10), "@m: 3\n"},
		{"delta of nothing new is 0", view{mode: watchDelta}, count(7), count(7), "@m: 0\n"},
		{"delta of a sum is signed", view{mode: watchDelta}, sum(10), sum(4), "@m: -6\n"},
		{"delta, top 1", view{mode: watchDelta, top: 1}, keyed("a", 1, "b", 1), keyed("a", 100, "b", 50), "@m[a]: 99\n"},
		{"rate per second", view{mode: watchRate, secs: 2}, keyed("a", 1, "b", 1), keyed("a", 5, "b", 4), "@m[b]: 1.5\n@m[a]: 2\n"},
		{"rate over half a second", view{mode: watchRate, secs: 0.5}, count(0), count(3), "@m: 6\n"},
		{"rate of a third", view{mode: watchRate, secs: 3}, count(0), count(1), "@m: 0.33\n"},
		{"rate, top 1", view{mode: watchRate, secs: 1, top: 1}, keyed("a", 0, "b", 0), keyed("a", 3, "b", 9), "@m[b]: 9\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := text(tc.view.show(tc.prev, tc.cur)); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// TestWatchHist: a histogram's buckets change one by one, matched by
// their bounds; the empty buckets at its ends are cut, as hist() does.
func TestWatchHist(t *testing.T) {
	h := func(counts ...uint64) *output.Value { v := hist(counts...); return &v }
	withKeys := func(entries ...any) *output.Value {
		v := &output.Value{Kind: output.Map}
		for i := 0; i < len(entries); i += 2 {
			v.Entries = append(v.Entries, output.Entry{Key: output.StringValue(entries[i].(string)), Value: *entries[i+1].(*output.Value)})
		}
		return v
	}
	for _, tc := range []struct {
		name      string
		view      view
		prev, cur *output.Value
		want      []uint64 // the counts shown, from the first bucket shown
		first     int64    // its lower bound
	}{
		{"per-bucket delta", view{mode: watchDelta}, h(1, 0, 2), h(3, 0, 2, 5), []uint64{2, 0, 0, 5}, 1},
		{"leading empty buckets cut", view{mode: watchDelta}, h(4, 1), h(4, 3, 1), []uint64{2, 1}, 2},
		{"a bucket that went down was reset", view{mode: watchDelta}, h(9), h(2), []uint64{2}, 1},
		{"rate rounds each bucket", view{mode: watchRate, secs: 2}, h(0, 0), h(3, 8), []uint64{2, 4}, 1},
		{"nothing new: an empty histogram", view{mode: watchDelta}, h(1, 2), h(1, 2), nil, 0},
		{"values", view{}, h(1, 2), h(5, 2), []uint64{5, 2}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.view.show(tc.prev, tc.cur)
			var counts []uint64
			for _, r := range got.Rows {
				counts = append(counts, r.Count)
			}
			if !slices.Equal(counts, tc.want) || len(got.Rows) > 0 && got.Rows[0].Lo != tc.first {
				t.Errorf("got %v from %d, want %v from %d:\n%s", counts, firstLo(got), tc.want, tc.first, text(got))
			}
		})
	}
	// With keys: the entries whose histogram did not change are left out,
	// the others sorted by their counts.
	prev := withKeys("a", h(1), "b", h(1), "c", h(1))
	cur := withKeys("a", h(1, 3), "b", h(1), "c", h(2))
	got := text(view{mode: watchDelta}.show(prev, cur))
	want := "@m[c]:\n[1, 2)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n\n" +
		"@m[a]:\n[2, 4)                 3 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func firstLo(v *output.Value) int64 {
	if len(v.Rows) == 0 {
		return 0
	}
	return v.Rows[0].Lo
}

// TestParseWatch: .watch's arguments in any order after the first map,
// and the errors, which come before anything is drawn.
func TestParseWatch(t *testing.T) {
	for _, tc := range []struct {
		args  string
		maps  string
		every time.Duration
		view  view
		err   string
	}{
		{args: "@m", maps: "@m", every: time.Second, view: view{secs: 1}},
		{args: "@m 500ms", maps: "@m", every: 500 * time.Millisecond, view: view{secs: 0.5}},
		{args: "@a @b 2s", maps: "@a @b", every: 2 * time.Second, view: view{secs: 2}},
		{args: "@m 1s rate", maps: "@m", every: time.Second, view: view{mode: watchRate, secs: 1}},
		{args: "@m delta top 10 3", maps: "@m", every: 3 * time.Second, view: view{mode: watchDelta, top: 10, secs: 3}},
		{args: "", err: "usage: .watch @map... [interval] [delta|rate] [top N]"},
		{args: "1s", err: "usage: .watch"},
		{args: "nothing", err: "usage: .watch"},
		{args: "@m soon", err: `bad interval "soon"`},
		{args: "@m 1s 2s", err: `"2s": the interval is 1s already`},
		{args: "@m delta rate", err: "delta and rate: choose one"},
		{args: "@m top", err: "top needs a number"},
		{args: "@m top 0", err: `bad top "0"`},
	} {
		w, err := parseWatch(strings.Fields(tc.args))
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf(".watch %s: error %v, want %q", tc.args, err, tc.err)
			}
		case err != nil:
			t.Errorf(".watch %s: %v", tc.args, err)
		case strings.Join(w.maps, " ") != tc.maps || w.every != tc.every || w.view != tc.view:
			t.Errorf(".watch %s: %v %v %+v, want %v %v %+v", tc.args, w.maps, w.every, w.view, tc.maps, tc.every, tc.view)
		}
	}
}

// TestWatchCompletions: .watch completes maps, and after the first map
// delta, rate and top as well.
func TestWatchCompletions(t *testing.T) {
	maps := []string{"@a", "@bytes"}
	for _, tc := range []struct {
		args, head string
		want       []string
	}{
		{"", "", []string{"@a", "@bytes"}},
		{"@b", "", []string{"@bytes"}},
		{"@a @", "@a ", []string{"@a", "@bytes"}},
		{"@a 1s r", "@a 1s ", []string{"rate"}},
		{"@a ", "@a ", []string{"@a", "@bytes", "delta", "rate", "top"}},
		{"r", "", nil},
	} {
		head, got := watchCompletions(maps, tc.args)
		if head != tc.head || !slices.Equal(got, tc.want) {
			t.Errorf("%q: %q %q, want %q %q", tc.args, head, got, tc.head, tc.want)
		}
	}
}
