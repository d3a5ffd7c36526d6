package lang

import (
	"os"
	"testing"
)

func TestParseTracepointFormat(t *testing.T) {
	for _, tc := range []struct {
		category, name string
		fields         map[string]string // name -> type
	}{
		{"syscalls", "sys_enter_openat", map[string]string{
			"__syscall_nr": "int32", "dfd": "uint64", "filename": "int8 *", "flags": "uint64", "mode": "uint64",
		}},
		{"sched", "sched_switch", map[string]string{
			"prev_comm": "string[16]", "prev_pid": "int32", "prev_state": "int64", "next_comm": "string[16]",
		}},
		{"sched", "sched_process_exec", map[string]string{"filename": "int8 *", "pid": "int32"}},
		// argv is a pointer to pointers: args.argv[N] is the Nth string's address.
		{"syscalls", "sys_enter_execve", map[string]string{"filename": "int8 *", "argv": "int8 * *", "envp": "int8 * *"}},
	} {
		tf, err := testEnv{}.TracepointFormat(tc.category, tc.name)
		if err != nil {
			t.Fatal(err)
		}
		for name, want := range tc.fields {
			f := tf.Field(name)
			if f == nil {
				t.Errorf("%s: no field %s", tc.name, name)
				continue
			}
			if got := f.Type.String(); got != want {
				t.Errorf("%s.%s: type %s, want %s", tc.name, name, got, want)
			}
		}
		if tf.Field("common_pid") != nil {
			t.Errorf("%s: the common_ fields should be left out", tc.name)
		}
	}
	tf, _ := testEnv{}.TracepointFormat("syscalls", "sys_enter_openat")
	if f := tf.Field("filename"); f.Offset != 24 || f.Type.Space != SpaceUser {
		t.Errorf("filename: offset %d space %v, want 24 and user", f.Offset, f.Type.Space)
	}
	tf, _ = testEnv{}.TracepointFormat("sched", "sched_process_exec")
	if f := tf.Field("filename"); !f.DataLoc || f.Type.Space != SpaceKernel {
		t.Errorf("sched_process_exec.filename: want a kernel __data_loc string")
	}
}

func TestParseTracepointFormatErrors(t *testing.T) {
	if _, err := ParseTracepointFormat("a", "b", "format:\n\tfield:int x;\toffset:zero;\tsize:4;\tsigned:1;\n"); err == nil {
		t.Error("a bad offset should fail")
	}
	text, _ := os.ReadFile("../internal/testenv/formats/syscalls/sys_enter_read")
	tf, err := ParseTracepointFormat("syscalls", "sys_enter_read", string(text))
	if err != nil || tf.ID == 0 || len(tf.Fields) != 4 {
		t.Errorf("sys_enter_read: %v, id %d, %d fields", err, tf.ID, len(tf.Fields))
	}
}
