package usersym

import (
	"os"
	"runtime"
	"sync"
	"syscall"
	"weak"
)

// fileID tells one version of one file from any other: a binary mapped by
// many processes, through whatever path, is read once, and a file replaced
// in place (same path, new inode or mtime) is read again.
type fileID struct {
	dev, ino     uint64
	mtime, bytes int64
}

// idOf returns fi's identity.
func idOf(fi os.FileInfo) fileID {
	id := fileID{mtime: fi.ModTime().UnixNano(), bytes: fi.Size()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		id.dev, id.ino = st.Dev, st.Ino
	}
	return id
}

// binCache holds the binaries in use, by identity. It holds them weakly:
// the mappings that use a binary keep it alive, and once the last process
// mapping it is evicted from the Resolver, the collector frees it and its
// entry goes.
type binCache struct {
	mu   sync.Mutex
	bins map[fileID]weak.Pointer[binary]
}

// get returns the binary of the file at path with identity id, reading the
// file if no one holds it yet. Concurrent calls for one file read it once.
func (c *binCache) get(id fileID, path string) *binary {
	c.mu.Lock()
	b := c.bins[id].Value()
	if b == nil {
		b = &binary{id: id}
		if c.bins == nil {
			c.bins = map[fileID]weak.Pointer[binary]{}
		}
		c.bins[id] = weak.Make(b)
		runtime.AddCleanup(b, c.drop, id)
	}
	c.mu.Unlock()
	b.open(path)
	return b
}

// drop forgets id once its binary is freed, unless it was read anew since.
func (c *binCache) drop(id fileID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bins[id].Value() == nil {
		delete(c.bins, id)
	}
}

// len returns how many binaries are cached.
func (c *binCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.bins)
}
