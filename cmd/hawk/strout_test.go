package main

import (
	"regexp"
	"testing"
)

// stroutConstructs are the cases of strings and output details that follow
// bpftrace: execve's argv, truncated strings, char arrays, printf's length
// modifiers, probe names, strftime's %f.
func stroutConstructs(e testEnv) []construct {
	return []construct{
		{
			// argv is `const char *const *`: element N is a user pointer,
			// read before the string it points to.
			name:    "execve_argv_elements",
			script:  `tracepoint:syscalls:sys_enter_execve /curtask->real_parent->tgid == $1/ { printf("%s|%s|%s\n", str(args.argv[0]), str(args.argv[1]), str(args.argv[2], 4)); exit(); }`,
			args:    []string{e.pid},
			trigger: []string{"/bin/true", "hawk-strout", "marker"},
			out:     "/bin/true|hawk-strout|mar\n",
		},
	}
}

// TestStroutConstructs runs stroutConstructs on the kernel and compares
// what hawk prints, exactly.
func TestStroutConstructs(t *testing.T) {
	env := newTestEnv(t)
	for _, c := range stroutConstructs(env) {
		t.Run(c.name, func(t *testing.T) {
			stdout, stderr, code := runConstruct(t, c)
			if code != c.code {
				t.Errorf("exit status %d, want %d; stderr:\n%s", code, c.code, stderr)
			}
			if c.re != "" {
				if !regexp.MustCompile(c.re).MatchString(stdout) {
					t.Errorf("stdout %q does not match %q", stdout, c.re)
				}
				return
			}
			if want := c.out + "\n\n" + c.maps; stdout != want {
				t.Errorf("script: %s\nstdout:\n%s\nwant:\n%s\nstderr:\n%s", c.script, stdout, want, stderr)
			}
		})
	}
}
