package usersym

import (
	"strings"

	"github.com/ianlancetaylor/demangle"
)

// Demangle returns the demangled form of a C++ (Itanium) or Rust name, or
// the name unchanged.
//
// C++ names come out as abi::__cxa_demangle and c++filt print them, which
// is what bcc and bpftrace show: full parameter lists, GNU spacing
// ("std::vector<int, std::allocator<int> >::push_back(int const&)") and
// clone suffixes ("f() [clone .cold]"). Rust names come out as Rust's own
// backtraces print them, without the legacy "::h<hash>" suffix or v0 crate
// disambiguators; c++filt keeps those.
func Demangle(name string) string {
	if !strings.HasPrefix(name, "_Z") && !strings.HasPrefix(name, "_R") {
		return name
	}
	// 2^16 characters bounds the work a hostile name can cause; a longer
	// result leaves the name mangled.
	return demangle.Filter(name, demangle.MaxLength(16))
}
