package runtime

import (
	"testing"

	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/output"
)

// TestKeyIs: a decoded key matches the constants the REPL folded from
// `@m[KEY]`, one or a tuple, by kind.
func TestKeyIs(t *testing.T) {
	str := func(s string) lang.Const { return lang.Const{Str: s, IsStr: true} }
	num := func(n int64) lang.Const { return lang.Const{Int: uint64(n)} }
	tests := []struct {
		key  output.Value
		k    []lang.Const
		want bool
	}{
		{output.StringValue("bash"), []lang.Const{str("bash")}, true},
		{output.StringValue("bash"), []lang.Const{str("sh")}, false},
		{output.StringValue("1"), []lang.Const{num(1)}, false},
		{output.IntValue(-1), []lang.Const{num(-1)}, true},
		{output.UintValue(7), []lang.Const{num(7)}, true},
		{output.SymbolValue("BPF_MAP_TYPE_HASH", 1), []lang.Const{num(1)}, true},
		{output.Value{Kind: output.Tuple, Elems: []output.Value{output.StringValue("x"), output.IntValue(2)}}, []lang.Const{str("x"), num(2)}, true},
		{output.Value{Kind: output.Tuple, Elems: []output.Value{output.StringValue("x"), output.IntValue(2)}}, []lang.Const{str("x"), num(3)}, false},
		{output.Value{Kind: output.Tuple, Elems: []output.Value{output.StringValue("x")}}, []lang.Const{str("x"), num(2)}, false},
	}
	for _, tt := range tests {
		if got := keyIs(tt.key, tt.k); got != tt.want {
			t.Errorf("keyIs(%+v, %+v) = %v, want %v", tt.key, tt.k, got, tt.want)
		}
	}
}
