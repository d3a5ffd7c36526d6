package usersym

import (
	"container/list"
	"errors"
	"io/fs"
	"syscall"
	"time"
)

// proc is what is known of one process: its mappings when last read.
type proc struct {
	pid    uint32
	maps   []mapping
	readAt time.Time
	gone   bool // /proc/PID is gone: maps will not change any more
	elem   *list.Element
}

// reread reads p's mappings again, unless p is gone and they are known.
// A read that fails or finds no mappings (a zombie's maps are empty) keeps
// the old ones, so a process that exited still resolves.
func (p *proc) reread(now time.Time) {
	if p.gone && len(p.maps) > 0 {
		return
	}
	p.readAt = now
	ms, err := readMaps(p.pid)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ESRCH) {
		p.gone = true
	}
	if err == nil && len(ms) > 0 {
		keepBinaries(p.maps, ms)
		p.maps = ms
	}
}

// procCache holds up to max processes, evicting the least recently used.
type procCache struct {
	max   int
	byPID map[uint32]*proc
	lru   list.List // of *proc, most recent first
}

// get returns pid's entry, creating an empty one, and marks it used.
func (c *procCache) get(pid uint32) (p *proc, created bool) {
	if p = c.byPID[pid]; p != nil {
		c.lru.MoveToFront(p.elem)
		return p, false
	}
	if c.byPID == nil {
		c.byPID = map[uint32]*proc{}
	}
	for len(c.byPID) >= max(c.max, 1) {
		old := c.lru.Remove(c.lru.Back()).(*proc)
		delete(c.byPID, old.pid)
	}
	p = &proc{pid: pid}
	p.elem = c.lru.PushFront(p)
	c.byPID[pid] = p
	return p, true
}
