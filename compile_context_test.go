package hawk_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/internal/testenv"
	"github.com/hawktrace/hawk/lang"
)

// TestCompileContext: a compile given up on returns at once, whatever
// stage it is in; one let finish compiles as Compile does.
func TestCompileContext(t *testing.T) {
	var b strings.Builder
	b.WriteString("BEGIN {\n")
	for i := 0; i < 100000; i++ {
		fmt.Fprintf(&b, "  @a[%d] = %d;\n", i%7, i)
	}
	b.WriteString("}\n")
	src := lang.NewSource("big.bt", b.String())
	cfg := hawk.Config{Env: testenv.Env{}}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := hawk.CompileContext(ctx, src, cfg)
		done <- err
	}()
	time.Sleep(50 * time.Millisecond) // parsing or checking
	begin := time.Now()
	cancel()
	err := <-done
	if took := time.Since(begin); !errors.Is(err, context.Canceled) || took > 20*time.Millisecond {
		t.Errorf("CompileContext returned %v %v after the cancel", err, took)
	}
	if _, err := hawk.CompileContext(ctx, src, cfg); !errors.Is(err, context.Canceled) {
		t.Errorf("with ctx done: %v", err)
	}
	script, err := hawk.CompileContext(context.Background(), lang.NewSource("s.bt", `BEGIN { exit(); }`), cfg)
	if err != nil || script.Out == nil {
		t.Errorf("compiling to the end: %v", err)
	}
}
