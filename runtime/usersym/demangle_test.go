package usersym

import (
	"github.com/hawktrace/hawk/internal/kerneltest"
	"os/exec"
	"strings"
	"testing"
)

// The C++ expectations are what GNU c++filt 2.40 (binutils, Debian) prints,
// which matches abi::__cxa_demangle; when c++filt is installed the test
// also asks it. Rust expectations follow Rust's own backtraces: no hash.
var demangleTests = []struct {
	in, want string
	cxx      bool // c++filt must agree
}{
	{"_ZN3foo3barEi", "foo::bar(int)", true},
	{"_ZNSt6vectorIiSaIiEE9push_backERKi", "std::vector<int, std::allocator<int> >::push_back(int const&)", true},
	{"_ZNKSt8functionIFvvEEclEv", "std::function<void ()>::operator()() const", true},
	{"_Z3fooIiEvT_", "void foo<int>(int)", true},
	{"_ZN3FooD0Ev", "Foo::~Foo()", true},
	{"_Z1fv.cold", "f() [clone .cold]", true},
	{"_ZThn8_N3Foo3bazEv", "non-virtual thunk to Foo::baz()", true},
	{"_ZTV3Foo", "vtable for Foo", true},
	{"main", "main", true},
	{"github.com/hawktrace/hawk/runtime/usersym.Demangle", "github.com/hawktrace/hawk/runtime/usersym.Demangle", true},
	{"_Zbogus", "_Zbogus", true},
	// Legacy Rust mangling; c++filt prints "core::fmt::write::h0123456789abcdef".
	{"_ZN4core3fmt5write17h0123456789abcdefE", "core::fmt::write", false},
	{"_ZN4core3ptr85drop_in_place$LT$std..rt..lang_start$LT$$LP$$RP$$GT$..$u7b$$u7b$closure$u7d$$u7d$$GT$17h0123456789abcdefE",
		"core::ptr::drop_in_place<std::rt::lang_start<()>::{{closure}}>", false},
	// Rust v0 mangling; c++filt prints "mycrate[3c1c0]::foo".
	{"_RNvCs1234_7mycrate3foo", "mycrate::foo", false},
}

func TestDemangle(t *testing.T) {
	for _, tt := range demangleTests {
		if got := Demangle(tt.in); got != tt.want {
			t.Errorf("Demangle(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDemangleAgreesWithCxxfilt(t *testing.T) {
	cxxfilt, err := exec.LookPath("c++filt")
	if err != nil {
		kerneltest.Missing(t, "c++filt is not installed (binutils)")
	}
	var in []string
	for _, tt := range demangleTests {
		if tt.cxx {
			in = append(in, tt.in)
		}
	}
	cmd := exec.Command(cxxfilt)
	cmd.Stdin = strings.NewReader(strings.Join(in, "\n") + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(in) {
		t.Fatalf("c++filt printed %d lines for %d names", len(lines), len(in))
	}
	for i, name := range in {
		if got := Demangle(name); got != lines[i] {
			t.Errorf("Demangle(%q) = %q, c++filt prints %q", name, got, lines[i])
		}
	}
}
