package listing

import (
	"github.com/hawktrace/hawk/lang"
	"github.com/hawktrace/hawk/runtime/kernel"
)

// selfProbes lists self:signal:SIGNAL, for each signal self probes take,
// as bpftrace lists them (under `-l 'self:*'`, not with the kernel's
// probes).
func selfProbes(l *lister, q query) ([]probe, error) {
	var out []probe
	for _, sig := range lang.SelfSignals {
		if name := "signal:" + sig; kernel.Match(q.suffix, name) {
			out = append(out, probe{name: name})
		}
	}
	return out, nil
}
