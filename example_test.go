package hawk_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/lang"
)

// TestMain skips the examples, which load their scripts into the kernel,
// where kernel tests skip: without root, unless HAWK_TEST_KERNEL=1 makes
// them run (and fail). An example cannot skip itself.
func TestMain(m *testing.M) {
	flag.Parse()
	if os.Geteuid() != 0 && !kerneltest.Required() {
		skip := "^Example"
		if f := flag.Lookup("test.skip"); f != nil && f.Value.String() != "" {
			skip = f.Value.String() + "|" + skip
		}
		flag.Set("test.skip", skip)
		fmt.Fprintln(os.Stderr, "hawk: the examples load programs and need root: skipped (set HAWK_TEST_KERNEL=1 to make this a failure)")
	}
	os.Exit(m.Run())
}

// Start runs a script in the background: its printf arrives as an event,
// and its map reads as a Go value once it has ended.
func ExampleStart() {
	script, err := hawk.Compile(lang.NewSource("hello.bt", `BEGIN {
	printf("hello from %s\n", "BEGIN");
	@calls["open"] = 3; @calls["read"] = 10; @calls["close"] = 1;
	exit();
}`), hawk.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := hawk.Start(context.Background(), script, hawk.StartOptions{
		OnEvent: func(e hawk.Event) {
			if p, ok := e.(*hawk.PrintfEvent); ok {
				fmt.Print(p.Text)
			}
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	code, err := r.Wait()
	fmt.Println("exit code", code, err)
	v, _ := r.Map("@calls")
	for _, e := range v.(hawk.Map) { // ascending counts, as hawk prints them
		fmt.Println(e.Key, e.Value)
	}
	// Output:
	// hello from BEGIN
	// exit code 0 <nil>
	// close 1
	// open 3
	// read 10
}

// Map reads a running script's maps at any time: a histogram comes with
// its buckets' bounds, a map with two keys has Tuple keys.
func ExampleRunning_Map() {
	script, err := hawk.Compile(lang.NewSource("sizes.bt", `BEGIN {
	@sizes = hist(5); @sizes = hist(6); @sizes = hist(100);
	@bytes["sshd", 22] = sum(512);
}
interval:s:100 { exit(); }`), hawk.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := hawk.Start(context.Background(), script, hawk.StartOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Stop()
	v, _ := r.Map("@sizes")
	for _, b := range v.(hawk.Hist).Buckets {
		fmt.Printf("%d to %d: %d\n", b.Lo, b.Hi, b.Count)
	}
	v, _ = r.Map("@bytes")
	for _, e := range v.(hawk.Map) {
		key := e.Key.(hawk.Tuple)
		fmt.Printf("comm %v port %v: %v bytes\n", key[0], key[1], e.Value)
	}
	// Output:
	// 4 to 8: 2
	// 8 to 16: 0
	// 16 to 32: 0
	// 32 to 64: 0
	// 64 to 128: 1
	// comm sshd port 22: 512 bytes
}

// Events arrive on a channel, which is closed once the run has ended.
func ExampleStartOptions_events() {
	script, err := hawk.Compile(lang.NewSource("events.bt", `BEGIN {
	printf("one\n"); print((1, "two")); warnf("three"); exit();
}`), hawk.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	events := make(chan hawk.Event)
	if _, err := hawk.Start(context.Background(), script, hawk.StartOptions{Events: events}); err != nil {
		fmt.Println(err)
		return
	}
	for e := range events {
		switch e := e.(type) {
		case *hawk.PrintfEvent:
			fmt.Printf("printf %q\n", e.Text)
		case *hawk.PrintEvent:
			fmt.Printf("print %#v\n", e.Value)
		case *hawk.DiagnosticEvent:
			fmt.Println(e)
		case *hawk.EndEvent:
			fmt.Println("end")
		}
	}
	// Output:
	// printf "one\n"
	// print hawk.Tuple{1, "two"}
	// events.bt:2:38: warning: three
	// end
}
