package metrics

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"
)

// Server serves a session's metrics over HTTP at /metrics while the
// script runs (hawk --metrics ADDR).
type Server struct {
	ln   net.Listener
	srv  *http.Server
	done chan struct{}
	once sync.Once
	err  error // Close's
}

// Listen binds addr (host:port, or :port for every address) at once, so
// that a taken port is reported before the script loads; Serve starts
// serving.
func Listen(addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &Server{ln: ln}, nil
}

// Addr is the address the server listens on (the port the kernel chose
// for :0).
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Serve serves src's metrics at /metrics, in the background, until Close.
// Serve of a nil Server does nothing.
func (s *Server) Serve(src Source) {
	if s == nil {
		return
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", Handler(src))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("hawk: the script's metrics are at /metrics\n"))
	})
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		s.srv.Serve(s.ln)
	}()
}

// Close stops serving: it waits a little for scrapes under way, then
// closes every connection. It closes the listener of a server that never
// served. Close of a nil Server, or a second Close, does nothing.
func (s *Server) Close() error {
	if s == nil {
		return nil
	}
	s.once.Do(func() {
		if s.srv == nil {
			s.err = s.ln.Close()
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		s.err = s.srv.Shutdown(ctx)
		if errors.Is(s.err, context.DeadlineExceeded) {
			s.err = s.srv.Close()
		}
		<-s.done
	})
	return s.err
}
