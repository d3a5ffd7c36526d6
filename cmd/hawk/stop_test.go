package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// slowVerifyScript writes a script whose one program the verifier takes
// seconds on (the sum's every bit is a branch; the last comparison makes
// the verifier keep each sum apart, so it explores every path) and
// returns its path.
func slowVerifyScript(t *testing.T) string {
	var b strings.Builder
	b.WriteString("BEGIN {\n  $i = 0;\n")
	for j := 0; j < 17; j++ {
		fmt.Fprintf(&b, "  if (nsecs & 1) { $i += %d; }\n", 1<<j)
	}
	b.WriteString("  if ($i == 77) { printf(\"x\\n\"); }\n  exit();\n}\n")
	path := filepath.Join(t.TempDir(), "slow-verify.bt")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
