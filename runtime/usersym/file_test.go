package usersym

import (
	"os"
	"reflect"
	"testing"
)

// TestResolveIn resolves a function of the test binary (ET_EXEC) with no
// process, and refuses a shared library.
func TestResolveIn(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	addr := uint64(reflect.ValueOf(TestResolveIn).Pointer())
	r := NewResolver()
	f, ok := r.ResolveIn(exe, addr+3)
	if !ok || f.Sym != "github.com/hawktrace/hawk/runtime/usersym.TestResolveIn" || f.Off != 3 || f.Module != exe {
		t.Errorf("ResolveIn = %+v, %v", f, ok)
	}
	if _, ok := r.ResolveIn("/nonexistent", addr); ok {
		t.Error("a missing file resolved")
	}
}
