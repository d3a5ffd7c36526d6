package main

import (
	"fmt"
	"io"

	"github.com/hawktrace/hawk/runtime/metrics"
)

// metricsOptions are the options of the Prometheus exporter: --metrics
// ADDR serves the script's maps as metrics while it runs.
type metricsOptions struct {
	metrics string // --metrics ADDR: host:port, or :port
}

// parseMetricsOption reads the long option --name (with its value, from
// after '=' or the next argument, args[*i+1]) when it is --metrics; it
// reports whether it was.
func (o *options) parseMetricsOption(name, value string, hasValue bool, args []string, i *int) (bool, error) {
	if name != "metrics" {
		return false, nil
	}
	if !hasValue {
		if *i+1 >= len(args) {
			return true, &usageError{msg: "option --metrics needs an address: host:port, or :port"}
		}
		*i++
		value = args[*i]
	}
	if value == "" {
		return true, &usageError{msg: "option --metrics needs an address: host:port, or :port"}
	}
	o.metrics = value
	return true, nil
}

// checkMetrics refuses --metrics beside the options that run no script.
func (o *options) checkMetrics() error {
	if o.metrics != "" && (o.repl || o.verify || o.dryRun || o.debug != "" || o.emitELF != "" || o.aot != "") {
		return &usageError{msg: "--metrics serves the maps of a running script: it takes none of --repl, --verify, --dry-run, -d, --emit-elf, --aot"}
	}
	return nil
}

// listenMetrics binds the address --metrics gives, before the script
// loads, so that a taken port ends hawk at once; nil without --metrics.
func listenMetrics(o *options, stderr io.Writer) (*metrics.Server, error) {
	if o.metrics == "" {
		return nil, nil
	}
	srv, err := metrics.Listen(o.metrics)
	if err != nil {
		return nil, fmt.Errorf("--metrics: %w", err)
	}
	if !o.quiet {
		fmt.Fprintf(stderr, "Serving metrics at http://%s/metrics\n", srv.Addr())
	}
	return srv, nil
}
