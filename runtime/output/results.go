package output

import (
	"strconv"
	"strings"
	"time"
)

// benchNameWidth is the least width of the Benchmark column, as in
// bpftrace.
const benchNameWidth = 40

// BenchResult writes one row of bpftrace's benchmark table, headed by its
// title and rule before the first:
//
//	Benchmark                                Time(ns)       Iterations
//	------------------------------------------------------------------
//	count                                    12             1000000
func (t *Text) BenchResult(names []string, index int, average time.Duration, iters uint64) {
	width := benchNameWidth
	for _, n := range names {
		width = max(width, len(n))
	}
	const timeWidth = 15
	if index == 0 {
		t.out.w.WriteString(benchPad("Benchmark", width+1) + benchPad("Time(ns)", timeWidth) + "Iterations\n")
		t.out.w.WriteString(strings.Repeat("-", width+1+timeWidth+len("Iterations")) + "\n")
	}
	t.out.w.WriteString(benchPad(names[index], width+1) + benchPad(strconv.FormatInt(average.Nanoseconds(), 10), timeWidth) +
		strconv.FormatUint(iters, 10) + "\n")
	t.out.done(true)
}

// TestResult writes one test's lines of bpftrace's test report: a RUN
// line (after the count of tests, before the first), the test's output
// when it failed, OK or FAILED with its time, and after the last the
// summary.
func (t *Text) TestResult(names []string, index int, duration time.Duration, passed []bool, output string) {
	const green, red, reset = "\033[32m", "\033[31m", "\033[0m"
	w := t.out.w
	if index == 0 {
		w.WriteString(green + "[==========]" + reset + " Running " + strconv.Itoa(len(names)) + " " + testsWord(len(names), "test", "tests") + ".\n")
	}
	w.WriteString(green + "[ RUN      ]" + reset + " " + names[index] + "\n")
	if passed[index] {
		w.WriteString(green + "[       OK ]" + reset + " " + names[index])
	} else {
		for _, line := range strings.Split(output, "\n") {
			if line != "" {
				w.WriteString(line + "\n")
			}
		}
		w.WriteString(red + "[  FAILED  ]" + reset + " " + names[index])
	}
	w.WriteString(" (" + testDuration(duration) + ")\n")
	if index == len(names)-1 {
		var failed []string
		for i, ok := range passed {
			if !ok {
				failed = append(failed, names[i])
			}
		}
		ok := len(passed) - len(failed)
		w.WriteString(green + "[==========]" + reset + " " + strconv.Itoa(len(names)) + " " + testsWord(len(names), "test", "tests") + " ran.\n")
		w.WriteString(green + "[  PASSED  ]" + reset + " " + strconv.Itoa(ok) + " " + testsWord(ok, "test", "tests") + ".\n")
		if len(failed) > 0 {
			w.WriteString(red + "[  FAILED  ]" + reset + " " + strconv.Itoa(len(failed)) + " " + testsWord(len(failed), "test", "tests") + ", listed below:\n")
			for _, n := range failed {
				w.WriteString(red + "[  FAILED  ]" + reset + " " + n + "\n")
			}
		}
	}
	t.out.done(true)
}

// BenchResult writes {"type": "benchmark_result", "data": {"NAME":
// {"average": NS, "iters": N}}}.
func (j *JSON) BenchResult(names []string, index int, average time.Duration, iters uint64) {
	j.start("benchmark_result")
	j.b = append(j.b, '{')
	j.b = appendJSONString(j.b, names[index])
	j.b = append(j.b, `: {"average": `...)
	j.b = strconv.AppendInt(j.b, average.Nanoseconds(), 10)
	j.b = append(j.b, `, "iters": `...)
	j.b = strconv.AppendUint(j.b, iters, 10)
	j.b = append(j.b, "}}"...)
	j.line()
}

// TestResult writes {"type": "test_result", "data": {"NAME": {"duration":
// NS, "passed": BOOL, "output": "..."}}}.
func (j *JSON) TestResult(names []string, index int, duration time.Duration, passed []bool, output string) {
	j.start("test_result")
	j.b = append(j.b, '{')
	j.b = appendJSONString(j.b, names[index])
	j.b = append(j.b, `: {"duration": `...)
	j.b = strconv.AppendInt(j.b, duration.Nanoseconds(), 10)
	j.b = append(j.b, `, "passed": `...)
	j.b = strconv.AppendBool(j.b, passed[index])
	j.b = append(j.b, `, "output": `...)
	j.b = appendJSONString(j.b, output)
	j.b = append(j.b, "}}"...)
	j.line()
}

// benchPad pads s with spaces to width, as C++'s std::left << setw.
func benchPad(s string, width int) string {
	if len(s) >= width {
		return s
	}
	return s + strings.Repeat(" ", width-len(s))
}

// testsWord is one or many as n is 1 or not.
func testsWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// testDuration is a duration as bpftrace's test report shows it: in the
// largest unit of ns, us, ms and s that leaves at least 1.
func testDuration(d time.Duration) string {
	switch {
	case d >= time.Second:
		return strconv.FormatInt(int64(d/time.Second), 10) + " s"
	case d >= time.Millisecond:
		return strconv.FormatInt(int64(d/time.Millisecond), 10) + " ms"
	case d >= time.Microsecond:
		return strconv.FormatInt(int64(d/time.Microsecond), 10) + " us"
	}
	return strconv.FormatInt(int64(d), 10) + " ns"
}
