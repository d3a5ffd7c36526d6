package outfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hawktrace/hawk/internal/kerneltest"
)

// Two users other than root, as the planters of links.
const (
	nobody  = 65534
	another = 65533
)

// stickyDir makes a directory like /tmp: sticky and world-writable,
// owned by uid.
func stickyDir(t *testing.T, uid int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "tmp")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, os.ModeSticky|0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, uid, uid); err != nil {
		t.Fatal(err)
	}
	return dir
}

// plant makes a symbolic link at link to target, owned by uid.
func plant(t *testing.T, target, link string, uid int) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := os.Lchown(link, uid, uid); err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, path string, keep ...string) error {
	t.Helper()
	f, err := Create(path, 0o666, keep...)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.WriteString("new\n")
	return err
}

func content(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestForeignLinks: a link another user planted in a sticky
// world-writable directory is not followed, as the last component or on
// the way; its target keeps what it had.
func TestForeignLinks(t *testing.T) {
	kerneltest.Require(t) // chown needs root
	secretDir := t.TempDir()
	secret := filepath.Join(secretDir, "passwd")
	os.WriteFile(secret, []byte("root:x:0:0\n"), 0o644)
	sticky := stickyDir(t, 0)

	plant(t, secret, filepath.Join(sticky, "out.txt"), nobody)
	plant(t, secretDir, filepath.Join(sticky, "dir"), nobody)
	plant(t, filepath.Join(sticky, "out.txt"), filepath.Join(sticky, "mine"), 0) // mine, to a foreign one
	for _, path := range []string{
		filepath.Join(sticky, "out.txt"),
		filepath.Join(sticky, "dir", "passwd"),
		filepath.Join(sticky, "mine"),
		filepath.Join(sticky, ".", "out.txt"),
	} {
		err := write(t, path)
		var refusal *Error
		if !errors.As(err, &refusal) || !strings.Contains(err.Error(), "symbolic link in a sticky world-writable directory") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: got %v, want a one-line refusal", path, err)
		}
	}
	if got := content(t, secret); got != "root:x:0:0\n" {
		t.Errorf("the target was written: %q", got)
	}
}

// TestAllowedLinks: links protected_symlinks follows are followed: one's
// own, the directory owner's, and anyone's outside sticky directories;
// plain files are created or emptied.
func TestAllowedLinks(t *testing.T) {
	kerneltest.Require(t)
	targets := t.TempDir()
	target := func(name string) string {
		p := filepath.Join(targets, name)
		os.WriteFile(p, []byte("old old old\n"), 0o644)
		return p
	}
	sticky := stickyDir(t, 0)
	owned := stickyDir(t, nobody) // a sticky directory nobody owns
	plain := t.TempDir()
	os.Chmod(plain, 0o777) // world-writable, not sticky

	for _, tc := range []struct {
		name, link string
		uid        int
	}{
		{"own link", filepath.Join(sticky, "own"), 0},
		{"the directory owner's link", filepath.Join(owned, "owners"), nobody},
		{"a link outside sticky directories", filepath.Join(plain, "other"), another},
	} {
		tgt := target(tc.name)
		plant(t, tgt, tc.link, tc.uid)
		if err := write(t, tc.link); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		} else if got := content(t, tgt); got != "new\n" {
			t.Errorf("%s: the target holds %q", tc.name, got)
		}
	}
	// A link by another user in a sticky directory that user owns is
	// refused too: neither hawk's user nor the directory's owner.
	plant(t, target("x"), filepath.Join(owned, "foreign"), another)
	if err := write(t, filepath.Join(owned, "foreign")); err == nil {
		t.Error("a link of a third user was followed")
	}

	fresh := filepath.Join(sticky, "fresh.txt")
	if err := write(t, fresh); err != nil || content(t, fresh) != "new\n" {
		t.Errorf("new file: %v", err)
	}
	old := target("old")
	if err := write(t, old); err != nil || content(t, old) != "new\n" {
		t.Errorf("existing file is emptied first: %v %q", err, content(t, old))
	}
	// Links the kernel resolves itself: /dev/stdout is /proc/self/fd/1.
	if err := write(t, "/dev/null"); err != nil {
		t.Errorf("/dev/null: %v", err)
	}
	if f, err := Create("/dev/stdout", 0o666); err != nil {
		t.Errorf("/dev/stdout: %v", err)
	} else {
		f.Close()
	}
	if err := write(t, sticky); err == nil {
		t.Error("a directory was opened for writing")
	}
}

// TestKeep: the script being run is not written over, whatever name
// reaches it: itself, a hard link or a symbolic link to it.
func TestKeep(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "s.bt")
	os.WriteFile(script, []byte("BEGIN { }\n"), 0o644)
	hard := filepath.Join(dir, "hard.bt")
	if err := os.Link(script, hard); err != nil {
		t.Fatal(err)
	}
	soft := filepath.Join(dir, "soft.bt")
	os.Symlink("s.bt", soft)
	for _, path := range []string{script, hard, soft, dir + "/./s.bt"} {
		err := write(t, path, "/nonexistent/import.bt", script)
		if err == nil || !strings.Contains(err.Error(), "the script being run") {
			t.Errorf("%s: %v", path, err)
		}
	}
	// The other way round: the script named through a link.
	if err := write(t, script, soft); err == nil {
		t.Error("the script named by a link was written over")
	}
	if got := content(t, script); got != "BEGIN { }\n" {
		t.Errorf("the script was changed: %q", got)
	}
	if err := write(t, filepath.Join(dir, "out.txt"), script); err != nil {
		t.Errorf("another file: %v", err)
	}
}
