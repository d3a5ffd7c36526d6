package hawk

import "sync"

// eventQueue hands events from the session, which produces them while it
// holds its decoder (so a map read waits), to the goroutine that delivers
// them to the caller. It never blocks the producer: a consumer that is
// slow, or that reads maps while it handles an event, cannot stall the
// script's event loop or deadlock with it. Events wait in memory instead.
type eventQueue struct {
	mu     sync.Mutex
	cond   *sync.Cond
	events []Event
	closed bool
}

func newEventQueue() *eventQueue {
	q := &eventQueue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// push queues e.
func (q *eventQueue) push(e Event) {
	q.mu.Lock()
	q.events = append(q.events, e)
	q.mu.Unlock()
	q.cond.Signal()
}

// close says no more events will be pushed.
func (q *eventQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.cond.Signal()
}

// deliver calls each with every event, in order, until the queue is
// closed and empty.
func (q *eventQueue) deliver(each func(Event)) {
	for {
		q.mu.Lock()
		for len(q.events) == 0 && !q.closed {
			q.cond.Wait()
		}
		batch := q.events
		q.events = nil
		closed := q.closed
		q.mu.Unlock()
		for _, e := range batch {
			each(e)
		}
		if closed && len(batch) == 0 {
			return
		}
	}
}
