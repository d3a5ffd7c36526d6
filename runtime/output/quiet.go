package output

// NoWarnings returns a writer that writes what w writes except warnings:
// warnf() and the run-time warnings hawk finds (bpftrace's
// --no-warnings). Errors still print.
func NoWarnings(w Writer) Writer { return noWarnings{w} }

// noWarnings drops Warning diagnostics on their way to Writer.
type noWarnings struct{ Writer }

// Diagnostic writes d unless it is a warning.
func (n noWarnings) Diagnostic(d Diagnostic) {
	if d.Severity != Warning {
		n.Writer.Diagnostic(d)
	}
}
