package usersym

import (
	"slices"
	"testing"
)

func TestProcCacheEvictsLeastRecentlyUsed(t *testing.T) {
	c := procCache{max: 2}
	steps := []struct {
		pid     uint32
		created bool
		kept    []uint32 // pids cached after the step
	}{
		{1, true, []uint32{1}},
		{2, true, []uint32{1, 2}},
		{1, false, []uint32{1, 2}},
		{3, true, []uint32{1, 3}}, // 2 was least recently used
		{2, true, []uint32{2, 3}}, // now 1 was
	}
	for i, s := range steps {
		p, created := c.get(s.pid)
		if p.pid != s.pid || created != s.created {
			t.Errorf("step %d: get(%d) = pid %d, created %v; want created %v", i, s.pid, p.pid, created, s.created)
		}
		var kept []uint32
		for pid := range c.byPID {
			kept = append(kept, pid)
		}
		slices.Sort(kept)
		if !slices.Equal(kept, s.kept) || c.lru.Len() != len(s.kept) {
			t.Errorf("step %d: cached %v (list %d), want %v", i, kept, c.lru.Len(), s.kept)
		}
	}
}
