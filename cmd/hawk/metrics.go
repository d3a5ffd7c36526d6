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

// setMetrics is --metrics ADDR's row of the option table.
func setMetrics(o *options, value string) error {
	if value == "" {
		return &usageError{msg: "option --metrics needs an address: host:port, or :port"}
	}
	o.metrics = value
	return nil
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
