package output

import (
	"strconv"
	"time"
)

// A tseries() map's value is drawn as bpftrace draws it: a header with the
// smallest and largest values, one line per interval with its start time
// (local, hh:mm:ss and the fraction of a second the interval needs), a
// `*` placed between them in a 53-column frame, a `.` on the line of zero
// when zero lies strictly inside the range, and the value; `-` for an
// interval with no value.

// seriesWidth is the width of the frame, its two edges included.
const seriesWidth = 53

// seriesPad is the width of the header's first column, where the smallest
// value is written, left-aligned; the largest ends the frame.
const seriesPad = 21

// appendSeries appends a time series drawn in text, with times in loc; an
// empty one is "<no data>" with no newline, as bpftrace writes it.
func appendSeries(b []byte, pts []SeriesPoint, loc *time.Location) []byte {
	if len(pts) == 0 {
		return append(b, "<no data>"...)
	}
	lo, hi := pts[0].Value, pts[0].Value
	for _, p := range pts {
		if p.Missing {
			continue
		}
		if Compare(p.Value, lo) < 0 {
			lo = p.Value
		}
		if Compare(p.Value, hi) > 0 {
			hi = p.Value
		}
	}
	if Compare(lo, hi) == 0 {
		// Room on both sides of a flat line, where the type allows it.
		lo, hi = step(lo, -1), step(hi, 1)
	}
	// The spacing of the intervals decides the fraction of a second shown.
	spacing := uint64(pts[len(pts)-1].Start-pts[0].Start) / uint64(max(len(pts)-1, 1))
	unit, digits := fractionUnit(spacing)
	timeFmt := "hh:mm:ss"
	if digits > 0 {
		timeFmt += "." + unit
	}
	timeSize := 8
	if digits > 0 {
		timeSize += 1 + digits
	}
	scale := func(b []byte) []byte {
		b = padBytes(b, timeSize+1)
		los, his := appendText(nil, lo), appendText(nil, hi)
		b = append(b, los...)
		b = padBytes(b, seriesPad-len(los))
		b = padBytes(b, seriesWidth-seriesPad-len(his))
		b = append(b, his...)
		return append(b, '\n')
	}
	b = scale(b)
	b = append(b, timeFmt...)
	b = padBytes(b, timeSize+1-len(timeFmt))
	b = append(b, '|')
	b = appendRepeat(b, '_', seriesWidth-2)
	b = append(b, "|\n"...)
	zero := 0
	if distance(lo, IntValue(0)) < 0 && distance(IntValue(0), hi) < 0 {
		zero = int(float32(seriesWidth) * float32(distance(lo, IntValue(0))) / float32(distance(lo, hi)))
	}
	line := make([]byte, seriesWidth)
	for _, p := range pts {
		b = appendClock(b, p.Start, digits, loc)
		b = append(b, ' ')
		for i := range line {
			line[i] = ' '
		}
		line[0], line[seriesWidth-1] = '|', '|'
		if zero > 0 {
			line[zero] = '.'
		}
		if p.Missing {
			b = append(b, line...)
			b = append(b, " -\n"...)
			continue
		}
		at := seriesWidth / 2
		if Compare(lo, hi) != 0 {
			at = int(float32(seriesWidth-1) * float32(distance(lo, p.Value)) / float32(distance(lo, hi)))
		}
		line[max(0, min(seriesWidth-1, at))] = '*'
		b = append(b, line...)
		b = append(b, ' ')
		b = appendText(b, p.Value)
		b = append(b, '\n')
	}
	b = padBytes(b, timeSize+1)
	b = append(b, 'v')
	b = appendRepeat(b, '_', seriesWidth-2)
	b = append(b, "v\n"...)
	return scale(b)
}

// fractionUnit is how an interval of ns nanoseconds shows the fraction of
// a second: not at all from a second up, else in milliseconds,
// microseconds or nanoseconds, with as many digits.
func fractionUnit(ns uint64) (unit string, digits int) {
	switch {
	case ns >= uint64(time.Second):
		return "", 0
	case ns >= uint64(time.Millisecond):
		return "ms", 3
	case ns >= uint64(time.Microsecond):
		return "μs", 6
	}
	return "ns", 9
}

// appendClock appends the local time of ns since the Unix epoch as
// hh:mm:ss and, with digits, that many digits of the second's fraction.
func appendClock(b []byte, ns int64, digits int, loc *time.Location) []byte {
	t := time.Unix(0, ns).In(loc)
	b = t.AppendFormat(b, "15:04:05")
	if digits == 0 {
		return b
	}
	frac := strconv.FormatInt(int64(t.Nanosecond()), 10)
	frac = "000000000"[len(frac):] + frac
	b = append(b, '.')
	return append(b, frac[:digits]...)
}

// appendJSONSeries appends a time series as bpftrace's JSON writer does:
// [{"interval_start": "YYYY-MM-DD hh:mm:ss.nnnnnnnnn", "value": v}, ...]
// in UTC, leaving out the intervals with no value.
func appendJSONSeries(b []byte, pts []SeriesPoint) []byte {
	b = append(b, '[')
	first := true
	for _, p := range pts {
		if p.Missing {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, `{"interval_start":"`...)
		b = time.Unix(0, p.Start).UTC().AppendFormat(b, "2006-01-02 15:04:05.000000000")
		b = append(b, `","value":`...)
		b = appendJSONValue(b, p.Value)
		b = append(b, '}')
	}
	return append(b, ']')
}

// step moves an integer one up or down, unless it is at its type's bound.
func step(v Value, d int) Value {
	switch {
	case v.Kind == Int && d < 0 && v.I > -1<<63:
		v.I--
	case v.Kind == Int && d > 0 && v.I < 1<<63-1:
		v.I++
	case v.Kind == Uint && d < 0 && v.U > 0:
		v.U--
	case v.Kind == Uint && d > 0 && v.U < 1<<64-1:
		v.U++
	}
	return v
}

// distance is a - b as bpftrace's chart computes it, in int64.
func distance(a, b Value) int64 {
	other := b.I
	if b.Kind == Uint {
		other = int64(b.U)
	}
	switch a.Kind {
	case Int:
		return a.I - other
	case Uint:
		if other < 0 {
			return int64(uint64(-other) + a.U)
		}
		if a.U > uint64(other) {
			return int64(a.U - uint64(other))
		}
		return -int64(uint64(other) - a.U)
	}
	return 0
}

func padBytes(b []byte, n int) []byte { return appendRepeat(b, ' ', n) }

func appendRepeat(b []byte, c byte, n int) []byte {
	for ; n > 0; n-- {
		b = append(b, c)
	}
	return b
}
