package runtime

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/hawktrace/hawk/lang"
)

// Mode says which of a script's probes a run runs.
type Mode int

// Modes of a run.
const (
	// ModeRun runs the script: BEGIN, the probes attached to events, self
	// probes, END. Test and bench probes are left out.
	ModeRun Mode = iota
	// ModeTest runs BEGIN, each test probe once, reporting whether it
	// passed, then END (--mode test).
	ModeTest
	// ModeBench runs BEGIN, each bench probe many times, printing how
	// long one run takes, then END (--mode bench).
	ModeBench
)

// selfSignals maps the signals self probes name to the signals.
var selfSignals = map[string]os.Signal{"SIGUSR1": syscall.SIGUSR1}

// watchSelf runs the self:signal probes, in script order, each time hawk
// receives their signal, until the returned function is called. It
// returns how many self probes there are.
func (s *Session) watchSelf() (int, func()) {
	progs := s.programs(lang.ProbeSelf)
	if len(progs) == 0 {
		return 0, func() {}
	}
	sigs := make(chan os.Signal, 1)
	for _, p := range progs {
		for _, ap := range p.Points {
			signal.Notify(sigs, selfSignals[ap.Args[1]])
		}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for {
			select {
			case sig := <-sigs:
				for _, p := range progs {
					if p.Points[0].Args[1] != signalName(sig) {
						continue
					}
					if err := s.runProgram(p); err != nil {
						s.warnf("%v", err)
					}
				}
			case <-done:
				return
			}
		}
	}()
	n := 0
	for _, p := range progs {
		n += len(p.Points)
	}
	return n, func() {
		signal.Stop(sigs)
		close(done)
		<-finished
	}
}

// signalName is the name self probes give sig.
func signalName(sig os.Signal) string {
	for name, s := range selfSignals {
		if s == sig {
			return name
		}
	}
	return ""
}

// errNotInMode is the error of a run that has nothing to run but the
// probes of another mode.
func (s *Session) errNotInMode() error {
	switch {
	case len(s.programs(lang.ProbeTest)) > 0:
		return fmt.Errorf("%w: use --test (--mode test) to run test probes", lang.ErrNoProbesToAttach)
	case len(s.programs(lang.ProbeBench)) > 0:
		return fmt.Errorf("%w: use --bench (--mode bench) to run bench probes", lang.ErrNoProbesToAttach)
	}
	return nil
}

// refuseLive refuses, in a Live session (the REPL), the probes only a
// script's run runs: self, test and bench probes.
func (s *Session) refuseLive() error {
	for _, k := range []lang.ProbeKind{lang.ProbeSelf, lang.ProbeTest, lang.ProbeBench} {
		if ps := s.programs(k); len(ps) > 0 {
			return fmt.Errorf("%s probes run in a script's run only, not in the REPL: %s", k, ps[0].Text)
		}
	}
	return nil
}
