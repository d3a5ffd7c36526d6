package runtime

import (
	"github.com/hawktrace/hawk/codegen"
	"github.com/hawktrace/hawk/lang"
)

// setOptions stores in the read-only data data the values args gives the
// program options a compiled object reads (Manifest.Options), or their
// defaults. It returns the *lang.OptionError a run of the script from
// source gives for the same args: an option it does not read, --help, a
// value of the wrong type.
func setOptions(data []byte, man *codegen.Manifest, args []string) error {
	opts := make([]*lang.NamedOption, len(man.Options))
	for i, o := range man.Options {
		opts[i] = o.Option
	}
	values, err := lang.ResolveOptions(opts, args)
	if err != nil {
		return err
	}
	for i, o := range man.Options {
		copy(data[o.Offset:], codegen.OptionBytes(o.Option, values[i]))
	}
	return nil
}
