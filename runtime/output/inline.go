package output

// Inline returns a value as bpftrace writes it inline, in a map's key or
// a printf's %s: integers in decimal, strings as they are, tuples in
// parentheses, records as { .name = value }, stacks as their lines.
func Inline(v Value) string { return string(appendText(nil, v)) }
