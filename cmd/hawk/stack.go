package main

import "os"

// stackAhead is the stack the main goroutine is grown to at once, before
// hawk's work starts: what parsing and checking a script reach.
const stackAhead = 56 << 10

// growStack grows the main goroutine's stack to hold stackAhead, while
// it is shallow. A goroutine starts with 2 KB of stack and the runtime
// doubles it each time a call needs more, copying the stack and walking
// each frame on it; participle's grammar build and the parsers' recursion
// made the main goroutine grow four times, deep in calls, which took ~5 %
// of a `BEGIN { exit(); }` run (each walk reads the function tables of
// every frame, a page fault on each new page of them). Grown here, the
// stack is copied once, over three frames.
//
//go:noinline
func growStack() byte {
	var frame [stackAhead]byte
	return frame[len(os.Args)%stackAhead]
}
