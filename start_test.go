package hawk_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cilium/ebpf"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/internal/testenv"
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime"
)

// compile compiles a script for the tests, failing t on an error.
func compile(t testing.TB, text string) *hawk.Script {
	t.Helper()
	s, err := hawk.Compile(lang.NewSource("t.bt", text), hawk.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// quiet are runtime options that keep the tests' stderr clean.
var quiet = runtime.Options{Stderr: io.Discard}

// valuesScript sets a map of every kind in BEGIN; the run lasts until
// stopped (the interval probe never fires in time).
const valuesScript = `BEGIN {
	@int = -5; @uint = (uint64)7; @str["a"] = "x"; @str["b"] = "y";
	@tuple[1, "k"] = (2, "v"); @rec = (a=1, b="z");
	@hist = hist(3); @hist = hist(3); @hist = hist(100);
	@lhist = lhist(5, 0, 10, 2);
	@stats = stats(10); @stats = stats(20); @avg = avg(4); @avg = avg(7);
	@count["x"] = count(); @count["x"] = count(); @count["y"] = count();
	@sum = sum(-3); @min = min(5); @min = min(2); @max = max(9);
	@ptr = (int8 *)0x10; @bool = true; @arr = (uint8[2])(uint16)0x0102;
	@ts = tseries(5, 1s, 3);
}
interval:s:100 { exit(); }
`

// wantValues is what valuesScript's maps read as.
var wantValues = map[string]any{
	"@int":   int64(-5),
	"@uint":  uint64(7),
	"@str":   hawk.Map{{Key: "a", Value: "x"}, {Key: "b", Value: "y"}},
	"@tuple": hawk.Map{{Key: hawk.Tuple{int64(1), "k"}, Value: hawk.Tuple{int64(2), "v"}}},
	"@rec":   hawk.Record{{Name: "a", Value: int64(1)}, {Name: "b", Value: "z"}},
	"@hist": hawk.Hist{Buckets: []hawk.Bucket{
		{Lo: 2, Hi: 4, HasLo: true, HasHi: true, Count: 2, Label: "[2, 4)"},
		{Lo: 4, Hi: 8, HasLo: true, HasHi: true, Count: 0, Label: "[4, 8)"},
		{Lo: 8, Hi: 16, HasLo: true, HasHi: true, Count: 0, Label: "[8, 16)"},
		{Lo: 16, Hi: 32, HasLo: true, HasHi: true, Count: 0, Label: "[16, 32)"},
		{Lo: 32, Hi: 64, HasLo: true, HasHi: true, Count: 0, Label: "[32, 64)"},
		{Lo: 64, Hi: 128, HasLo: true, HasHi: true, Count: 1, Label: "[64, 128)"},
	}},
	"@lhist": hawk.Hist{Buckets: []hawk.Bucket{
		{Lo: 4, Hi: 6, HasLo: true, HasHi: true, Count: 1, Label: "[4, 6)"},
	}},
	"@stats": hawk.Stats{Count: 2, Sum: 30, Avg: 15},
	"@avg":   int64(5),
	"@count": hawk.Map{{Key: "y", Value: uint64(1)}, {Key: "x", Value: uint64(2)}},
	"@sum":   int64(-3),
	"@min":   int64(2),
	"@max":   int64(9),
	"@ptr":   hawk.Symbol{Text: "0x10", Value: 16},
	"@bool":  true,
	"@arr":   hawk.Array{uint64(2), uint64(1)},
	"@ts":    nil, // checked by checkValues: its points' times vary
}

// checkValues compares every map of valuesScript with wantValues.
func checkValues(t *testing.T, r *hawk.Running) {
	t.Helper()
	for name, want := range wantValues {
		got, err := r.Map(name)
		if err != nil {
			t.Fatalf("Map(%s): %v", name, err)
		}
		if name == "@ts" {
			// One interval of a second holds the 5; those before it, if
			// any, are missing.
			s, _ := got.(hawk.Series)
			if len(s) == 0 || s[len(s)-1].Value != int64(5) || s[len(s)-1].Missing || s[len(s)-1].Start.UnixNano()%1e9 != 0 ||
				time.Since(s[len(s)-1].Start) > time.Minute {
				t.Errorf("Map(@ts) = %#v, want a series ending with 5", got)
			}
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Map(%s) = %#v, want %#v", name, got, want)
		}
	}
	if len(r.Maps()) != len(wantValues) {
		t.Errorf("Maps() = %v, want the %d maps of the script", r.Maps(), len(wantValues))
	}
}

// TestStartValues: a running script's maps read as Go values, of every
// kind, while it runs and after it ended; Stop unloads everything.
func TestStartValues(t *testing.T) {
	kerneltest.Require(t)
	r, err := hawk.Start(context.Background(), compile(t, valuesScript), hawk.StartOptions{Runtime: quiet})
	if err != nil {
		t.Fatal(err)
	}
	ids := r.Session().ProgramIDs()
	if len(ids) != 2 || r.Collection() == nil || len(r.Collection().Programs) != 2 {
		t.Errorf("programs %v, collection %v: want the 2 programs", ids, r.Collection())
	}
	var mapIDs []ebpf.MapID
	for _, m := range r.Collection().Maps {
		if info, err := m.Info(); err == nil {
			if id, ok := info.ID(); ok {
				mapIDs = append(mapIDs, id)
			}
		}
	}
	checkValues(t, r)
	if _, err := r.Map("@nope"); err == nil {
		t.Error("Map of a map the script does not have: no error")
	}
	if code, err := r.Stop(); code != 0 || err != nil {
		t.Fatalf("Stop: %d, %v", code, err)
	}
	kerneltest.AssertUnloaded(t, ids)
	assertMapsGone(t, mapIDs)
	checkValues(t, r) // the values after END
	if code, err := r.Stop(); code != 0 || err != nil {
		t.Fatalf("a second Stop: %d, %v", code, err)
	}
}

// assertMapsGone fails t unless the maps with these ids leave the kernel
// within a few seconds (it frees them after their programs).
func assertMapsGone(t *testing.T, ids []ebpf.MapID) {
	t.Helper()
	if len(ids) == 0 {
		t.Fatal("no map ids to check")
	}
	kerneltest.AssertMapsUnloaded(t, ids)
}

// TestStartEvents: what a script outputs arrives as events, in order,
// on the channel, which is closed at the end; exit() ends the run with
// its code.
func TestStartEvents(t *testing.T) {
	kerneltest.Require(t)
	script := compile(t, `BEGIN {
	printf("hi %d\n", 42); print((1, "two")); @m[3] = 4; print(@m);
	warnf("careful %d", 5); time("T\n"); exit(3);
}
END { @e = 1; }
`)
	ch := make(chan hawk.Event)
	var seen []hawk.Event
	var mu sync.Mutex
	r, err := hawk.Start(context.Background(), script, hawk.StartOptions{Runtime: quiet, Events: ch,
		OnEvent: func(e hawk.Event) { mu.Lock(); seen = append(seen, e); mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for e := range ch {
		got = append(got, describe(e))
	}
	code, err := r.Wait()
	if code != 3 || err != nil {
		t.Fatalf("Wait: %d, %v; want 3", code, err)
	}
	want := []string{
		`attached 2`,
		`printf "hi 42\n"`,
		`print hawk.Tuple{1, "two"}`,
		`map @m hawk.Map{hawk.Entry{Key:3, Value:4}} false`,
		`diagnostic t.bt:3:2: warning: careful 5`,
		`message 0 "T\n"`,
		`end`,
		`map @e 1 true`,
		`map @m hawk.Map{hawk.Entry{Key:3, Value:4}} true`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != len(got) {
		t.Errorf("OnEvent saw %d events, the channel %d", len(seen), len(got))
	}
	if v, err := r.Map("@e"); v != int64(1) || err != nil {
		t.Errorf("Map(@e) after the run: %#v, %v", v, err)
	}
}

// describe writes an event as one line, for comparisons.
func describe(e hawk.Event) string {
	val := func(v any) string { return fmt.Sprintf("%#v", v) }
	switch e := e.(type) {
	case *hawk.PrintfEvent:
		return fmt.Sprintf("printf %q", e.Text)
	case *hawk.PrintEvent:
		return "print " + val(e.Value)
	case *hawk.MapEvent:
		return "map " + e.Name + " " + val(e.Value) + fmt.Sprintf(" %v", e.AtExit)
	case *hawk.DiagnosticEvent:
		return "diagnostic " + e.String()
	case *hawk.MessageEvent:
		return fmt.Sprintf("message %d %q", e.Kind, e.Text)
	case *hawk.AttachedEvent:
		return fmt.Sprintf("attached %d", e.Probes)
	case *hawk.EndEvent:
		return "end"
	case *hawk.LostEvent:
		return "lost"
	}
	return "?"
}

// TestStartConcurrent: several goroutines read the maps of a script that
// counts every syscall while it runs, one reads them from its event
// callback, and another stops it: no read fails but with the run's end,
// and the counts only grow.
func TestStartConcurrent(t *testing.T) {
	kerneltest.Require(t)
	script := compile(t, `tracepoint:raw_syscalls:sys_enter { @[tid] = count(); @h = hist(nsecs % 1000); @n = count(); }
interval:ms:50 { printf("tick\n"); }
`)
	var fromCallback int
	var r *hawk.Running
	ready := make(chan struct{})
	r, err := hawk.Start(context.Background(), script, hawk.StartOptions{Runtime: quiet,
		OnEvent: func(e hawk.Event) {
			<-ready
			if _, ok := e.(*hawk.PrintfEvent); ok {
				if _, err := r.Map("@n"); err != nil {
					t.Errorf("Map from OnEvent: %v", err)
				}
				fromCallback++
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	close(ready)
	ids := r.Session().ProgramIDs()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var last uint64
			for {
				select {
				case <-r.Done():
					return
				default:
				}
				v, err := r.Map("@n")
				if err != nil {
					t.Errorf("Map(@n): %v", err)
					return
				}
				n, _ := v.(uint64)
				if n < last {
					t.Errorf("@n went from %d to %d", last, n)
				}
				last = n
				if _, err := r.Map("@"); err != nil {
					t.Errorf("Map(@): %v", err)
					return
				}
				if _, err := r.Map("@h"); err != nil {
					t.Errorf("Map(@h): %v", err)
					return
				}
			}
		}()
	}
	time.Sleep(400 * time.Millisecond)
	go r.Stop()
	if _, err := r.Wait(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	kerneltest.AssertUnloaded(t, ids)
	if fromCallback == 0 {
		t.Error("the callback saw no printf")
	}
	v, err := r.Map("@")
	if m, ok := v.(hawk.Map); err != nil || !ok || len(m) == 0 {
		t.Errorf("Map(@) after the run: %#v, %v", v, err)
	}
	if h, ok := func() (hawk.Hist, bool) { v, _ := r.Map("@h"); h, ok := v.(hawk.Hist); return h, ok }(); !ok || h.Total() == 0 {
		t.Errorf("@h after the run: %#v", h)
	}
}

// TestStartContext: the end of Start's context ends the run as Stop does.
func TestStartContext(t *testing.T) {
	kerneltest.Require(t)
	ctx, cancel := context.WithCancel(context.Background())
	r, err := hawk.Start(ctx, compile(t, "BEGIN { @b = 1; } interval:s:100 { exit(); } END { @e = 2; }"), hawk.StartOptions{Runtime: quiet})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case <-r.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the run did not end with its context")
	}
	if v, _ := r.Map("@e"); v != int64(2) {
		t.Errorf("@e = %#v: END did not run", v)
	}
}

// TestStartErrors: a script without code is refused, and the events
// channel is closed; a load the kernel refuses is Start's error.
func TestStartErrors(t *testing.T) {
	checked, err := hawk.Check(lang.NewSource("c.bt", "BEGIN { @x = 1; }"), hawk.Config{Env: testenv.Env{}})
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan hawk.Event, 1)
	if _, err := hawk.Start(context.Background(), checked, hawk.StartOptions{Events: ch}); !errors.Is(err, hawk.ErrNotCompiled) {
		t.Fatalf("Start of a checked script: %v", err)
	}
	if _, open := <-ch; open {
		t.Error("the events channel is still open")
	}
	kerneltest.Require(t)
	script := compile(t, "BEGIN { @x = 1; }")
	script.Out.Spec.Programs[script.Out.Manifest.Programs[0].Name].Instructions = nil
	ch = make(chan hawk.Event, 1)
	_, err = hawk.Start(context.Background(), script, hawk.StartOptions{Runtime: quiet, Events: ch})
	if err == nil {
		t.Fatal("Start of a program the kernel refuses: no error")
	}
	if _, open := <-ch; open {
		t.Error("the events channel is still open after a failed load")
	}
}

// TestStartAttachError: a probe that cannot attach (its binary was
// removed since the script was compiled) is Start's error, with nothing
// left loaded; what BEGIN printed still arrives on the channel, which a
// caller may read only once Start has returned.
func TestStartAttachError(t *testing.T) {
	kerneltest.Require(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "prog")
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	script := compile(t, `BEGIN { printf("begin\n"); } uprobe:`+bin+`:main.main { @ = count(); }`)
	os.Remove(bin)
	ch := make(chan hawk.Event) // unbuffered, read below
	r, err := hawk.Start(context.Background(), script, hawk.StartOptions{Runtime: quiet, Events: ch})
	if err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Fatalf("Start: %v, %v; want the attach error", r, err)
	}
	var got []string
	for e := range ch {
		got = append(got, describe(e))
	}
	if strings.Join(got, "\n") != `printf "begin\n"` {
		t.Errorf("events %q, want BEGIN's printf", got)
	}
}

// TestStartLostEvents: with a one-page ring buffer most printf events
// find no room; LostEvents count them, so that every event is either
// delivered or counted lost.
func TestStartLostEvents(t *testing.T) {
	kerneltest.Require(t)
	script := compile(t, `config = { perf_rb_pages = 1 } BEGIN { for ($i : 0..1000) { printf("%d\n", $i); } exit(3); }`)
	var printed, lost uint64
	r, err := hawk.Start(context.Background(), script, hawk.StartOptions{Runtime: quiet, OnEvent: func(e hawk.Event) {
		switch e := e.(type) {
		case *hawk.PrintfEvent:
			printed++
		case *hawk.LostEvent:
			lost += e.Count
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if code, err := r.Wait(); code != 3 || err != nil {
		t.Fatalf("Wait: %d, %v; want 3", code, err)
	}
	if printed == 0 || lost == 0 || printed+lost < 1001 {
		t.Errorf("%d printf events and %d lost, want both and at least 1001 in all", printed, lost)
	}
}
