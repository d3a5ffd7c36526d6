package output

// InlineText is v as bpftrace writes it inline, in a map's key or a
// printf's %s: integers in decimal, strings and symbols as they are,
// tuples in parentheses, records as { .name = value }.
func InlineText(v Value) string { return string(appendText(nil, v)) }
