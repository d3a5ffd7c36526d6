package main

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/hawktrace/hawk"
)

// commit, commitDate and buildDate are set by the Makefile (-ldflags
// "-X main.commit=..."): the commit hawk was built from ("-dirty" when the
// tree had changes), its date, and when hawk was built.
var commit, commitDate, buildDate string

// versionLine is what --version prints: hawk's version, the commit it was
// built from (with "-dirty" when the tree had changes), the commit's date
// and the build date, each "unknown" when the build did not record it
// (go build without the Makefile: the commit then comes from the go
// tool's VCS stamp when there is one).
func versionLine() string {
	commit, commitDate, dirty := commit, commitDate, false
	if info, ok := debug.ReadBuildInfo(); ok && commit == "" {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
				if len(commit) > 12 {
					commit = commit[:12]
				}
			case "vcs.time":
				commitDate = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if dirty {
		commit += "-dirty"
	}
	return fmt.Sprintf("hawk v%s (commit %s of %s, built %s)\n", hawk.Version, orUnknown(commit), orUnknown(commitDate), orUnknown(buildDate))
}

func orUnknown(s string) string {
	if s = strings.TrimSpace(s); s == "" {
		return "unknown"
	}
	return s
}
