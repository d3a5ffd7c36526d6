package kernel

import (
	"testing"

	"github.com/cilium/ebpf/btf"
)

// TestCDefinition: definitions print as libbpf's btf_dump prints them.
func TestCDefinition(t *testing.T) {
	u32 := &btf.Int{Name: "unsigned int", Size: 4}
	char := &btf.Int{Name: "char", Size: 1, Encoding: btf.Signed}
	long := &btf.Int{Name: "long int", Size: 8, Encoding: btf.Signed}
	inner := &btf.Union{Size: 8, Members: []btf.Member{{Name: "a", Type: long}, {Name: "p", Type: &btf.Pointer{Target: char}}}}
	s := &btf.Struct{Name: "demo", Size: 32, Members: []btf.Member{
		{Name: "flag", Type: u32, Offset: 0, BitfieldSize: 1},
		{Name: "mode", Type: u32, Offset: 1, BitfieldSize: 3},
		{Name: "c", Type: char, Offset: 32},
		{Type: inner, Offset: 64},
		{Name: "name", Type: &btf.Array{Type: char, Nelems: 4}, Offset: 128},
	}}
	want := "struct demo {\n" +
		"\tunsigned int flag: 1;\n" +
		"\tunsigned int mode: 3;\n" +
		"\tint: 0;\n" + // char would go at bit 8: libbpf marks the int boundary
		"\tchar c;\n" +
		"\tunion {\n\t\tlong int a;\n\t\tchar *p;\n\t};\n" +
		"\tchar name[4];\n" +
		"\tlong: 64;\n" +
		"}"
	if got := CDefinition(s); got != want {
		t.Errorf("struct:\n%s\nwant:\n%s", got, want)
	}

	packed := &btf.Struct{Name: "pk", Size: 5, Members: []btf.Member{{Name: "c", Type: char}, {Name: "n", Type: u32, Offset: 8}}}
	if got, want := CDefinition(packed), "struct pk {\n\tchar c;\n\tunsigned int n;\n} __attribute__((packed))"; got != want {
		t.Errorf("packed:\n%s\nwant:\n%s", got, want)
	}

	e := &btf.Enum{Name: "e", Size: 4, Signed: true, Values: []btf.EnumValue{{Name: "A", Value: 0}, {Name: "B", Value: ^uint64(0)}}}
	if got, want := CDefinition(e), "enum e {\n\tA = 0,\n\tB = -1,\n}"; got != want {
		t.Errorf("enum:\n%s\nwant:\n%s", got, want)
	}
}
