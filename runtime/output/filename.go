package output

// ProgramFileName is the file name bpftrace's run-time messages give a
// program written on the command line (-e): "stdin". hawk's own
// compile-time diagnostics call it "-e"; the messages a running script
// prints (errorf, warnf, helper errors, run-time warnings) follow
// bpftrace's format, its file name included, so that tools reading
// bpftrace's output read hawk's.
const ProgramFileName = "stdin"

// fileName is the name a diagnostic gives the script file it points into.
func fileName(file string) string {
	if file == "-e" {
		return ProgramFileName
	}
	return file
}
