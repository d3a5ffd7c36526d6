package usersym

import (
	"os"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// TestResolveDeletedExecutable resolves in a process whose executable was
// deleted, and another file put at its path, before its maps were read:
// only /proc/PID/map_files still reaches the file it runs.
func TestResolveDeletedExecutable(t *testing.T) {
	kerneltest.Require(t) // reading /proc/PID/map_files needs root
	c := startChild(t)
	if err := os.Remove(c.path); err != nil {
		t.Fatal(err)
	}
	sleep, err := os.ReadFile("/bin/sleep")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(c.path, sleep, 0o755); err != nil {
		t.Fatal(err)
	}
	r := NewResolver()
	f, ok := r.Resolve(c.pid, c.target+5)
	if want := (Frame{Sym: "main.target", Off: 5, Module: c.path}); !ok || f != want {
		t.Errorf("Resolve(child, target+5) = %+v, %v; want %+v", f, ok, want)
	}
	m := r.procs.byPID[c.pid].maps[findMapping(r.procs.byPID[c.pid].maps, c.target)]
	if !m.deleted {
		t.Errorf("the mapping of the deleted executable is %+v, not marked deleted", m)
	}
}

func TestLocateRejectsReplacedFileOfExitedProcess(t *testing.T) {
	// A pid that does not exist: only the path itself is left to try, and
	// the file there is not the one that was mapped.
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		m    mapping
		want bool
	}{
		{mapping{path: exe, inode: 1}, true},                 // another inode but not deleted: a container's view, maybe
		{mapping{path: exe, inode: 1, deleted: true}, false}, // deleted: what is there now is another file
		{mapping{path: "/no/such/file"}, false},
	}
	for _, tt := range tests {
		path, _, ok := locate(0x7fffffff, &tt.m)
		if ok != tt.want || (ok && path != exe) {
			t.Errorf("locate(%+v) = %q, %v; want ok %v", tt.m, path, ok, tt.want)
		}
	}
}
