# PayLastic Edge. The two commands a newcomer needs: `make run` and `make test`.
GO      ?= go
BUILD   := build
GUEST   := $(BUILD)/guest.wasm
TOOL    := $(BUILD)/paylastic
# The guest uses encoding/json inside telego (-tags stdjson): smaller and
# cheaper to start than the default go-json (see RATIONALE.md).
GUEST_FLAGS := -buildmode=c-shared -tags stdjson -trimpath

export WRANGLER_SEND_METRICS = false

.PHONY: all run test guest tool vet cross deps fuzz bench clean

all: guest tool

## run: build the guest and start the local edge harness on :8787
## (LAN=1: on this machine's LAN address, for a phone on the same Wi-Fi)
run: guest tool
	$(TOOL) run $(if $(LAN),-lan) $(RUN_FLAGS)

## guest: compile the WASI guest (Go's build cache makes a rebuild quick)
guest:
	@mkdir -p $(BUILD)
	GOOS=wasip1 GOARCH=wasm $(GO) build $(GUEST_FLAGS) -o $(GUEST) ./wasm/guest

## tool: the native CLI (harness, webhook registration)
tool:
	@mkdir -p $(BUILD)
	$(GO) build -o $(TOOL) ./wasm/cmd/paylastic

## vet: go vet for the host and for both wasm targets
vet:
	$(GO) vet ./...
	GOOS=wasip1 GOARCH=wasm $(GO) vet ./core/... ./wasm/guest
	GOOS=js GOARCH=wasm $(GO) vet ./core/... ./worker/...
	@# the builds behind tags too, so that a bench nobody ran this week still compiles
	$(GO) vet -tags workerbench ./worker/bench
	$(GO) vet -tags storebench ./worker/storebench
	GOOS=wasip1 GOARCH=wasm $(GO) vet -tags guesttest ./wasm/guest
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || (echo "gofmt needed:"; gofmt -l .; exit 1)

## cross: core builds natively, for js/wasm and for wasip1
cross:
	$(GO) build ./core/...
	GOOS=js GOARCH=wasm $(GO) build ./core/...
	GOOS=wasip1 GOARCH=wasm $(GO) build ./core/...
	GOOS=js GOARCH=wasm $(GO) build -tags stdjson -o /dev/null ./worker

## deps: what the tests need beyond Go (Chromium, pinned Node packages)
deps:
	./scripts/deps.sh

## test: everything: unit tests, the compiled guest on the harness, browser
## tests in headless Chromium, and the Worker inside workerd (wrangler dev)
test: deps vet cross guest
	PAYLASTIC_GUEST_WASM=$(CURDIR)/$(GUEST) $(GO) test -count=1 ./...
	@# the e2e suite again on a fresh instance per request: state that must
	@# not outlive a request fails one mode or the other
	PAYLASTIC_HARNESS=fresh PAYLASTIC_GUEST_WASM=$(CURDIR)/$(GUEST) $(GO) test -count=1 ./e2e
	@if node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a==20&&b>=3)?0:1)' 2>/dev/null && [ -d node_modules ]; then \
	  $(MAKE) --no-print-directory worker-test; \
	elif [ -n "$$CI" ]; then echo "Worker tests need Node >= 20.3 and npm ci (wrangler 4.86.0)" >&2; exit 1; \
	else echo; echo "!!! SKIPPED THE WORKER TESTS (wrangler dev): Node >= 20.3 with node_modules not found; run make deps, then make worker-test !!!"; echo; fi

## fuzz: every Fuzz* function in turn, FUZZTIME each (5s; e.g. FUZZTIME=10m)
FUZZTIME ?= 5s
fuzz:
	FUZZTIME=$(FUZZTIME) ./scripts/fuzz.sh

## bench: the harness's cost per request, pooled vs fresh instances (health,
## payment page, Telegram update), and 300 buyers at once (p95, RSS)
bench: guest
	PAYLASTIC_GUEST_WASM=$(CURDIR)/$(GUEST) $(GO) test ./wasm/host -run XXX -bench Request -benchtime 100x -count 5
	PAYLASTIC_GUEST_WASM=$(CURDIR)/$(GUEST) $(GO) test ./wasm/host -run XXX -bench Burst -benchtime 2x -count 1 -timeout 20m

clean:
	rm -rf $(BUILD)

# The Worker build, wrangler dev and deploy (issue: the Cloudflare Worker).
-include mk/*.mk
