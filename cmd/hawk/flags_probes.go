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

// setMode sets --mode to value, given as the option --name (--mode,
// --bench or --test).
func (o *options) setMode(name, value string) error {
	if !modes[value] {
		return &usageError{msg: fmt.Sprintf("unknown --mode %q (modes: bench, test)", value)}
	}
	if o.mode != "" && o.mode != value {
		return &usageError{msg: fmt.Sprintf("--%s conflicts with --mode %s", name, o.mode)}
	}
	o.mode = value
	return nil
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
