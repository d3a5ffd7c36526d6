package main

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/hawktrace/hawk/runtime"
)

// probeOptions are the options that choose which probes run and how:
// --probe-filter, and --mode bench|test (--bench, --test).
type probeOptions struct {
	// probeFilter keeps the attach points whose name it matches, BEGIN
	// and END besides (--probe-filter REGEX).
	probeFilter *regexp.Regexp
	// mode is "bench" (run the bench: probes and print their timings),
	// "test" (run the test: probes and print which pass) or "" (run the
	// script: bench: and test: probes are left out).
	mode string
}

// modes are the values --mode takes.
var modes = map[string]bool{"bench": true, "test": true}

// parseProbeOption reads the long option --name (with its value, from
// after '=' or the next argument, args[*i+1]) when it is one of
// probeOptions'; it reports whether it was.
func (o *options) parseProbeOption(name, value string, hasValue bool, args []string, i *int) (bool, error) {
	takesValue := name == "probe-filter" || name == "mode"
	switch {
	case takesValue && !hasValue:
		if *i+1 >= len(args) {
			return true, &usageError{msg: "option --" + name + " needs a value"}
		}
		*i++
		value = args[*i]
	case !takesValue && name != "bench" && name != "test":
		return false, nil
	case !takesValue && hasValue:
		return true, &usageError{msg: fmt.Sprintf("option --%s takes no value (%q)", name, value)}
	}
	switch name {
	case "probe-filter":
		re, err := regexp.Compile(value)
		if err != nil {
			return true, &usageError{msg: fmt.Sprintf("Invalid --probe-filter regex '%s': %v", value, err)}
		}
		o.probeFilter = re
		return true, nil
	case "bench", "test":
		value = name
	}
	if !modes[value] {
		return true, &usageError{msg: fmt.Sprintf("unknown --mode %q (modes: bench, test)", value)}
	}
	if o.mode != "" && o.mode != value {
		return true, &usageError{msg: fmt.Sprintf("--%s conflicts with --mode %s", name, o.mode)}
	}
	o.mode = value
	return true, nil
}

// runMode is the runtime's mode for --mode.
func (o *options) runMode() runtime.Mode {
	switch o.mode {
	case "bench":
		return runtime.ModeBench
	case "test":
		return runtime.ModeTest
	}
	return runtime.ModeRun
}

// refusedAt returns err when it is the kernel's refusal of an attach
// point (or of a probe kind) that says where the script writes it: its
// message is a diagnostic, file:line:col first.
func refusedAt(err error) error {
	var attachErr *runtime.AttachError
	if errors.As(err, &attachErr) && attachErr.Positioned() {
		return attachErr
	}
	var unsupported *runtime.UnsupportedError
	if errors.As(err, &unsupported) && unsupported.Positioned() {
		return unsupported
	}
	return nil
}
