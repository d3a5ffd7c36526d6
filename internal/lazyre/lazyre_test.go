package lazyre

import "testing"

func TestLazy(t *testing.T) {
	r := New(`^(a+)(b*)$`)
	if !r.MatchString("aab") || r.MatchString("ba") {
		t.Error("MatchString")
	}
	if got := r.FindStringSubmatch("aabb"); len(got) != 3 || got[1] != "aa" || got[2] != "bb" {
		t.Errorf("FindStringSubmatch: %q", got)
	}
	if got := r.FindString("ab"); got != "ab" {
		t.Errorf("FindString: %q", got)
	}
	if got := r.FindSubmatchIndex([]byte("ab")); len(got) != 6 || got[3] != 1 {
		t.Errorf("FindSubmatchIndex: %v", got)
	}
	if r.Get() != r.Get() {
		t.Error("compiled twice")
	}
}

func TestBadExprPanicsOnUse(t *testing.T) {
	r := New(`(`) // no panic yet
	defer func() {
		if recover() == nil {
			t.Error("a bad expression compiled")
		}
	}()
	r.MatchString("x")
}
