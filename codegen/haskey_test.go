package codegen_test

import (
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/runtest"
	"github.com/hawktrace/hawk/internal/testenv"
)

// TestHasKeyHistogramKernel: a histogram map has a key when any of the
// key's buckets has an entry, the first and the last that its hist() or
// lhist() may fill included, and only then.
func TestHasKeyHistogramKernel(t *testing.T) {
	out := compileWith(t, testenv.Env{}, "has_key.bt", `BEGIN {
		@h[1, "a"] = hist(300); @neg[1] = hist(-1); @top[1] = hist(0x7fffffffffffffff); @top5[1] = hist(0x7fffffffffffffff, 5);
		@l[2] = lhist(95, 0, 100, 10); @below[1] = lhist(-3, 0, 100, 10); @above[1] = lhist(1000, 0, 100, 10);
		printf("%d%d %d %d %d%d %d%d %d %d %d\n", has_key(@h, 1, "a"), has_key(@h, 1, "b"), has_key(@neg, 1), has_key(@top, 1),
			has_key(@top5, 1), has_key(@top5, 2), has_key(@l, 2), has_key(@l, 3), has_key(@below, 1), has_key(@above, 1),
			(int64)has_key(@l, 2) + (int64)has_key(@h, 1, "a"));
		clear(@h); clear(@neg); clear(@top); clear(@top5); clear(@l); clear(@below); clear(@above);
		exit();
	}`, nil)
	r := runtest.Start(t, out)
	r.Wait(t)
	line, _, _ := strings.Cut(r.Stdout.String(), "\n")
	if want := "10 1 1 10 10 1 1 2"; line != want {
		t.Errorf("got %q, want %q", line, want)
	}
}
