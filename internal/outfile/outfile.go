// Package outfile opens the files hawk writes (-o, --emit-elf, the REPL's
// .save) so that another user cannot redirect them, and so that hawk never
// writes over the script it runs.
//
// Symbolic links are followed as the kernel's protected_symlinks rule
// would follow them, whether or not the system turns it on: a link in a
// sticky world-writable directory (/tmp) is followed only if it belongs to
// the user hawk runs as or to the directory's owner. Anyone may plant a
// link in /tmp naming a file only root may write; root's hawk must not
// write through it.
package outfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// Error is a file hawk refuses to write, and why.
type Error struct {
	Path   string
	Reason string
}

func (e *Error) Error() string { return fmt.Sprintf("refusing to write %s: %s", e.Path, e.Reason) }

// maxLinks is how many symbolic links a path may go through, as the
// kernel's limit.
const maxLinks = 40

// Create opens path for writing, creating it with mode perm (before the
// umask) or emptying it, as os.Create does, but follows no symbolic link
// that protected_symlinks would refuse, and refuses to write over any of
// the files in keep (compared by identity: a hard link or a symbolic link
// to one is the same file). Files in keep that do not exist are ignored.
func Create(path string, perm os.FileMode, keep ...string) (*os.File, error) {
	fd, err := open(path, uint32(perm.Perm()))
	if errors.Is(err, errForeignLink) {
		return nil, &Error{Path: path, Reason: err.Error()}
	}
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	f := os.NewFile(uintptr(fd), path)
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	for _, k := range keep {
		if ks, err := os.Stat(k); err == nil && os.SameFile(st, ks) {
			f.Close()
			return nil, &Error{Path: path, Reason: fmt.Sprintf("it is %s, the script being run", k)}
		}
	}
	if st.Mode().IsRegular() {
		if err := f.Truncate(0); err != nil {
			f.Close()
			return nil, err
		}
	}
	return f, nil
}

// open opens path write-only, creating it, without emptying it. A path
// with no symbolic link is opened in one call; otherwise it is walked a
// component at a time, each link checked before it is followed.
func open(path string, perm uint32) (int, error) {
	if path == "" {
		return -1, unix.ENOENT
	}
	const flags = unix.O_WRONLY | unix.O_CREAT | unix.O_CLOEXEC
	fd, err := unix.Openat2(unix.AT_FDCWD, path, &unix.OpenHow{Flags: flags, Mode: uint64(perm), Resolve: unix.RESOLVE_NO_SYMLINKS})
	switch err {
	case unix.ELOOP: // a symbolic link on the way
	case unix.ENOSYS, unix.EPERM, unix.EINVAL, unix.E2BIG: // no openat2 (before 5.6, or a seccomp filter)
	default:
		return fd, err
	}
	return walk(path, flags, perm)
}

// walk resolves path from the working directory (or the root), one
// component at a time, through directory descriptors, so that what is
// checked is what is opened: each symbolic link is checked against its
// directory, then its target is walked in turn. Links in /proc (such as
// /dev/stdout's /proc/self/fd/1) name open files, not paths: the kernel
// follows those.
func walk(path string, flags int, perm uint32) (int, error) {
	start := "."
	if filepath.IsAbs(path) {
		start = "/"
	}
	dir, err := unix.Open(start, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	defer func() { unix.Close(dir) }()
	comps := components(path)
	if len(comps) == 0 || strings.HasSuffix(path, "/") {
		return -1, unix.EISDIR
	}
	links := 0
	walked := start // the directory dir is, as a path, for messages
	for len(comps) > 0 {
		name := comps[0]
		comps = comps[1:]
		last := len(comps) == 0
		var st unix.Stat_t
		err := unix.Fstatat(dir, name, &st, unix.AT_SYMLINK_NOFOLLOW)
		switch {
		case err == unix.ENOENT && last:
			fd, err := unix.Openat(dir, name, flags|unix.O_NOFOLLOW, perm)
			if err == unix.ELOOP && links < maxLinks {
				// A link appeared since: look again.
				links++
				comps = []string{name}
				continue
			}
			return fd, err
		case err != nil:
			return -1, err
		case st.Mode&unix.S_IFMT == unix.S_IFLNK:
			if links++; links > maxLinks {
				return -1, unix.ELOOP
			}
			if err := mayFollow(dir, &st); err != nil {
				return -1, fmt.Errorf("%s is %w", filepath.Join(walked, name), err)
			}
			var fs unix.Statfs_t
			if unix.Fstatfs(dir, &fs) == nil && fs.Type == unix.PROC_SUPER_MAGIC {
				next, err := followByKernel(dir, name, last, flags, perm)
				if err != nil || last {
					return next, err
				}
				unix.Close(dir)
				dir, walked = next, filepath.Join(walked, name)
				continue
			}
			target, err := readlinkat(dir, name)
			if err != nil {
				return -1, err
			}
			if filepath.IsAbs(target) {
				root, err := unix.Open("/", unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
				if err != nil {
					return -1, err
				}
				unix.Close(dir)
				dir, walked = root, "/"
			}
			tc := components(target)
			if last && (len(tc) == 0 || strings.HasSuffix(target, "/")) {
				return -1, unix.EISDIR
			}
			comps = append(tc, comps...)
		case last:
			return unix.Openat(dir, name, flags|unix.O_NOFOLLOW, perm)
		default:
			next, err := unix.Openat(dir, name, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
			if err != nil {
				return -1, err
			}
			unix.Close(dir)
			dir, walked = next, filepath.Join(walked, name)
		}
	}
	return -1, unix.EISDIR // the path ends in "." or ".."
}

// followByKernel opens the link name in dir as the kernel follows it: the
// file to write when it is the path's last component, else a directory.
func followByKernel(dir int, name string, last bool, flags int, perm uint32) (int, error) {
	if last {
		return unix.Openat(dir, name, flags, perm)
	}
	return unix.Openat(dir, name, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
}

// errForeignLink is a link protected_symlinks would not follow.
var errForeignLink = errors.New("a symbolic link in a sticky world-writable directory that neither you nor the directory's owner owns")

// mayFollow applies protected_symlinks: in a sticky world-writable
// directory, a link is followed only when the user hawk runs as or the
// directory's owner owns it.
func mayFollow(dir int, link *unix.Stat_t) error {
	var ds unix.Stat_t
	if err := unix.Fstat(dir, &ds); err != nil {
		return err
	}
	const stickyWorldWritable = unix.S_ISVTX | unix.S_IWOTH
	if ds.Mode&stickyWorldWritable != stickyWorldWritable || link.Uid == uint32(os.Geteuid()) || link.Uid == ds.Uid {
		return nil
	}
	return fmt.Errorf("%w (uid %d)", errForeignLink, link.Uid)
}

// readlinkat reads the target of the link name in dir.
func readlinkat(dir int, name string) (string, error) {
	for size := 256; ; size *= 2 {
		buf := make([]byte, size)
		n, err := unix.Readlinkat(dir, name, buf)
		if err != nil {
			return "", err
		}
		if n < size {
			return string(buf[:n]), nil
		}
	}
}

// components splits a path into its names, leaving out empty ones and
// ".": "a//b/./c" is a, b, c. ".." stays, resolved by the directory it is
// opened in.
func components(path string) []string {
	var out []string
	for _, c := range strings.Split(path, "/") {
		if c != "" && c != "." {
			out = append(out, c)
		}
	}
	return out
}
