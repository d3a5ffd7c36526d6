# hawk: build, run, test, benchmark. Kernel work needs root.
GO      ?= $(shell command -v go 2>/dev/null || echo /usr/local/go/bin/go)
BIN     := bin/hawk
EXAMPLE ?= examples/switches.bt
FUZZTIME ?= 20s

# The tests run the go tool too (to build hawk and test programs).
export PATH := $(patsubst %/,%,$(dir $(GO))):$(PATH)

.PHONY: all build install uninstall run test testdeps check vet fuzz bench clean

all: build

# build compiles the single static hawk binary, stamped with the commit
# it was built from and the build date, which --version prints.
STAMP = -X main.commit=$$(git rev-parse --short=12 HEAD 2>/dev/null)$$(git diff --quiet HEAD 2>/dev/null || echo -dirty) \
	-X main.commitDate=$$(git log -1 --format=%cI 2>/dev/null) -X main.buildDate=$$(date -u +%Y-%m-%dT%H:%M:%SZ)
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(STAMP)" -o $(BIN) ./cmd/hawk

# install builds hawk and installs it under $(DESTDIR)$(PREFIX): the
# binary, its man page and its bash, zsh and fish completions, which hawk
# itself writes from its table of options (hawk man, hawk completion
# SHELL) into $(GEN) first.
PREFIX  ?= /usr/local
DESTDIR ?=
GEN     = $(dir $(BIN))gen
INSTALLED = $(DESTDIR)$(PREFIX)/bin/hawk $(DESTDIR)$(PREFIX)/share/man/man1/hawk.1 \
	$(DESTDIR)$(PREFIX)/share/bash-completion/completions/hawk \
	$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_hawk \
	$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/hawk.fish
install: build
	mkdir -p $(GEN)
	$(BIN) man >$(GEN)/hawk.1
	$(BIN) completion bash >$(GEN)/hawk.bash
	$(BIN) completion zsh >$(GEN)/_hawk
	$(BIN) completion fish >$(GEN)/hawk.fish
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/hawk
	install -D -m 0644 $(GEN)/hawk.1 $(DESTDIR)$(PREFIX)/share/man/man1/hawk.1
	install -D -m 0644 $(GEN)/hawk.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/hawk
	install -D -m 0644 $(GEN)/_hawk $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_hawk
	install -D -m 0644 $(GEN)/hawk.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/hawk.fish

# uninstall removes what install installed.
uninstall:
	rm -f $(INSTALLED)

# run builds hawk and runs an example trace that ends by itself.
run: build
	./$(BIN) $(EXAMPLE)

# test installs what the tests need beyond Go (testdeps), checks
# formatting and vet, then runs every test. Kernel tests load real probes;
# they skip without root unless HAWK_TEST_KERNEL=1, which makes them fail
# instead.
test: testdeps check
	$(GO) test -count=1 ./...

# testdeps installs, as root and only where missing, the commands the tests
# run (apt-get) and fetches the .bt tools of Debian's bpftrace package into
# /var/cache/hawk-test; without root it does nothing.
testdeps:
	@bash scripts/test-deps

# fuzz runs every fuzz target of the module for FUZZTIME each, one at a
# time (FUZZFLAGS adds go test flags, such as -parallel 1).
fuzz:
	@GO=$(GO) FUZZTIME=$(FUZZTIME) bash scripts/fuzz

check:
	@unformatted="$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))"; \
	if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...

# bench runs the Go benchmarks and compares hawk with bpftrace, when it is
# installed, on the same scripts.
bench: build
	$(GO) test -run '^$$' -bench . -benchmem ./...
	./bench/compare.sh ./$(BIN)
	$(GO) run ./bench/printfbench -tracer ./$(BIN)
	$(GO) run ./bench/syscallbench -n 1000000 -reps 3
	if command -v bpftrace >/dev/null; then $(GO) run ./bench/printfbench -tracer bpftrace -n 200000 || true; fi
	if command -v bpftrace >/dev/null; then for s in /usr/sbin/opensnoop.bt /usr/sbin/syscount.bt; do \
		$(GO) run ./bench/stopbench -delay 300ms ./$(BIN) bpftrace -- $$s || true; done; fi

clean:
	rm -rf bin
