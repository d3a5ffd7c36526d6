package lang

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// NamedOption is a program option a script reads with getopt("name",
// default, "description"): given on the command line after `--` as
// --name=value (--name alone for a bool).
type NamedOption struct {
	Name string
	// Type is the option's type, its default's: Bool, Uint64 (a default
	// of 0 or more), Int64 (a negative default) or a string.
	Type        *Type
	Default     Const
	Description string
}

// OptionError is a mistake in the program options given on the command
// line: an option no getopt() reads, or a value of the wrong type. Hint,
// when set, lists the options the script reads. --help is an OptionError
// with only the Hint.
type OptionError struct {
	Msg, Hint string
}

func (e *OptionError) Error() string {
	var lines []string
	if e.Msg != "" {
		lines = append(lines, "ERROR: "+e.Msg)
	}
	if e.Hint != "" {
		lines = append(lines, "HINT: "+e.Hint)
	}
	return strings.Join(lines, "\n")
}

// checkGetopt resolves getopt("name"[, default[, "description"]]) to the
// value the command line gives --name, or its default: a constant, as
// positional parameters are. With Config.OptionsAtLoad the value is not
// known yet: the call stays, of the option's type.
func (c *checker) checkGetopt(call *Call) *Type {
	for _, a := range call.Args {
		c.expr(a)
	}
	name, ok := call.Args[0].(*StrLit)
	if !ok {
		c.errorf(call.Args[0], "getopt's first argument is the option's name, a string literal")
		return Invalid
	}
	opt := &NamedOption{Name: name.Value, Type: Bool}
	if len(call.Args) >= 2 {
		def := call.Args[1]
		k := c.info.Consts[def]
		switch {
		case isBoolLit(def):
			opt.Default = k
		case isStrLit(def):
			opt.Type, opt.Default = StringType(len(k.Str)+1), k
			if c.cfg.OptionsAtLoad {
				// The value comes when the program loads: any string
				// up to max_strlen, as bpftrace's.
				opt.Type = StringType(c.settings.MaxStrlen)
			}
		case isIntLit(def):
			opt.Type, opt.Default = Uint64, k
		case isNegIntLit(def):
			opt.Type, opt.Default = Int64, k
		default:
			c.errorf(def, "getopt's default must be an integer, string or bool literal, which gives the option's type")
			return Invalid
		}
	}
	if len(call.Args) == 3 {
		d, ok := call.Args[2].(*StrLit)
		if !ok {
			c.errorf(call.Args[2], "getopt's third argument is the option's description, a string literal")
			return Invalid
		}
		opt.Description = d.Value
	}
	if prev, ok := c.options[opt.Name]; ok {
		if prev.Type.Kind != opt.Type.Kind || prev.Default != opt.Default {
			at := Node(call)
			if len(call.Args) >= 2 {
				at = call.Args[1]
			}
			c.errorf(at, "option --%s needs the same default wherever getopt reads it (before: %s)", opt.Name, constText(prev))
			return Invalid
		}
		if opt.Description != "" && prev.Description != "" && opt.Description != prev.Description {
			c.errorf(call.Args[2], "option --%s needs the same description wherever getopt reads it", opt.Name)
			return Invalid
		}
		if opt.Description == "" {
			opt.Description = prev.Description
		}
	}
	c.options[opt.Name] = opt
	if c.cfg.OptionsAtLoad {
		// codegen reads the value from the read-only data, where the
		// runtime stores it before loading.
		return opt.Type
	}
	value, t := c.optionValue(opt)
	var lit Expr
	switch {
	case t.Kind == KindBool:
		lit = &Ident{Span: call.Span, Name: strconv.FormatBool(value.Int != 0)}
	case value.IsStr:
		lit = &StrLit{Span: call.Span, Value: value.Str}
	default:
		text := strconv.FormatUint(value.Int, 10)
		if t.Signed {
			text = strconv.FormatInt(int64(value.Int), 10)
		}
		lit = &IntLit{Span: call.Span, Value: value.Int, Text: text}
	}
	c.constant(call, value)
	c.constant(lit, value)
	c.record(lit, t)
	c.info.Rewrites[call] = lit
	return t
}

// optionValue reads the value the command line gives opt, or its default;
// a value of the wrong type is kept (the first) for Check to return.
func (c *checker) optionValue(opt *NamedOption) (Const, *Type) {
	k, t, err := resolveOption(opt, c.cfg.Options)
	if err != nil && c.optErr == nil {
		c.optErr = err
	}
	return k, t
}

// resolveOption reads the value args give opt, or its default, and the
// type of that value; a value of the wrong type gives the default and an
// error.
func resolveOption(opt *NamedOption, args []string) (Const, *Type, *OptionError) {
	text, given, hasValue := optionArg(args, opt.Name)
	if !given {
		return opt.Default, opt.Type, nil
	}
	bad := func(what string) (Const, *Type, *OptionError) {
		return opt.Default, opt.Type, &OptionError{Msg: fmt.Sprintf("program command line option --%s %s (value: %s)", opt.Name, what, text)}
	}
	switch {
	case opt.Type.Kind == KindBool:
		switch strings.ToLower(text) {
		case "true", "1":
			return Const{Int: 1}, Bool, nil
		case "false", "0":
			return Const{}, Bool, nil
		}
		if !hasValue {
			return Const{Int: 1}, Bool, nil
		}
		return bad("expects a boolean (e.g. 'true')")
	case !hasValue:
		text = "true"
		if opt.Type.Kind == KindString {
			return bad("expects a string")
		}
		return bad("expects an integer")
	case opt.Type.Kind == KindString:
		return Const{Str: text, IsStr: true}, StringType(len(text) + 1), nil
	}
	neg := opt.Type.Signed && strings.HasPrefix(text, "-")
	v, err := parseInt(strings.TrimPrefix(text, "-"))
	if err != nil || text == "" || text[0] == '+' || !opt.Type.Signed && text[0] == '-' {
		return bad("invalid integer")
	}
	if opt.Type.Signed && (neg && v > 1<<63 || !neg && v >= 1<<63) {
		return bad("value is out of range")
	}
	if neg {
		v = -v
	}
	return Const{Int: v}, opt.Type, nil
}

// optionArg finds --name in args: its text after `=`, whether it is
// given, and whether it has `=`. The last one given wins.
func optionArg(args []string, name string) (text string, given, hasValue bool) {
	for _, a := range args {
		n, v, eq := strings.Cut(a, "=")
		if n == name {
			text, given, hasValue = v, true, eq
		}
	}
	return text, given, hasValue
}

// checkOptions returns the error of the program options once every
// getopt() is known (optionsError). Options given when the program loads
// are checked then (ResolveOptions).
func (c *checker) checkOptions() error {
	if c.cfg.OptionsAtLoad {
		return nil
	}
	return optionsError(c.info.Options, c.cfg.Options, c.optErr)
}

// optionsError returns the error of the program options args gives a
// script that reads opts (sorted by name): an option no getopt() reads
// (--help asks for the list), else bad, the first value of the wrong
// type, if any.
func optionsError(opts []*NamedOption, args []string, bad *OptionError) error {
	var unknown []string
	help := false
	for _, a := range args {
		n, _, _ := strings.Cut(a, "=")
		if n == "help" {
			help = true
		} else if !slices.ContainsFunc(opts, func(o *NamedOption) bool { return o.Name == n }) && !slices.Contains(unknown, "--"+n) {
			unknown = append(unknown, "--"+n)
		}
	}
	if len(unknown) == 0 && !help {
		if bad != nil {
			return bad
		}
		return nil
	}
	e := &OptionError{Hint: "no custom program options defined."}
	if len(unknown) > 0 {
		e.Msg = "unexpected program command line options: " + strings.Join(unknown, ", ")
	}
	if len(opts) > 0 {
		var names []string
		for _, o := range opts {
			n := "--" + o.Name
			if help && o.Description != "" {
				n += ": " + o.Description
			}
			names = append(names, n)
		}
		if help {
			e.Hint = "expected program options:\n" + strings.Join(names, "\n")
		} else {
			e.Hint = "expected program options: " + strings.Join(names, ", ")
		}
	}
	return e
}

// ResolveOptions gives the values of the options opts (sorted by name),
// which a compiled script reads, from the program options of a command
// line (args: "name=value" or "name", for --name=value and --name): each
// option's value in the order of opts, its default when not given. It
// returns the *OptionError a run of the script from source gives for the
// same args: an unknown option, --help, a value of the wrong type. Objects
// use it when they load (Config.OptionsAtLoad).
func ResolveOptions(opts []*NamedOption, args []string) ([]Const, error) {
	values := make([]Const, len(opts))
	var bad *OptionError
	for i, o := range opts {
		var err *OptionError
		values[i], _, err = resolveOption(o, args)
		if err != nil && bad == nil {
			bad = err
		}
	}
	if err := optionsError(opts, args, bad); err != nil {
		return nil, err
	}
	return values, nil
}

// sortedOptions lists the options the script reads, by name.
func sortedOptions(m map[string]*NamedOption) []*NamedOption {
	var opts []*NamedOption
	for _, o := range m {
		opts = append(opts, o)
	}
	slices.SortFunc(opts, func(a, b *NamedOption) int { return strings.Compare(a.Name, b.Name) })
	return opts
}

// constText spells an option's default as the script writes it.
func constText(o *NamedOption) string {
	switch {
	case o.Type.Kind == KindBool:
		return strconv.FormatBool(o.Default.Int != 0)
	case o.Default.IsStr:
		return strconv.Quote(o.Default.Str)
	case o.Type.Signed:
		return strconv.FormatInt(int64(o.Default.Int), 10)
	}
	return strconv.FormatUint(o.Default.Int, 10)
}

func isBoolLit(e Expr) bool {
	id, ok := e.(*Ident)
	return ok && (id.Name == "true" || id.Name == "false")
}

func isStrLit(e Expr) bool { _, ok := e.(*StrLit); return ok }

func isIntLit(e Expr) bool { _, ok := e.(*IntLit); return ok }

func isNegIntLit(e Expr) bool {
	u, ok := e.(*UnaryExpr)
	return ok && u.Op == OpNeg && isIntLit(u.X)
}
