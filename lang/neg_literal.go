package lang

// negLiteralType is the type of a negative literal, -N: the smallest
// signed type that holds it, as bpftrace types it.
func negLiteralType(v int64) *Type {
	switch {
	case v >= -1<<7:
		return Int8
	case v >= -1<<15:
		return Int16
	case v >= -1<<31:
		return Int32
	}
	return Int64
}
