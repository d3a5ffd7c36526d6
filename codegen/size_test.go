package codegen_test

import (
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/testenv"
	"github.com/hawktrace/hawk/lang"
)

// TestScratchLimits: a map key or value larger than the per-CPU buffer
// it is built in is an error at the map; a probe whose values need more
// regions of scratch memory than hawk gives one is an error at the probe.
func TestScratchLimits(t *testing.T) {
	big := strings.Repeat("a", 100000)
	for _, tc := range []struct{ text, want string }{
		{`BEGIN { @["` + big + `"] = 1; }`,
			`-e:1:9: error: map key of 100001 bytes is larger than the kernel's 32768`},
		{`BEGIN { $a = 1; @k[1, "` + big + `"] = count(); }`,
			`-e:1:17: error: map key of 100016 bytes is larger than the kernel's 32768`},
		{`config = { max_strlen = 40000 } BEGIN { @v = str(0); }`,
			`-e:1:41: error: map value of 40000 bytes is larger than the kernel's 32768`},
		// Keys and values that fit separately but not together take two
		// regions of scratch memory; nine regions are too many.
		{`config = { max_strlen = 20000 } BEGIN { @x[str(0)] = str(1); }`, ""},
		{`config = { max_strlen = 30000 } BEGIN { $a = str(0); $b = str(0); $c = str(0); $d = str(0); $e = str(0); $f = str(0); $g = str(0); $h = str(0); $i = str(0); }`,
			`-e:1:33: error: this probe needs 292144 bytes of per-CPU scratch memory, more than hawk's 262144`},
		{`BEGIN { @["` + big[:32767] + `"] = 1; }`, ""},
	} {
		_, err := generate(testenv.Env{}, "-e", tc.text, lang.Config{})
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%.60s: %v", tc.text, err)
		case tc.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.want)):
			t.Errorf("%.60s: got %.300v, want %s", tc.text, err, tc.want)
		}
	}
}
