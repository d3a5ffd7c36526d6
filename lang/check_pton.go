package lang

import "net/netip"

// checkPton checks pton("addr"): an IPv4 or IPv6 address in text, turned
// at compile time into its bytes in network order, a char[4] or char[16]
// as in bpftrace.
func (c *checker) checkPton(call *Call) *Type {
	if c.expr(call.Args[0]).IsInvalid() {
		return Invalid
	}
	lit, ok := call.Args[0].(*StrLit)
	if !ok {
		c.errorf(call.Args[0], "pton takes an address written as a string literal")
		return Invalid
	}
	addr, err := netip.ParseAddr(lit.Value)
	if err != nil || addr.Zone() != "" {
		c.errorf(call.Args[0], "pton: %q is not an IPv4 or IPv6 address", lit.Value)
		return Invalid
	}
	b := addr.AsSlice()
	c.info.Addresses[call] = b
	return ArrayType(Int8, len(b))
}
